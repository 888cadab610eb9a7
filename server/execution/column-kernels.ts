import type { ColumnValues, ValueKind } from '../../tsfile/data-type.js';
import { int64Words } from '../../tsfile/io/int64.js';

/**
 * Row moves on typed columns, one tight loop per value class, so a query moves values
 * without boxing them (INT64 goes through its 32-bit halves: reading a BigInt64Array
 * element would allocate a BigInt).
 */

type Numbers = Float64Array | Float32Array | Int32Array | Uint8Array;

/** dst[rows[x]] = src[from + x] for every x in [0, to - from). */
export function scatterValues(
  kind: ValueKind,
  src: ColumnValues,
  from: number,
  to: number,
  dst: ColumnValues,
  rows: Int32Array,
): void {
  const n = to - from;
  if (kind === 'int64') {
    const s = int64Words(src as BigInt64Array);
    const d = int64Words(dst as BigInt64Array);
    for (let x = 0; x < n; x++) {
      const r = rows[x]! << 1;
      const i = (from + x) << 1;
      d[r] = s[i]!;
      d[r + 1] = s[i + 1]!;
    }
  } else if (kind === 'binary') {
    const s = src as Uint8Array[];
    const d = dst as Uint8Array[];
    for (let x = 0; x < n; x++) d[rows[x]!] = s[from + x]!;
  } else {
    const s = src as Numbers;
    const d = dst as Numbers;
    for (let x = 0; x < n; x++) d[rows[x]!] = s[from + x]!;
  }
}

/** dst[x] = src[rows[x]] for every x in [0, n). */
export function gatherValues(kind: ValueKind, src: ColumnValues, rows: Int32Array, n: number, dst: ColumnValues): void {
  if (kind === 'int64') {
    const s = int64Words(src as BigInt64Array);
    const d = int64Words(dst as BigInt64Array);
    for (let x = 0; x < n; x++) {
      const i = rows[x]! << 1;
      d[2 * x] = s[i]!;
      d[2 * x + 1] = s[i + 1]!;
    }
  } else if (kind === 'binary') {
    const s = src as Uint8Array[];
    const d = dst as Uint8Array[];
    for (let x = 0; x < n; x++) d[x] = s[rows[x]!]!;
  } else {
    const s = src as Numbers;
    const d = dst as Numbers;
    for (let x = 0; x < n; x++) d[x] = s[rows[x]!]!;
  }
}

/** dst[x] = src[n - 1 - x] for every x in [0, n). */
export function reverseValues(kind: ValueKind, src: ColumnValues, n: number, dst: ColumnValues): void {
  if (kind === 'int64') {
    const s = int64Words(src as BigInt64Array);
    const d = int64Words(dst as BigInt64Array);
    for (let x = 0, i = 2 * (n - 1); x < n; x++, i -= 2) {
      d[2 * x] = s[i]!;
      d[2 * x + 1] = s[i + 1]!;
    }
  } else if (kind === 'binary') {
    const s = src as Uint8Array[];
    const d = dst as Uint8Array[];
    for (let x = 0; x < n; x++) d[x] = s[n - 1 - x]!;
  } else {
    const s = src as Numbers;
    const d = dst as Numbers;
    for (let x = 0; x < n; x++) d[x] = s[n - 1 - x]!;
  }
}

/** Row numbers of the 1 bytes of `mask[0, n)`, and how many there are. */
export function selectedRows(mask: Uint8Array, n: number): { rows: Int32Array; count: number } {
  const rows = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if (mask[i] === 1) rows[count++] = i;
  return { rows, count };
}

/**
 * The first index in [from, to) whose time (as 32-bit halves) is greater than (hi, lo),
 * or `to`; `lo` is unsigned. Times in [from, to) must be increasing.
 */
export function upperBound(words: Int32Array, from: number, to: number, hi: number, lo: number): number {
  let a = from;
  let b = to;
  while (a < b) {
    const mid = (a + b) >>> 1;
    const h = words[2 * mid + 1]!;
    if (h < hi || (h === hi && words[2 * mid]! >>> 0 <= lo)) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** The first index in [from, to) whose time is not less than (hi, lo), or `to`. */
export function lowerBound(words: Int32Array, from: number, to: number, hi: number, lo: number): number {
  let a = from;
  let b = to;
  while (a < b) {
    const mid = (a + b) >>> 1;
    const h = words[2 * mid + 1]!;
    if (h < hi || (h === hi && words[2 * mid]! >>> 0 < lo)) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** A timestamp as the (signed high, unsigned low) halves the bound searches take. */
export function timeHalves(t: bigint): { hi: number; lo: number } {
  return { hi: Number(BigInt.asIntN(32, t >> 32n)), lo: Number(BigInt.asUintN(32, t)) };
}
