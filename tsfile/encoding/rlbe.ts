// Format: tsfile/FORMAT.md § Encodings / RLBE
import { CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { int64Words } from '../io/int64.js';
import { BitReader, BitWriter, clz64 } from './bit-stream.js';
import type { EncodingCodecs, EncodingOptions, ReferencePageSize, ValueCodec } from './value-codec.js';

/**
 * RLBE (TSEncoding 13): run-length of bit lengths over deltas. Values go in blocks of up
 * to 10 000; each block is
 *
 *   count (32 bits)
 *   segments, until `count` values: bit length L (6 bits; 7 for 64-bit kinds),
 *     run length R as a Fibonacci code (Zeckendorf bits, smallest term first, then an
 *     extra 1, so the code ends in 11), then R values of L bits each
 *   zero bits to the next byte boundary
 *
 * The first value of a block is stored whole, the others as the difference from the value
 * before, each in exactly as many bits as it needs (at least one). A value needing every
 * bit (a negative difference) is written with its sign bit as 0, which the decoder puts
 * back. FLOAT and DOUBLE differences are floating-point subtractions stored as their bit
 * patterns and added back in floating point, which can round: the reference decoder
 * accumulates that rounding, and so does this one.
 */

const BLOCK_VALUES = 10_000;

/** Bits needed for a 32-bit pattern; zero needs one. */
function bitLength32(v: number): number {
  return v === 0 ? 1 : 32 - Math.clz32(v);
}

function bitLength64(hi: number, lo: number): number {
  return (hi | lo) === 0 ? 1 : 64 - clz64(hi, lo);
}

/** Writes a run length as the reference's Fibonacci code. */
function writeFibonacci(w: BitWriter, run: number): void {
  const fib = [1, 2];
  while (fib[fib.length - 1]! <= run) fib.push(fib[fib.length - 1]! + fib[fib.length - 2]!);
  let top = fib.length - 1;
  while (fib[top]! > run) top--;
  let code = 0;
  for (let i = top, rest = run; rest > 0 && i >= 0; i--) {
    if (fib[i]! <= rest) {
      code |= 1 << i;
      rest -= fib[i]!;
    }
  }
  for (let i = 0; i <= top; i++) w.write((code >>> i) & 1, 1);
  w.write(1, 1);
}

/** Reads a Fibonacci-coded run length: terms 1, 2, 3, 5, ... until two 1 bits in a row. */
function readFibonacci(r: BitReader): number {
  let run = 0;
  let term = 1;
  let before = 1;
  let now = r.readBit();
  let next = r.readBit();
  for (;;) {
    if (now === 1) run += term;
    if (now === 1 && next === 1) return run;
    const t = term + before;
    before = term;
    term = t;
    now = next;
    next = r.readBit();
  }
}

/**
 * Encodes blocks of 32-bit patterns. `delta(v, prev)` gives the stored difference, as a
 * bit pattern.
 */
function encode32(
  values: Int32Array,
  from: number,
  to: number,
  out: ByteWriter,
  delta: (v: number, prev: number) => number,
): void {
  const w = new BitWriter(out, Math.min(to - from, BLOCK_VALUES) * 5 + 16);
  const deltas = new Int32Array(Math.min(to - from, BLOCK_VALUES));
  for (let block = from; block < to; block += BLOCK_VALUES) {
    const end = Math.min(to, block + BLOCK_VALUES);
    const n = end - block;
    deltas[0] = values[block]!;
    for (let i = 1; i < n; i++) deltas[i] = delta(values[block + i]!, values[block + i - 1]!);
    w.write(n, 32);
    for (let i = 0; i < n; ) {
      const length = bitLength32(deltas[i]!);
      let j = i + 1;
      while (j < n && bitLength32(deltas[j]!) === length) j++;
      w.write(length, 6);
      writeFibonacci(w, j - i);
      // The reference tests each bit with `(v & (1 << k)) > 0`, which is false for bit 31.
      const mask = length === 32 ? 0x7fffffff : -1;
      for (; i < j; i++) w.write(deltas[i]! & mask, length);
    }
    w.flush();
  }
}

/** Decodes blocks of 32-bit patterns; `add(prev, stored)` undoes the difference. */
function decode32(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number | undefined,
  add: (prev: number, stored: number) => number,
): Int32Array {
  const r = new BitReader(bytes, start, end);
  let out: Int32Array = new Int32Array(count ?? 64);
  let n = 0;
  const want = count ?? Number.POSITIVE_INFINITY;
  while (n < want && r.remaining > 0) {
    const blockValues = readBlockCount(r);
    let prev = 0;
    for (let inBlock = 0; inBlock < blockValues; ) {
      const length = r.read(6);
      if (length > 32) throw new CorruptDataError(`RLBE bit length ${length} exceeds 32`);
      const run = readFibonacci(r);
      if (run > blockValues - inBlock) throw new CorruptDataError(`RLBE run of ${run} overflows its block`);
      if (n + run > out.length) out = grow(out, n + run);
      for (let k = 0; k < run; k++) {
        let stored = r.read(length);
        if (length === 32) stored ^= 0x80000000;
        prev = inBlock === 0 ? stored | 0 : add(prev, stored | 0);
        out[n++] = prev;
        inBlock++;
      }
    }
    r.alignToByte();
  }
  if (count !== undefined && n < count) throw new CorruptDataError(`RLBE page holds ${n} of ${count} values`);
  const keep = count ?? n;
  return keep === out.length ? out : out.slice(0, keep);
}

/** Encodes blocks of 64-bit patterns (little-endian word pairs). */
function encode64(
  words: Int32Array,
  from: number,
  to: number,
  out: ByteWriter,
  delta: (hi: number, lo: number, prevHi: number, prevLo: number, result: Int32Array) => void,
): void {
  const w = new BitWriter(out, Math.min(to - from, BLOCK_VALUES) * 9 + 16);
  const deltas = new Int32Array(2 * Math.min(to - from, BLOCK_VALUES));
  const pair = new Int32Array(2);
  for (let block = from; block < to; block += BLOCK_VALUES) {
    const end = Math.min(to, block + BLOCK_VALUES);
    const n = end - block;
    deltas[0] = words[2 * block]!;
    deltas[1] = words[2 * block + 1]!;
    for (let i = 1; i < n; i++) {
      const at = 2 * (block + i);
      delta(words[at + 1]!, words[at]!, words[at - 1]!, words[at - 2]!, pair);
      deltas[2 * i] = pair[0]!;
      deltas[2 * i + 1] = pair[1]!;
    }
    w.write(n, 32);
    for (let i = 0; i < n; ) {
      const length = bitLength64(deltas[2 * i + 1]!, deltas[2 * i]!);
      let j = i + 1;
      while (j < n && bitLength64(deltas[2 * j + 1]!, deltas[2 * j]!) === length) j++;
      w.write(length, 7);
      writeFibonacci(w, j - i);
      const mask = length === 64 ? 0x7fffffff : -1;
      for (; i < j; i++) w.write64(deltas[2 * i + 1]! & mask, deltas[2 * i]!, length);
    }
    w.flush();
  }
}

/** Decodes blocks of 64-bit patterns into little-endian word pairs. */
function decode64(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number | undefined,
  add: (prevHi: number, prevLo: number, hi: number, lo: number, result: Int32Array) => void,
): Int32Array {
  const r = new BitReader(bytes, start, end);
  let out: Int32Array = new Int32Array(2 * (count ?? 64));
  let n = 0;
  const pair = new Int32Array(2);
  const want = count ?? Number.POSITIVE_INFINITY;
  while (n < want && r.remaining > 0) {
    const blockValues = readBlockCount(r);
    let prevHi = 0;
    let prevLo = 0;
    for (let inBlock = 0; inBlock < blockValues; ) {
      const length = r.read(7);
      if (length > 64) throw new CorruptDataError(`RLBE bit length ${length} exceeds 64`);
      const run = readFibonacci(r);
      if (run > blockValues - inBlock) throw new CorruptDataError(`RLBE run of ${run} overflows its block`);
      if (2 * (n + run) > out.length) out = grow(out, 2 * (n + run));
      for (let k = 0; k < run; k++) {
        let hi = length > 32 ? r.read(length - 32) | 0 : 0;
        const lo = r.read(Math.min(32, length)) | 0;
        if (length === 64) hi ^= 0x80000000;
        if (inBlock === 0) {
          prevHi = hi;
          prevLo = lo;
        } else {
          add(prevHi, prevLo, hi, lo, pair);
          prevLo = pair[0]!;
          prevHi = pair[1]!;
        }
        out[2 * n] = prevLo;
        out[2 * n + 1] = prevHi;
        n++;
        inBlock++;
      }
    }
    r.alignToByte();
  }
  if (count !== undefined && n < count) throw new CorruptDataError(`RLBE page holds ${n} of ${count} values`);
  const keep = 2 * (count ?? n);
  return keep === out.length ? out : out.slice(0, keep);
}

function readBlockCount(r: BitReader): number {
  const count = r.read(32);
  // Every value takes at least the bits of its segment, so a count beyond the bits left
  // cannot be honest; refusing it keeps a corrupt header from allocating gigabytes.
  if (count === 0 || count > r.remaining) throw new CorruptDataError(`RLBE block of ${count} values`);
  return count;
}

function grow(out: Int32Array, need: number): Int32Array {
  const next = new Int32Array(Math.max(need, out.length * 2));
  next.set(out);
  return next;
}

// Floating-point arithmetic on bit patterns, as the reference computes it on x86-64 (SSE):
// a NaN operand comes back quieted (the first one when both are NaN), and an invalid
// operation (infinity minus infinity) gives the negative default NaN. Which NaN a sum of
// two NaNs keeps varies in the reference itself (its interpreter and its compiled code
// order the operands differently), so only the sign and payload of such NaNs can differ.

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const w64 = new Int32Array(f64.buffer);

function isNaN32(bits: number): boolean {
  return (bits & 0x7fffffff) > 0x7f800000;
}

function floatOp(a: number, b: number, subtract: boolean): number {
  if (isNaN32(a)) return a | 0x00400000;
  if (isNaN32(b)) return b | 0x00400000;
  i32[0] = a;
  const x = f32[0]!;
  i32[0] = b;
  const y = f32[0]!;
  const result = subtract ? x - y : x + y;
  if (Number.isNaN(result)) return 0xffc00000 | 0;
  f32[0] = result;
  return i32[0]!;
}

function isNaN64(hi: number, lo: number): boolean {
  const h = hi & 0x7fffffff;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
}

function doubleOp(aHi: number, aLo: number, bHi: number, bLo: number, subtract: boolean, result: Int32Array): void {
  if (isNaN64(aHi, aLo)) {
    result[0] = aLo;
    result[1] = aHi | 0x00080000;
    return;
  }
  if (isNaN64(bHi, bLo)) {
    result[0] = bLo;
    result[1] = bHi | 0x00080000;
    return;
  }
  w64[0] = aLo;
  w64[1] = aHi;
  const x = f64[0]!;
  w64[0] = bLo;
  w64[1] = bHi;
  const y = f64[0]!;
  const sum = subtract ? x - y : x + y;
  if (Number.isNaN(sum)) {
    result[0] = 0;
    result[1] = 0xfff80000 | 0;
    return;
  }
  f64[0] = sum;
  result[0] = w64[0]!;
  result[1] = w64[1]!;
}

function sub64(hi: number, lo: number, prevHi: number, prevLo: number, result: Int32Array): void {
  const low = (lo >>> 0) - (prevLo >>> 0);
  result[0] = low;
  result[1] = (hi - prevHi - (low < 0 ? 1 : 0)) | 0;
}

function add64(prevHi: number, prevLo: number, hi: number, lo: number, result: Int32Array): void {
  const low = (prevLo >>> 0) + (lo >>> 0);
  result[0] = low;
  result[1] = (prevHi + hi + (low > 0xffffffff ? 1 : 0)) | 0;
}

/**
 * The reference writes a block out when it holds 10 000 values, and until then claims a
 * fixed bound of 20 bytes per value of a block (40 for 64-bit kinds): far above the 64 KiB
 * page size, so its writer ends an RLBE page at its first size check (1 500 values).
 */
function referenceSize(bytesPerValue: number): ReferencePageSize {
  return {
    readBackDependsOnPages: true,
    flushedValues: (count) => count - (count % BLOCK_VALUES),
    heldBytesMax: () => bytesPerValue * BLOCK_VALUES,
  };
}

export const rlbeInt32Codec: ValueCodec<Int32Array> = {
  referenceSize: referenceSize(20),
  encode(values, from, to, out) {
    encode32(values, from, to, out, (v, prev) => (v - prev) | 0);
  },
  decode(bytes, start, end, count) {
    return decode32(bytes, start, end, count, (prev, d) => (prev + d) | 0);
  },
};

export const rlbeFloatCodec: ValueCodec<Float32Array> = {
  referenceSize: referenceSize(20),
  encode(values, from, to, out) {
    const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
    encode32(bits, from, to, out, (v, prev) => floatOp(v, prev, true));
  },
  decode(bytes, start, end, count) {
    const bits = decode32(bytes, start, end, count, (prev, d) => floatOp(prev, d, false));
    return new Float32Array(bits.buffer, bits.byteOffset, bits.length);
  },
};

export const rlbeInt64Codec: ValueCodec<BigInt64Array> = {
  referenceSize: referenceSize(40),
  encode(values, from, to, out) {
    encode64(int64Words(values), from, to, out, sub64);
  },
  decode(bytes, start, end, count) {
    const words = decode64(bytes, start, end, count, add64);
    return new BigInt64Array(words.buffer, words.byteOffset, words.length >>> 1);
  },
};

export const rlbeDoubleCodec: ValueCodec<Float64Array> = {
  referenceSize: referenceSize(40),
  encode(values, from, to, out) {
    const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    encode64(words, from, to, out, (hi, lo, prevHi, prevLo, result) => doubleOp(hi, lo, prevHi, prevLo, true, result));
  },
  decode(bytes, start, end, count) {
    const words = decode64(bytes, start, end, count, (prevHi, prevLo, hi, lo, result) =>
      doubleOp(prevHi, prevLo, hi, lo, false, result),
    );
    return new Float64Array(words.buffer, words.byteOffset, words.length >>> 1);
  },
};

/** RLBE (TSEncoding 13) for int32, int64, float and double. */
export function rlbeCodecs(_options: EncodingOptions): EncodingCodecs {
  return { int32: rlbeInt32Codec, int64: rlbeInt64Codec, float: rlbeFloatCodec, double: rlbeDoubleCodec };
}
