/**
 * 64-bit integers without BigInt arithmetic. INT64 columns are BigInt64Arrays; hot loops
 * read and write them through `int64Words` (little-endian: word 2i is the low half, word
 * 2i+1 the high half). Values within ±2^53 move through plain numbers exactly.
 */

export const TWO_POW_32 = 4294967296;

export function int64Words(column: BigInt64Array): Int32Array {
  return new Int32Array(column.buffer, column.byteOffset, column.length * 2);
}

/** Reads word pair i as a number; exact when the value is a safe integer. */
export function readInt64AsNumber(words: Int32Array, i: number): number {
  return words[2 * i + 1]! * TWO_POW_32 + (words[2 * i]! >>> 0);
}

/** Writes an integer-valued number (|v| <= 2^53) into word pair i. */
export function writeInt64FromNumber(words: Int32Array, i: number, v: number): void {
  words[2 * i] = v >>> 0;
  words[2 * i + 1] = Math.floor(v / TWO_POW_32);
}

/** True when the high word keeps the value inside the safe-integer range. */
export function isSafeHighWord(high: number): boolean {
  return high >= -0x200000 && high < 0x200000;
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** Wraps a bigint to signed 64 bits, as Java's long arithmetic does. */
export function wrapInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/**
 * The first index i in (from, to) whose time is not after times[i - 1], or -1 when
 * times[from, to) strictly increase. Compares 32-bit halves: it runs for every row written.
 */
export function firstNotIncreasing(times: BigInt64Array, from: number, to: number): number {
  const w = int64Words(times);
  for (let i = from + 1; i < to; i++) {
    const hi = w[2 * i + 1]!;
    const prevHi = w[2 * i - 1]!;
    if (hi < prevHi || (hi === prevHi && w[2 * i]! >>> 0 <= w[2 * i - 2]! >>> 0)) return i;
  }
  return -1;
}
