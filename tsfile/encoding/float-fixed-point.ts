// Format: tsfile/FORMAT.md § Encodings / FLOAT and DOUBLE through RLE and TS_2DIFF
import type { DoubleColumn, FloatColumn, Int32Column, Int64Column } from '../data-type.js';
import { CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { int64Words, TWO_POW_32 } from '../io/int64.js';
import type { ValueCodec } from './value-codec.js';

/**
 * RLE and TS_2DIFF store FLOAT and DOUBLE as integers: each value is multiplied by
 * 10^maxPointNumber and rounded, FLOAT into an int32 stream and DOUBLE into an int64 one.
 * The page starts with `uvarint(maxPointNumber)`, then holds the integer encoding. The
 * transform is lossy, and the bytes must be those of the reference, so every step follows
 * Java exactly:
 *
 * - scaling multiplies in double precision (a FLOAT is widened first);
 * - rounding is Java's `Math.round(double)`: nearest, ties toward +infinity, NaN to 0, and
 *   anything beyond the long range saturates to Long.MIN_VALUE / Long.MAX_VALUE;
 * - FLOAT keeps the low 32 bits of that long (`(int)` cast), so +Infinity becomes -1 and
 *   -Infinity becomes 0;
 * - reading divides by 10^maxPointNumber in double precision (a long is first rounded to
 *   the nearest double), then a FLOAT is rounded to single precision.
 */

const TWO_POW_63 = 2 ** 63;
const INT32_MIN_HI = -0x80000000;

/** 10^n as the reference computes it; a count of 0 or less means no scaling. */
function scaleOf(maxPointNumber: number): number {
  return maxPointNumber <= 0 ? 1 : 10 ** maxPointNumber;
}

/** The header value the reference writes: negative counts are stored as 0. */
function headerOf(maxPointNumber: number): number {
  return Math.max(0, maxPointNumber);
}

/** Java's `(int) Math.round(value * scale)`. */
export function floatToFixedPoint(value: number, scale: number): number {
  const r = Math.round(value * scale);
  if (Number.isNaN(r)) return 0;
  // Saturated to Long.MAX_VALUE (low bits all ones) or Long.MIN_VALUE (low bits zero).
  if (r >= TWO_POW_63) return -1;
  if (r <= -TWO_POW_63) return 0;
  // ToInt32 keeps the low 32 bits of an integral double exactly, as Java's (int) cast does.
  return r | 0;
}

/**
 * Java's `Math.round(value * scale)` into word pair `i` of `words` (low word first).
 */
export function doubleToFixedPoint(value: number, scale: number, words: Int32Array, i: number): void {
  let r = Math.round(value * scale);
  if (Number.isNaN(r)) r = 0;
  if (r >= TWO_POW_63) {
    words[2 * i] = -1;
    words[2 * i + 1] = 0x7fffffff;
    return;
  }
  if (r <= -TWO_POW_63) {
    words[2 * i] = 0;
    words[2 * i + 1] = INT32_MIN_HI;
    return;
  }
  // Dividing by a power of two and flooring are exact for every integral double.
  const hi = Math.floor(r / TWO_POW_32);
  words[2 * i] = r - hi * TWO_POW_32;
  words[2 * i + 1] = hi;
}

function readHeader(bytes: Uint8Array, start: number, end: number): [scale: number, next: number] {
  let value = 0;
  let pos = start;
  for (let shift = 0; ; shift += 7) {
    if (pos >= end) throw new CorruptDataError(`max point number truncated at offset ${pos}`);
    if (shift > 28) throw new CorruptDataError(`max point number varint too long at offset ${start}`);
    const b = bytes[pos++]!;
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
  }
  // The reference reads the count as a signed int: 2^31 and above count as negative.
  return [scaleOf(value | 0), pos];
}

let intScratch = new Int32Array(1024);
let longScratch = new BigInt64Array(1024);

/** FLOAT through an int32 codec (RLE or TS_2DIFF). */
export function floatFixedPointCodec(inner: ValueCodec<Int32Column>, maxPointNumber: number): ValueCodec<FloatColumn> {
  const scale = scaleOf(maxPointNumber);
  const header = headerOf(maxPointNumber);
  return {
    encode(values: FloatColumn, from: number, to: number, out: ByteWriter): void {
      const n = to - from;
      // The reference writes the header with the first value: an empty page has none.
      if (n > 0) out.writeVarUInt(header);
      if (intScratch.length < n) intScratch = new Int32Array(Math.max(n, intScratch.length * 2));
      const ints = intScratch;
      for (let i = 0; i < n; i++) ints[i] = floatToFixedPoint(values[from + i]!, scale);
      inner.encode(ints, 0, n, out);
    },
    decode(bytes: Uint8Array, start: number, end: number): FloatColumn {
      if (start >= end) return new Float32Array(0);
      const [readScale, pos] = readHeader(bytes, start, end);
      const ints = inner.decode(bytes, pos, end);
      const out = new Float32Array(ints.length);
      for (let i = 0; i < ints.length; i++) out[i] = ints[i]! / readScale;
      return out;
    },
  };
}

/** DOUBLE through an int64 codec (RLE or TS_2DIFF). */
export function doubleFixedPointCodec(
  inner: ValueCodec<Int64Column>,
  maxPointNumber: number,
): ValueCodec<DoubleColumn> {
  const scale = scaleOf(maxPointNumber);
  const header = headerOf(maxPointNumber);
  return {
    encode(values: DoubleColumn, from: number, to: number, out: ByteWriter): void {
      const n = to - from;
      if (n > 0) out.writeVarUInt(header);
      if (longScratch.length < n) longScratch = new BigInt64Array(Math.max(n, longScratch.length * 2));
      const words = int64Words(longScratch);
      for (let i = 0; i < n; i++) doubleToFixedPoint(values[from + i]!, scale, words, i);
      inner.encode(longScratch, 0, n, out);
    },
    decode(bytes: Uint8Array, start: number, end: number): DoubleColumn {
      if (start >= end) return new Float64Array(0);
      const [readScale, pos] = readHeader(bytes, start, end);
      const longs = inner.decode(bytes, pos, end);
      const words = int64Words(longs);
      const out = new Float64Array(longs.length);
      // hi * 2^32 is exact and the sum rounds once: the nearest double, as Java's (double) cast.
      for (let i = 0; i < longs.length; i++)
        out[i] = (words[2 * i + 1]! * TWO_POW_32 + (words[2 * i]! >>> 0)) / readScale;
      return out;
    },
  };
}
