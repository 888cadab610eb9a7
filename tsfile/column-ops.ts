import type { ColumnValues } from './data-type.js';

/** Copies values[from, to) into dst at `at` (typed arrays by memcpy, binary by reference). */
export function copyColumn(src: ColumnValues, from: number, to: number, dst: ColumnValues, at: number): void {
  if (Array.isArray(src)) {
    const d = dst as Uint8Array[];
    for (let i = from; i < to; i++) d[at + i - from] = src[i]!;
  } else {
    (dst as Float64Array).set((src as Float64Array).subarray(from, to), at);
  }
}

/** A copy of values[from, to). */
export function sliceColumn(values: ColumnValues, from: number, to: number): ColumnValues {
  return Array.isArray(values) ? values.slice(from, to) : values.slice(from, to);
}

/** A view (typed arrays) or shallow copy (binary) of values[from, to). */
export function viewColumn(values: ColumnValues, from: number, to: number): ColumnValues {
  return Array.isArray(values) ? values.slice(from, to) : values.subarray(from, to);
}

/** A new column of the values at the given row positions, in that order. */
export function pickRows(values: ColumnValues, rows: ArrayLike<number>): ColumnValues {
  const n = rows.length;
  if (Array.isArray(values)) {
    const out = new Array<Uint8Array>(n);
    for (let k = 0; k < n; k++) out[k] = values[rows[k]!]!;
    return out;
  }
  const out = new (values.constructor as new (length: number) => typeof values)(n);
  for (let k = 0; k < n; k++) (out as Float64Array)[k] = (values as Float64Array)[rows[k]!]!;
  return out;
}

/** Row positions whose null byte is not 1. */
export function presentRows(nulls: Uint8Array, length: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < length; i++) if (nulls[i] !== 1) rows.push(i);
  return rows;
}
