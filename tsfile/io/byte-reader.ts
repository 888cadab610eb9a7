import { TWO_POW_32 } from './int64.js';

/** Raised for bytes that do not follow the format: truncation, bad lengths, bad codes. */
export class CorruptDataError extends Error {
  override readonly name: string = 'CorruptDataError';
}

/**
 * A bounds-checked big-endian cursor over a byte range. Every read checks the range, so
 * lying lengths end in a CorruptDataError, never in reads past the end.
 */
export class ByteReader {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end) throw new CorruptDataError(`bad range ${start}..${end}`);
    this.pos = start;
    this.end = end;
  }

  static of(bytes: Uint8Array, start = 0, end = bytes.length): ByteReader {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new ByteReader(buf, start, end);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  hasRemaining(): boolean {
    return this.pos < this.end;
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new CorruptDataError(`need ${n} bytes at offset ${this.pos}, only ${this.end - this.pos} left`);
    }
  }

  readUInt8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  readInt8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }

  readBool(): boolean {
    return this.readUInt8() !== 0;
  }

  readInt16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  readInt32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  readUInt32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Reads a big-endian int64 as a number; exact only for |v| <= 2^53. */
  readInt64Number(): number {
    this.need(8);
    const v = this.buf.readInt32BE(this.pos) * TWO_POW_32 + this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return v;
  }

  readBigInt64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a big-endian int64 into word pair i of an Int32Array view (see int64.ts). */
  readInt64Into(words: Int32Array, i: number): void {
    this.need(8);
    words[2 * i + 1] = this.buf.readInt32BE(this.pos);
    words[2 * i] = this.buf.readInt32BE(this.pos + 4);
    this.pos += 8;
  }

  readFloat(): number {
    this.need(4);
    const v = this.buf.readFloatBE(this.pos);
    this.pos += 4;
    return v;
  }

  readDouble(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A view (not a copy) of the next n bytes. */
  readBytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  readVarUInt(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = this.readUInt8();
      if (shift === 28 && b > 0x0f) throw new CorruptDataError(`varint longer than 32 bits at offset ${this.pos - 1}`);
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value >>> 0;
      shift += 7;
      if (shift > 28) throw new CorruptDataError(`varint longer than 5 bytes at offset ${this.pos}`);
    }
  }

  readVarInt(): number {
    const u = this.readVarUInt();
    return (u >>> 1) ^ -(u & 1);
  }

  /** A length (varint) that must be non-negative and fit in what is left. */
  readVarLength(): number {
    const n = this.readVarInt();
    if (n < 0 || n > this.remaining) throw new CorruptDataError(`length ${n} at offset ${this.pos} exceeds the data`);
    return n;
  }

  readVarString(): string {
    const n = this.readVarInt();
    if (n < 0) throw new CorruptDataError(`negative string length ${n}`);
    return this.readBytes(n).toString('utf8');
  }
}
