// Format: tsfile/FORMAT.md § Encodings / TS_2DIFF
import type { Int32Column, Int64Column } from '../data-type.js';
import { CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { int64Words, TWO_POW_32 } from '../io/int64.js';
import {
  bitWidth32,
  bitWidth64,
  PAGE_VALUES_MAX,
  packBits32,
  packBits64,
  unpackBits32,
  unpackBits64,
} from './bit-packing.js';
import { doubleFixedPointCodec, floatFixedPointCodec } from './float-fixed-point.js';
import type { EncodingCodecs, EncodingOptions, ValueCodec } from './value-codec.js';

/**
 * A page is a sequence of blocks. Each block stores its first value, then up to
 * `TS_2DIFF_BLOCK_DELTAS` deltas between consecutive values, each minus the smallest delta
 * of the block and bit-packed at the width of the largest:
 *
 *     int32 count (deltas), int32 width, minDelta, firstValue, ceil(count*width/8) bytes
 *
 * minDelta and firstValue are int32 or int64 (big-endian) by the column type. All
 * arithmetic wraps as Java's int/long does, so any values round-trip exactly. A block of a
 * single value stores count 0, width 0 and the type's maximum as minDelta.
 *
 * INT64 is the time column of every page, so both directions work on 32-bit word pairs
 * (never BigInt): the low word travels as an unsigned number, the high word as an int32,
 * and carries are explicit.
 */

/** Deltas per block (the reference's block size); a full block holds one value more. */
export const TS_2DIFF_BLOCK_DELTAS = 128;
const BLOCK_VALUES = TS_2DIFF_BLOCK_DELTAS + 1;
const HEADER_INT32 = 16;
const HEADER_INT64 = 24;
/**
 * The reference packs each block into a reused buffer and clears only its first 128 bytes
 * between blocks. The pad bits of a short last block whose final byte lies beyond that
 * prefix therefore repeat the bits an earlier, wider block of the page left there. Pages are
 * reproduced byte for byte by copying those bits from the same earlier block.
 */
const CLEARED_PREFIX_BYTES = 128;

/** Data offsets and widths of the page's full blocks, for the pad-bit rule above. */
const fullBlockAt: number[] = [];
const fullBlockWidth: number[] = [];

function fillStalePadBits(raw: Uint8Array, at: number, count: number, width: number): void {
  const bits = count * width;
  if ((bits & 7) === 0) return;
  // The index of the partial last byte.
  const last = bits >>> 3;
  if (last < CLEARED_PREFIX_BYTES) return;
  for (let b = fullBlockAt.length - 1; b >= 0; b--) {
    // A full block writes 128 * width bits = 16 * width bytes.
    if (16 * fullBlockWidth[b]! > last) {
      raw[at + last] = raw[at + last]! | (raw[fullBlockAt[b]! + last]! & ((1 << (8 - (bits & 7))) - 1));
      return;
    }
  }
}

const deltas32 = new Int32Array(TS_2DIFF_BLOCK_DELTAS);

function encodeInt32(values: Int32Array, from: number, to: number, out: ByteWriter): void {
  fullBlockAt.length = 0;
  fullBlockWidth.length = 0;
  for (let s = from; s < to; s += BLOCK_VALUES) {
    const n = Math.min(to, s + BLOCK_VALUES) - s - 1;
    const first = values[s]!;
    let prev = first;
    let min = 0x7fffffff;
    for (let i = 0; i < n; i++) {
      const v = values[s + 1 + i]!;
      const d = (v - prev) | 0;
      deltas32[i] = d;
      if (d < min) min = d;
      prev = v;
    }
    let or = 0;
    for (let i = 0; i < n; i++) {
      const t = (deltas32[i]! - min) | 0;
      deltas32[i] = t;
      or |= t;
    }
    const width = bitWidth32(or);
    const dataBytes = Math.ceil((n * width) / 8);
    out.ensure(HEADER_INT32 + dataBytes);
    out.writeInt32(n);
    out.writeInt32(width);
    out.writeInt32(min);
    out.writeInt32(first);
    const at = out.position();
    packBits32(deltas32, 0, n, width, out.raw(), at);
    out.advance(dataBytes);
    if (n === TS_2DIFF_BLOCK_DELTAS) {
      fullBlockAt.push(at);
      fullBlockWidth.push(width);
    } else {
      fillStalePadBits(out.raw(), at, n, width);
    }
  }
}

/** Block deltas as word pairs (low, high), then as two-diffs. */
const deltas64 = new Int32Array(2 * TS_2DIFF_BLOCK_DELTAS);

function encodeInt64(values: BigInt64Array, from: number, to: number, out: ByteWriter): void {
  const words = int64Words(values);
  fullBlockAt.length = 0;
  fullBlockWidth.length = 0;
  const d = deltas64;
  for (let s = from; s < to; s += BLOCK_VALUES) {
    const n = Math.min(to, s + BLOCK_VALUES) - s - 1;
    const firstLo = words[2 * s]!;
    const firstHi = words[2 * s + 1]!;
    let pLo = firstLo >>> 0;
    let pHi = firstHi;
    // Long.MAX_VALUE: what the reference writes when the block has no delta.
    let minHi = 0x7fffffff;
    let minLo = 0xffffffff;
    for (let i = 0, w = 2 * (s + 1); i < n; i++, w += 2) {
      const vLo = words[w]! >>> 0;
      const vHi = words[w + 1]!;
      let lo = vLo - pLo;
      let hi = vHi - pHi;
      if (lo < 0) {
        lo += TWO_POW_32;
        hi -= 1;
      }
      hi |= 0;
      d[2 * i] = lo;
      d[2 * i + 1] = hi;
      if (hi < minHi || (hi === minHi && lo < minLo)) {
        minHi = hi;
        minLo = lo;
      }
      pLo = vLo;
      pHi = vHi;
    }
    let orLo = 0;
    let orHi = 0;
    for (let i = 0; i < n; i++) {
      let lo = (d[2 * i]! >>> 0) - minLo;
      let hi = d[2 * i + 1]! - minHi;
      if (lo < 0) {
        lo += TWO_POW_32;
        hi -= 1;
      }
      d[2 * i] = lo;
      d[2 * i + 1] = hi;
      orLo |= lo;
      orHi |= hi;
    }
    const width = bitWidth64(orHi, orLo);
    const dataBytes = Math.ceil((n * width) / 8);
    out.ensure(HEADER_INT64 + dataBytes);
    out.writeInt32(n);
    out.writeInt32(width);
    out.writeInt64Words(minHi, minLo);
    out.writeInt64Words(firstHi, firstLo);
    const at = out.position();
    packBits64(d, 0, n, width, out.raw(), at);
    out.advance(dataBytes);
    if (n === TS_2DIFF_BLOCK_DELTAS) {
      fullBlockAt.push(at);
      fullBlockWidth.push(width);
    } else {
      fillStalePadBits(out.raw(), at, n, width);
    }
  }
}

function readInt32(bytes: Uint8Array, p: number): number {
  return (bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
}

/**
 * Validates every block header of `bytes[start, end)` and returns the number of values;
 * each block holds its count of deltas plus its first value.
 */
function countValues(bytes: Uint8Array, start: number, end: number, valueBytes: number, maxWidth: number): number {
  const header = 8 + 2 * valueBytes;
  let pos = start;
  let total = 0;
  while (pos < end) {
    if (pos + header > end) throw new CorruptDataError(`TS_2DIFF block header at offset ${pos} is truncated`);
    const n = readInt32(bytes, pos);
    const width = readInt32(bytes, pos + 4);
    if (n < 0) throw new CorruptDataError(`TS_2DIFF block at offset ${pos} has ${n} values`);
    if (width < 0 || width > maxWidth) throw new CorruptDataError(`TS_2DIFF bit width ${width} at offset ${pos}`);
    total += n + 1;
    if (total > PAGE_VALUES_MAX) throw new CorruptDataError(`TS_2DIFF page claims more than ${PAGE_VALUES_MAX} values`);
    pos += header + Math.ceil((n * width) / 8);
    if (pos > end) throw new CorruptDataError(`TS_2DIFF block of ${n} values exceeds the page`);
  }
  return total;
}

let twoDiffs = new Int32Array(2 * TS_2DIFF_BLOCK_DELTAS);

function twoDiffScratch(words: number): Int32Array {
  if (twoDiffs.length < words) twoDiffs = new Int32Array(words);
  return twoDiffs;
}

function decodeInt32(bytes: Uint8Array, start: number, end: number): Int32Array {
  const out = new Int32Array(countValues(bytes, start, end, 4, 32));
  let pos = start;
  let k = 0;
  while (pos < end) {
    const n = readInt32(bytes, pos);
    const width = readInt32(bytes, pos + 4);
    const min = readInt32(bytes, pos + 8);
    let prev = readInt32(bytes, pos + 12);
    pos += HEADER_INT32;
    out[k++] = prev;
    if (width === 0) {
      for (let i = 0; i < n; i++) {
        prev = (prev + min) | 0;
        out[k++] = prev;
      }
    } else {
      const t = twoDiffScratch(n);
      unpackBits32(bytes, pos, n, width, t, 0);
      for (let i = 0; i < n; i++) {
        prev = (prev + min + t[i]!) | 0;
        out[k++] = prev;
      }
      pos += Math.ceil((n * width) / 8);
    }
  }
  return out;
}

function decodeInt64(bytes: Uint8Array, start: number, end: number): BigInt64Array {
  const out = new BigInt64Array(countValues(bytes, start, end, 8, 64));
  const words = int64Words(out);
  let pos = start;
  let w = 0;
  while (pos < end) {
    const n = readInt32(bytes, pos);
    const width = readInt32(bytes, pos + 4);
    const minHi = readInt32(bytes, pos + 8);
    const minLo = readInt32(bytes, pos + 12) >>> 0;
    const hi = readInt32(bytes, pos + 16);
    const lo = readInt32(bytes, pos + 20) >>> 0;
    pos += HEADER_INT64;
    words[w] = lo;
    words[w + 1] = hi;
    // One function per block shape, so each stays small and type-stable whatever mix of
    // widths a page has.
    if (width === 0) sumConstant(words, w + 2, n, lo, hi, minLo, minHi);
    else if (width <= 24) sumNarrow(bytes, pos, width, words, w + 2, n, lo, hi, minLo, minHi);
    else sumWide(bytes, pos, width, words, w + 2, n, lo, hi, minLo, minHi);
    w += 2 * (n + 1);
    pos += Math.ceil((n * width) / 8);
  }
  return out;
}

/*
 * The block sums below keep the running value as `lo` (an unsigned number, below 3 * 2^32
 * after an addition) and `hi` (an int32). Carries are compared out, never divided: a division
 * would sit on the loop-carried dependency chain.
 */

/** Every delta is minDelta: the time column of regularly sampled series. */
function sumConstant(
  words: Int32Array,
  w: number,
  n: number,
  lo: number,
  hi: number,
  minLo: number,
  minHi: number,
): void {
  const end = w + 2 * n;
  while (w < end) {
    lo += minLo;
    if (lo >= TWO_POW_32) {
      lo -= TWO_POW_32;
      hi = (hi + minHi + 1) | 0;
    } else {
      hi = (hi + minHi) | 0;
    }
    words[w++] = lo;
    words[w++] = hi;
  }
}

/** Two-diffs of at most 24 bits, unpacked inline: width + 7 <= 31 pending bits fit an int32. */
function sumNarrow(
  bytes: Uint8Array,
  pos: number,
  width: number,
  words: Int32Array,
  w: number,
  n: number,
  lo: number,
  hi: number,
  minLo: number,
  minHi: number,
): void {
  const mask = (1 << width) - 1;
  let acc = 0;
  let bits = 0;
  let p = pos;
  const end = w + 2 * n;
  while (w < end) {
    while (bits < width) {
      acc = (acc << 8) | bytes[p++]!;
      bits += 8;
    }
    bits -= width;
    lo += minLo + ((acc >>> bits) & mask);
    hi = (hi + minHi) | 0;
    if (lo >= TWO_POW_32) {
      lo -= TWO_POW_32;
      hi = (hi + 1) | 0;
      if (lo >= TWO_POW_32) {
        lo -= TWO_POW_32;
        hi = (hi + 1) | 0;
      }
    }
    words[w++] = lo;
    words[w++] = hi;
  }
}

/** Two-diffs of 25 to 64 bits. */
function sumWide(
  bytes: Uint8Array,
  pos: number,
  width: number,
  words: Int32Array,
  w: number,
  n: number,
  lo: number,
  hi: number,
  minLo: number,
  minHi: number,
): void {
  const t = twoDiffScratch(2 * n);
  unpackBits64(bytes, pos, n, width, t, 0);
  for (let i = 0; i < n; i++) {
    lo += minLo + (t[2 * i]! >>> 0);
    hi = (hi + minHi + t[2 * i + 1]!) | 0;
    if (lo >= TWO_POW_32) {
      lo -= TWO_POW_32;
      hi = (hi + 1) | 0;
      if (lo >= TWO_POW_32) {
        lo -= TWO_POW_32;
        hi = (hi + 1) | 0;
      }
    }
    words[w++] = lo;
    words[w++] = hi;
  }
}

export const ts2DiffInt32Codec: ValueCodec<Int32Column> = { encode: encodeInt32, decode: decodeInt32 };

export const ts2DiffInt64Codec: ValueCodec<Int64Column> = {
  encode: encodeInt64,
  decode: decodeInt64,
  // The reference writes a block out when it is full; until then it bounds what it holds
  // by 24 bytes plus 8 per delta (16 before a block's first value).
  referenceSize: {
    readBackDependsOnPages: false,
    flushedValues: (count) => count - (count % BLOCK_VALUES),
    heldBytesMax: (count) => (count % BLOCK_VALUES === 0 ? 16 : HEADER_INT64 + ((count % BLOCK_VALUES) - 1) * 8),
  },
};

export function ts2DiffCodecs(options: EncodingOptions): EncodingCodecs {
  return {
    int32: ts2DiffInt32Codec,
    int64: ts2DiffInt64Codec,
    float: floatFixedPointCodec(ts2DiffInt32Codec, options.maxPointNumber),
    double: doubleFixedPointCodec(ts2DiffInt64Codec, options.maxPointNumber),
  };
}
