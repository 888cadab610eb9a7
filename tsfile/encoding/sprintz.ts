// Format: tsfile/FORMAT.md § Encodings / SPRINTZ
import { ByteReader, CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { int64Words } from '../io/int64.js';
import { bitWidth32, bitWidth64, pack8Int32, pack8Int64, unpack8Int32, unpack8Int64 } from './bit-packing.js';
import {
  decodeGorilla32,
  decodeGorilla64,
  encodeGorilla32,
  encodeGorilla64,
  GORILLA_END_DOUBLE_HI,
  GORILLA_END_FLOAT,
} from './gorilla.js';
import { rleInt32Codec, rleInt64Codec } from './rle.js';
import type { EncodingCodecs, EncodingOptions, ReferencePageSize, ValueCodec } from './value-codec.js';

/**
 * SPRINTZ (TSEncoding 12) cuts a page into blocks of nine values: the first stored whole,
 * the next eight as prediction errors of IoTDB's default predictor ("fire", a learned
 * delta), zigzag-mapped and bit-packed at the block's widest error. A block is
 *
 *   width (1 byte, < 0x80)   first value   8 errors packed at `width` bits (`width` bytes)
 *
 * with the first value as an unsigned varint (int32), or big-endian raw bits (int64: 8
 * bytes, float: 4, double: 8). The 1 to 8 values left over at the end of a page follow as
 *
 *   0x80 | count (1 byte)   those values in RLE (int32, int64) or GORILLA (float, double)
 *
 * Floats and doubles are predicted on their bit patterns with every NaN made canonical.
 * The zigzag map overflows for errors beyond +-2^30 (int32, float) or +-2^62 (int64,
 * double), and the reference then reads back other values: so does this decoder.
 */

const BLOCK_ERRORS = 8;
const TAIL_FLAG = 0x80;

// --- 32-bit kinds: int32 values, float bit patterns ---------------------------------------

/**
 * The reference's 32-bit predictor (IntFire, learning shift 2, 8 fraction bits) run over one
 * block: turns `v[1..8]` into zigzag-mapped prediction errors in place. `v[0]` is the first
 * value as the predictor sees it.
 */
function predict32(v: Int32Array): void {
  let acc = 0;
  let delta = 0;
  let prev = v[0]!;
  for (let i = 1; i <= BLOCK_ERRORS; i++) {
    const value = v[i]!;
    const predicted = (prev + (Math.imul(acc >> 2, delta) >> 8)) | 0;
    const err = (value - predicted) | 0;
    acc = (acc - (err > 0 ? -delta : delta)) | 0;
    delta = (value - prev) | 0;
    v[i] = err <= 0 ? Math.imul(err, -2) : (Math.imul(err, 2) - 1) | 0;
    prev = value;
  }
}

/** Undoes `predict32`: `v[1..8]` holds mapped errors, `v[0]` the first value. */
function reconstruct32(v: Int32Array): void {
  let acc = 0;
  let delta = 0;
  for (let i = 1; i <= BLOCK_ERRORS; i++) {
    const m = v[i]!;
    // Java's `m % 2 == 0 ? -m / 2 : (m + 1) / 2`; both divisions are exact.
    const err = m % 2 === 0 ? ((-m | 0) / 2) | 0 : (((m + 1) | 0) / 2) | 0;
    const prev = v[i - 1]!;
    const value = (prev + (Math.imul(acc >> 2, delta) >> 8) + err) | 0;
    acc = (acc - (err > 0 ? -delta : delta)) | 0;
    delta = (value - prev) | 0;
    v[i] = value;
  }
}

/** Java's floatToIntBits: every NaN becomes the canonical one. */
function canonicalFloat(bits: number): number {
  return (bits & 0x7fffffff) > 0x7f800000 ? 0x7fc00000 : bits;
}

function encode32(bits: Int32Array, from: number, to: number, isFloat: boolean, out: ByteWriter): void {
  const block = new Int32Array(BLOCK_ERRORS + 1);
  const packed = new Uint8Array(32);
  let i = from;
  for (; i + BLOCK_ERRORS < to; i += BLOCK_ERRORS + 1) {
    for (let k = 0; k <= BLOCK_ERRORS; k++) block[k] = isFloat ? canonicalFloat(bits[i + k]!) : bits[i + k]!;
    predict32(block);
    let width = 1;
    for (let k = 1; k <= BLOCK_ERRORS; k++) width = Math.max(width, bitWidth32(block[k]!));
    out.writeUInt8(width);
    if (isFloat) out.writeInt32(bits[i]!);
    else out.writeVarUInt(bits[i]!);
    pack8Int32(block, 1, width, packed, 0);
    out.writeBytes(packed.subarray(0, width));
  }
  if (i < to) {
    out.writeUInt8(TAIL_FLAG | (to - i));
    if (isFloat) encodeGorilla32(bits, i, to, GORILLA_END_FLOAT, out);
    else rleInt32Codec.encode(bits, i, to, out);
  }
}

function decode32(bytes: Uint8Array, start: number, end: number, isFloat: boolean, count?: number): Int32Array {
  const r = ByteReader.of(bytes, start, end);
  let out: Int32Array = new Int32Array(count ?? 9 * Math.ceil((end - start) / 3));
  let n = 0;
  const block = new Int32Array(BLOCK_ERRORS + 1);
  const want = count ?? Number.POSITIVE_INFINITY;
  while (n < want && r.hasRemaining()) {
    const header = r.readUInt8();
    if (header & TAIL_FLAG) {
      const tail = tailValues32(r, header & ~TAIL_FLAG, isFloat);
      out = ensure(out, n + tail.length);
      out.set(tail, n);
      n += tail.length;
      break;
    }
    const width = header;
    if (width > 32) throw new CorruptDataError(`SPRINTZ block of width ${width} for 32-bit values`);
    const first = isFloat ? r.readInt32() : r.readVarUInt() | 0;
    const at = r.pos;
    r.skip(width);
    unpack8Int32(r.buf, at, width, block, 1);
    block[0] = isFloat ? canonicalFloat(first) : first;
    reconstruct32(block);
    block[0] = first;
    out = ensure(out, n + BLOCK_ERRORS + 1);
    out.set(block, n);
    n += BLOCK_ERRORS + 1;
  }
  return finish(out, n, count, 1);
}

function tailValues32(r: ByteReader, size: number, isFloat: boolean): Int32Array {
  if (size === 0) throw new CorruptDataError(`SPRINTZ tail of 0 values at offset ${r.pos - 1}`);
  if (isFloat) return decodeGorilla32(r.buf, r.pos, r.end, GORILLA_END_FLOAT, size);
  const values = rleInt32Codec.decode(r.buf, r.pos, rlePatternEnd(r));
  if (values.length < size) throw new CorruptDataError(`SPRINTZ tail holds ${values.length} of ${size} values`);
  return values.subarray(0, size);
}

// --- 64-bit kinds: int64 values, double bit patterns --------------------------------------
// The 64-bit predictor multiplies two 64-bit numbers, so it runs on BigInt: SPRINTZ is
// rarely chosen, and a block is only eight values.

const CANONICAL_NAN_DOUBLE = 0x7ff8000000000000n;

/** IoTDB's LongFire (learning shift 3, 16 fraction bits) with its int32 accumulator. */
function predict64(v: BigInt64Array): void {
  let acc = 0;
  let delta = 0n;
  let prev = v[0]!;
  for (let i = 1; i <= BLOCK_ERRORS; i++) {
    const value = v[i]!;
    const predicted = BigInt.asIntN(64, prev + (BigInt.asIntN(64, BigInt(acc >> 3) * delta) >> 16n));
    const err = BigInt.asIntN(64, value - predicted);
    acc = Number(BigInt.asIntN(32, BigInt(acc) - (err > 0n ? -delta : delta)));
    delta = BigInt.asIntN(64, value - prev);
    v[i] = err <= 0n ? BigInt.asIntN(64, -2n * err) : BigInt.asIntN(64, 2n * err - 1n);
    prev = value;
  }
}

function reconstruct64(v: BigInt64Array): void {
  let acc = 0;
  let delta = 0n;
  for (let i = 1; i <= BLOCK_ERRORS; i++) {
    const m = v[i]!;
    const err = m % 2n === 0n ? BigInt.asIntN(64, -m) / 2n : BigInt.asIntN(64, m + 1n) / 2n;
    const prev = v[i - 1]!;
    const predicted = BigInt.asIntN(64, prev + (BigInt.asIntN(64, BigInt(acc >> 3) * delta) >> 16n));
    const value = BigInt.asIntN(64, predicted + err);
    acc = Number(BigInt.asIntN(32, BigInt(acc) - (err > 0n ? -delta : delta)));
    delta = BigInt.asIntN(64, value - prev);
    v[i] = value;
  }
}

/** Java's doubleToLongBits on a bit pattern: every NaN becomes the canonical one. */
function canonicalDouble(bits: bigint): bigint {
  return BigInt.asUintN(63, bits) > 0x7ff0000000000000n ? CANONICAL_NAN_DOUBLE : bits;
}

function encode64(values: BigInt64Array, from: number, to: number, isDouble: boolean, out: ByteWriter): void {
  const block = new BigInt64Array(BLOCK_ERRORS + 1);
  const blockWords = int64Words(block);
  const packed = new Uint8Array(64);
  let i = from;
  for (; i + BLOCK_ERRORS < to; i += BLOCK_ERRORS + 1) {
    for (let k = 0; k <= BLOCK_ERRORS; k++) block[k] = isDouble ? canonicalDouble(values[i + k]!) : values[i + k]!;
    predict64(block);
    let width = 1;
    for (let k = 1; k <= BLOCK_ERRORS; k++)
      width = Math.max(width, bitWidth64(blockWords[2 * k + 1]!, blockWords[2 * k]!));
    out.writeUInt8(width);
    out.writeBigInt64(values[i]!);
    pack8Int64(blockWords, 1, width, packed, 0);
    out.writeBytes(packed.subarray(0, width));
  }
  if (i < to) {
    out.writeUInt8(TAIL_FLAG | (to - i));
    if (isDouble) encodeGorilla64(int64Words(values), i, to, GORILLA_END_DOUBLE_HI, out);
    else rleInt64Codec.encode(values, i, to, out);
  }
}

function decode64(bytes: Uint8Array, start: number, end: number, isDouble: boolean, count?: number): BigInt64Array {
  const r = ByteReader.of(bytes, start, end);
  let out: Int32Array = new Int32Array(2 * (count ?? 9 * Math.ceil((end - start) / 9)));
  let n = 0;
  const block = new BigInt64Array(BLOCK_ERRORS + 1);
  const blockWords = int64Words(block);
  const want = count ?? Number.POSITIVE_INFINITY;
  while (n < want && r.hasRemaining()) {
    const header = r.readUInt8();
    if (header & TAIL_FLAG) {
      const tail = tailWords64(r, header & ~TAIL_FLAG, isDouble);
      out = ensure(out, 2 * n + tail.length);
      out.set(tail, 2 * n);
      n += tail.length >>> 1;
      break;
    }
    const width = header;
    if (width > 64) throw new CorruptDataError(`SPRINTZ block of width ${width} for 64-bit values`);
    const first = r.readBigInt64();
    const at = r.pos;
    r.skip(width);
    unpack8Int64(r.buf, at, width, blockWords, 1);
    block[0] = isDouble ? canonicalDouble(first) : first;
    reconstruct64(block);
    block[0] = first;
    out = ensure(out, 2 * (n + BLOCK_ERRORS + 1));
    out.set(blockWords, 2 * n);
    n += BLOCK_ERRORS + 1;
  }
  const words = finish(out, n, count, 2);
  return new BigInt64Array(words.buffer, words.byteOffset, words.length >>> 1);
}

function tailWords64(r: ByteReader, size: number, isDouble: boolean): Int32Array {
  if (size === 0) throw new CorruptDataError(`SPRINTZ tail of 0 values at offset ${r.pos - 1}`);
  if (isDouble) return decodeGorilla64(r.buf, r.pos, r.end, GORILLA_END_DOUBLE_HI, size);
  const values = rleInt64Codec.decode(r.buf, r.pos, rlePatternEnd(r));
  if (values.length < size) throw new CorruptDataError(`SPRINTZ tail holds ${values.length} of ${size} values`);
  return int64Words(values).subarray(0, 2 * size);
}

// --- shared -------------------------------------------------------------------------------

/** The end of the RLE pattern at the reader's position: `uvarint(length)` then `length` bytes. */
function rlePatternEnd(r: ByteReader): number {
  const at = r.pos;
  const length = r.readVarUInt();
  if (length > r.remaining)
    throw new CorruptDataError(`SPRINTZ tail of ${length} bytes at offset ${at} exceeds the page`);
  const end = r.pos + length;
  r.pos = at;
  return end;
}

function ensure(out: Int32Array, words: number): Int32Array {
  if (words <= out.length) return out;
  const next = new Int32Array(Math.max(words, out.length * 2));
  next.set(out);
  return next;
}

/** The decoded words, exactly `count` values when a count was asked for. */
function finish(out: Int32Array, n: number, count: number | undefined, wordsPerValue: number): Int32Array {
  if (count !== undefined && n < count) throw new CorruptDataError(`SPRINTZ page holds ${n} of ${count} values`);
  const words = (count ?? n) * wordsPerValue;
  return words === out.length ? out : out.slice(0, words);
}

/** Blocks the reference keeps before it writes them out together. */
const BLOCKS_PER_GROUP = 16;

/**
 * The reference writes its blocks out 16 at a time (144 values); until then it bounds what
 * it holds by the values of the open block alone, one more, and a byte.
 */
function referenceSize(valueBytes: number): ReferencePageSize {
  const group = BLOCKS_PER_GROUP * (BLOCK_ERRORS + 1);
  return {
    readBackDependsOnPages: true,
    flushedValues: (count) => count - (count % group),
    heldBytesMax: (count) => 1 + ((count % (BLOCK_ERRORS + 1)) + 1) * valueBytes,
  };
}

export const sprintzInt32Codec: ValueCodec<Int32Array> = {
  referenceSize: referenceSize(4),
  encode(values, from, to, out) {
    encode32(values, from, to, false, out);
  },
  decode(bytes, start, end, count) {
    return decode32(bytes, start, end, false, count);
  },
};

export const sprintzFloatCodec: ValueCodec<Float32Array> = {
  referenceSize: referenceSize(4),
  encode(values, from, to, out) {
    encode32(new Int32Array(values.buffer, values.byteOffset, values.length), from, to, true, out);
  },
  decode(bytes, start, end, count) {
    const bits = decode32(bytes, start, end, true, count);
    return new Float32Array(bits.buffer, bits.byteOffset, bits.length);
  },
};

export const sprintzInt64Codec: ValueCodec<BigInt64Array> = {
  referenceSize: referenceSize(8),
  encode(values, from, to, out) {
    encode64(values, from, to, false, out);
  },
  decode(bytes, start, end, count) {
    return decode64(bytes, start, end, false, count);
  },
};

export const sprintzDoubleCodec: ValueCodec<Float64Array> = {
  referenceSize: referenceSize(8),
  encode(values, from, to, out) {
    encode64(new BigInt64Array(values.buffer, values.byteOffset, values.length), from, to, true, out);
  },
  decode(bytes, start, end, count) {
    const bits = decode64(bytes, start, end, true, count);
    return new Float64Array(bits.buffer, bits.byteOffset, bits.length);
  },
};

/** SPRINTZ (TSEncoding 12) for int32, int64, float and double, with the "fire" predictor. */
export function sprintzCodecs(_options: EncodingOptions): EncodingCodecs {
  return { int32: sprintzInt32Codec, int64: sprintzInt64Codec, float: sprintzFloatCodec, double: sprintzDoubleCodec };
}
