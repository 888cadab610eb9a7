import type { ResultBlock, ResultColumn } from '../../protocol/result-block.js';
import { viewColumn } from '../../tsfile/column-ops.js';
import { allocateColumn, valueKind } from '../../tsfile/data-type.js';
import { int64Words } from '../../tsfile/io/int64.js';
import { gatherValues, reverseValues } from './column-kernels.js';

/**
 * Whole-block operations of the query pipeline. Blocks are never changed once built: each
 * operation returns new columns (or views of the input), so a block handed to the client
 * stays valid whatever happens upstream.
 */

/** Rows [from, to) of a block, as views. */
export function sliceBlock(block: ResultBlock, from: number, to: number): ResultBlock {
  return {
    times: block.times.subarray(from, to),
    rowCount: to - from,
    columns: block.columns.map((c) => ({
      type: c.type,
      values: viewColumn(c.values, from, to),
      nulls: c.nulls === null ? null : c.nulls.subarray(from, to),
    })),
  };
}

/** The block's rows at positions `rows[0, count)`, in that order. */
export function gatherBlock(block: ResultBlock, rows: Int32Array, count: number): ResultBlock {
  const times = new BigInt64Array(count);
  gatherValues('int64', block.times, rows, count, times);
  return { times, rowCount: count, columns: block.columns.map((c) => gatherColumn(c, rows, count)) };
}

function gatherColumn(c: ResultColumn, rows: Int32Array, count: number): ResultColumn {
  const values = allocateColumn(c.type, count);
  gatherValues(valueKind(c.type), c.values, rows, count, values);
  if (c.nulls === null) return { type: c.type, values, nulls: null };
  const nulls = new Uint8Array(count);
  let any = false;
  for (let x = 0; x < count; x++) if ((nulls[x] = c.nulls[rows[x]!]!) === 1) any = true;
  return { type: c.type, values, nulls: any ? nulls : null };
}

/** The block's rows last first. */
export function reverseBlock(block: ResultBlock): ResultBlock {
  const n = block.rowCount;
  const times = new BigInt64Array(n);
  const src = int64Words(block.times);
  const dst = int64Words(times);
  for (let x = 0, i = 2 * (n - 1); x < n; x++, i -= 2) {
    dst[2 * x] = src[i]!;
    dst[2 * x + 1] = src[i + 1]!;
  }
  return {
    times,
    rowCount: n,
    columns: block.columns.map((c) => {
      const values = allocateColumn(c.type, n);
      reverseValues(valueKind(c.type), c.values, n, values);
      let nulls: Uint8Array | null = null;
      if (c.nulls !== null) {
        nulls = new Uint8Array(n);
        for (let x = 0; x < n; x++) nulls[x] = c.nulls[n - 1 - x]!;
      }
      return { type: c.type, values, nulls };
    }),
  };
}

/** The same rows with columns picked (and possibly repeated) by index; no copy. */
export function projectBlock(block: ResultBlock, columns: readonly number[]): ResultBlock {
  return { times: block.times, rowCount: block.rowCount, columns: columns.map((j) => block.columns[j]!) };
}

/** A column of `rows` nulls of a type (a column the row has no value for). */
export function nullColumn(type: ResultColumn['type'], rows: number): ResultColumn {
  return { type, values: allocateColumn(type, rows), nulls: new Uint8Array(rows).fill(1) };
}
