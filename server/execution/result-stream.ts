import type { ResultBlock } from '../../protocol/result-block.js';
import { viewColumn } from '../../tsfile/column-ops.js';
import { allocateColumn, type DataType } from '../../tsfile/data-type.js';
import type { ResultSet } from './statement-outcome.js';

/** A result set over a generator of blocks; empty blocks are skipped, `close` ends the generator. */
export function streamResult(
  columnNames: readonly string[],
  dataTypes: readonly DataType[],
  ignoreTimeStamp: boolean,
  blocks: Generator<ResultBlock>,
): ResultSet {
  let open = true;
  return {
    columnNames,
    dataTypes,
    ignoreTimeStamp,
    next() {
      while (open) {
        const step = blocks.next();
        if (step.done) {
          open = false;
          return null;
        }
        if (step.value.rowCount > 0) return step.value;
      }
      return null;
    },
    close() {
      if (open) blocks.return(undefined);
      open = false;
    },
  };
}

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

/** OFFSET then LIMIT over a block stream. */
export function* paginate(blocks: Iterable<ResultBlock>, offset: number, limit: number | null): Generator<ResultBlock> {
  let skip = offset;
  let left = limit ?? Number.POSITIVE_INFINITY;
  for (const block of blocks) {
    if (left <= 0) return;
    let from = 0;
    if (skip > 0) {
      from = Math.min(skip, block.rowCount);
      skip -= from;
    }
    const to = Math.min(block.rowCount, from + left);
    if (to <= from) continue;
    left -= to - from;
    yield from === 0 && to === block.rowCount ? block : sliceBlock(block, from, to);
  }
}

/** Every row of a stream, last first (ORDER BY TIME DESC), in blocks of `blockRows`. */
export function* reversed(blocks: Iterable<ResultBlock>, blockRows: number): Generator<ResultBlock> {
  const all = [...blocks];
  let pending: { block: ResultBlock; row: number }[] = [];
  for (let b = all.length - 1; b >= 0; b--) {
    const block = all[b]!;
    for (let i = block.rowCount - 1; i >= 0; i--) {
      pending.push({ block, row: i });
      if (pending.length === blockRows) {
        yield gather(pending);
        pending = [];
      }
    }
  }
  if (pending.length > 0) yield gather(pending);
}

/** One block made of the given rows of other blocks (same column layout). */
function gather(rows: readonly { block: ResultBlock; row: number }[]): ResultBlock {
  const first = rows[0]!.block;
  const n = rows.length;
  const times = new BigInt64Array(n);
  const columns = first.columns.map((c) => ({
    type: c.type,
    values: allocateColumn(c.type, n),
    nulls: new Uint8Array(n),
  }));
  rows.forEach(({ block, row }, k) => {
    times[k] = block.times[row]!;
    block.columns.forEach((c, j) => {
      const out = columns[j]!;
      if (c.nulls?.[row] === 1) out.nulls[k] = 1;
      else (out.values as unknown[])[k] = (c.values as ArrayLike<unknown>)[row];
    });
  });
  return { times, rowCount: n, columns: columns.map((c) => ({ ...c, nulls: c.nulls.includes(1) ? c.nulls : null })) };
}
