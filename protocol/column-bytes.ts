import { bytesOf, swapToHostOrder } from './host-endian.js';
import { PayloadError } from './payload-error.js';

/**
 * Moves fixed-width columns (INT32/DATE/FLOAT: 4 bytes, INT64/TIMESTAMP/DOUBLE: 8 bytes)
 * between typed arrays and the dense big-endian value runs the result formats use, where
 * null rows take no room. Values move through 32-bit word views: no per-value objects,
 * no BigInt.
 */
export type FixedColumn = Int32Array | Float32Array | BigInt64Array | Float64Array;

/**
 * The big-endian bytes of the non-null values among rows [from, from + n) (`nulls[row]`
 * = 1 marks a null; null means none). `present` must be the count of non-null rows.
 */
export function gatherFixed(
  values: FixedColumn,
  from: number,
  n: number,
  width: 4 | 8,
  nulls: Uint8Array | null,
  present: number,
): Buffer {
  // Own, aligned memory so that a word view of it is possible.
  const out = Buffer.allocUnsafeSlow(present * width);
  if (present === n) {
    out.set(bytesOf(values.subarray(from, from + n)));
  } else {
    const words = width >> 2;
    const src = new Int32Array(values.buffer, values.byteOffset + from * width, n * words);
    const dst = new Int32Array(out.buffer, out.byteOffset, present * words);
    let p = 0;
    for (let i = 0; i < n; i++) {
      if (nulls![from + i] === 1) continue;
      dst[p++] = src[i * words]!;
      if (words === 2) dst[p++] = src[i * words + 1]!;
    }
  }
  swapToHostOrder(out, width);
  return out;
}

/**
 * Writes `present` dense big-endian values from `src` to rows `rowOf[0..present)` of
 * `values` (rows not named keep their content).
 */
export function scatterFixed(
  src: Uint8Array,
  values: FixedColumn,
  rowOf: Int32Array | null,
  present: number,
  width: 4 | 8,
): void {
  if (rowOf === null) {
    const target = bytesOf(values.subarray(0, present));
    target.set(src.subarray(0, present * width));
    swapToHostOrder(target, width);
    return;
  }
  const dense = Buffer.allocUnsafeSlow(present * width);
  dense.set(src.subarray(0, present * width));
  swapToHostOrder(dense, width);
  const words = width >> 2;
  const from = new Int32Array(dense.buffer, dense.byteOffset, present * words);
  const to = new Int32Array(values.buffer, values.byteOffset, values.length * words);
  for (let k = 0; k < present; k++) {
    const row = rowOf[k]!;
    to[row * words] = from[k * words]!;
    if (words === 2) to[row * words + 1] = from[k * words + 1]!;
  }
}

/** A plain Uint8Array copy of bytes [start, end) of `src` (never a Buffer, never a view). */
export function copyBytes(src: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(src.subarray(start, end));
  return out;
}

/**
 * Reads `count` values laid out as (int32be length, bytes) from `start`. The bytes are
 * copied once for the whole run and the values are views of that copy, so the result
 * holds on to its own bytes only, never to `src`. A length that is negative or runs past
 * the end is a PayloadError naming `what` and the value's index.
 */
export function readLengthPrefixed(
  src: Buffer,
  start: number,
  count: number,
  what: string,
): { values: Uint8Array[]; end: number } {
  const end = src.length;
  const offsets = new Int32Array(count + 1);
  let pos = start;
  for (let k = 0; k < count; k++) {
    if (pos + 4 > end) throw new PayloadError(`${what}: value ${k} has no length at offset ${pos}`);
    const length = src.readInt32BE(pos);
    if (length < 0 || length > end - pos - 4) {
      throw new PayloadError(`${what}: value ${k} claims ${length} bytes at offset ${pos}`);
    }
    offsets[k] = pos + 4;
    pos += 4 + length;
  }
  offsets[count] = pos + 4;
  const copy = new Uint8Array(pos - start);
  copy.set(src.subarray(start, pos));
  const values = new Array<Uint8Array>(count);
  for (let k = 0; k < count; k++) {
    const from = offsets[k]!;
    values[k] = copy.subarray(from - start, offsets[k + 1]! - 4 - start);
  }
  return { values, end: pos };
}
