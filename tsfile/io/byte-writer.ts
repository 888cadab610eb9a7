import { TWO_POW_32 } from './int64.js';

/**
 * A growable big-endian output buffer, the equivalent of Java's ByteArrayOutputStream +
 * DataOutputStream used throughout TsFile. Integers are big-endian unless a method says
 * otherwise.
 */
export class ByteWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialCapacity = 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.pos;
  }

  reset(): void {
    this.pos = 0;
  }

  /** Makes room for `n` more bytes; returns the buffer and the write offset. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A view of the bytes written so far; valid until the next write or reset. */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of the bytes written so far. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  writeUInt8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }

  writeBool(v: boolean): void {
    this.writeUInt8(v ? 1 : 0);
  }

  writeInt16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }

  writeInt32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v | 0, this.pos);
    this.pos += 4;
  }

  writeUInt32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }

  writeInt32LE(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v | 0, this.pos);
    this.pos += 4;
  }

  /** Writes a 64-bit integer given as its two 32-bit halves. */
  writeInt64Words(high: number, low: number): void {
    this.ensure(8);
    this.buf.writeInt32BE(high | 0, this.pos);
    this.buf.writeUInt32BE(low >>> 0, this.pos + 4);
    this.pos += 8;
  }

  /** Writes an integer-valued number (|v| <= 2^53) as a big-endian int64. */
  writeInt64Number(v: number): void {
    this.writeInt64Words(Math.floor(v / TWO_POW_32), v >>> 0);
  }

  writeBigInt64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
  }

  writeFloat(v: number): void {
    this.ensure(4);
    this.buf.writeFloatBE(v, this.pos);
    this.pos += 4;
  }

  writeDouble(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  writeBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** IoTDB's unsigned varint: 7 bits a byte, least significant group first, of an int32. */
  writeVarUInt(v: number): void {
    this.ensure(5);
    let value = v >>> 0;
    while (value > 0x7f) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buf[this.pos++] = value;
  }

  /** IoTDB's signed varint (zigzag of an int32, then unsigned varint). */
  writeVarInt(v: number): void {
    this.writeVarUInt((v << 1) ^ (v >> 31));
  }

  /** A string as TsFile's ReadWriteIOUtils writes it with a varint length (UTF-8). */
  writeVarString(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.writeVarInt(bytes.length);
    this.writeBytes(bytes);
  }

  /** Binary with an unsigned varint length prefix. */
  writeVarUIntBinary(bytes: Uint8Array): void {
    this.writeVarUInt(bytes.length);
    this.writeBytes(bytes);
  }

  /** Raw access for encoders that fill bytes themselves: reserve, then `advance`. */
  raw(): Buffer {
    return this.buf;
  }

  position(): number {
    return this.pos;
  }

  advance(n: number): void {
    this.pos += n;
  }
}
