/**
 * Bytes as Java's DataOutputStream / ByteBuffer and IoTDB's ReadWriteIOUtils write them
 * (big-endian throughout), built field by field so that tests state each body on their own,
 * apart from the codec under test. Every method appends one field and returns `this`.
 */
export class JavaDataOutput {
  private readonly chunks: Buffer[] = [];

  /** DataOutputStream.writeByte / ByteBuffer.put: one byte (negative values as two's complement). */
  byte(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v < 128 ? v : v - 256);
    return this.push(b);
  }

  /** ReadWriteIOUtils.write(boolean) / BytesUtils.boolToByte: 1 or 0. */
  bool(v: boolean): this {
    return this.byte(v ? 1 : 0);
  }

  /** DataOutputStream.writeShort. */
  short(v: number): this {
    const b = Buffer.alloc(2);
    new DataView(b.buffer, b.byteOffset, 2).setInt16(0, v);
    return this.push(b);
  }

  /** DataOutputStream.writeInt. */
  int(v: number): this {
    const b = Buffer.alloc(4);
    new DataView(b.buffer, b.byteOffset, 4).setInt32(0, v);
    return this.push(b);
  }

  /** DataOutputStream.writeLong. */
  long(v: bigint): this {
    const b = Buffer.alloc(8);
    new DataView(b.buffer, b.byteOffset, 8).setBigInt64(0, v);
    return this.push(b);
  }

  /** DataOutputStream.writeFloat. */
  float(v: number): this {
    const b = Buffer.alloc(4);
    new DataView(b.buffer, b.byteOffset, 4).setFloat32(0, v);
    return this.push(b);
  }

  /** DataOutputStream.writeDouble. */
  double(v: number): this {
    const b = Buffer.alloc(8);
    new DataView(b.buffer, b.byteOffset, 8).setFloat64(0, v);
    return this.push(b);
  }

  /** ReadWriteIOUtils.write(String): int length, UTF-8 bytes; null as length -1. */
  string(v: string | null): this {
    if (v === null) return this.int(-1);
    const bytes = Buffer.from(v, 'utf8');
    return this.int(bytes.length).raw(bytes);
  }

  /** ReadWriteIOUtils.write(Binary): int length, bytes. */
  binary(v: Uint8Array): this {
    return this.int(v.length).raw(v);
  }

  /** OutputStream.write(byte[]): bytes as they are, no length. */
  raw(v: Uint8Array): this {
    return this.push(Buffer.from(v));
  }

  /** Appends `build` run on a fresh output, as its own length-prefixed item (ReadWriteIOUtils.write(int) + write(byte[])). */
  item(build: (out: JavaDataOutput) => void): this {
    const inner = new JavaDataOutput();
    build(inner);
    return this.binary(inner.toBuffer());
  }

  /** Appends `build` run on this output: a way to share a written section between tests. */
  with(build: (out: JavaDataOutput) => void): this {
    build(this);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private push(b: Buffer): this {
    this.chunks.push(b);
    return this;
  }
}
