import type { ResultBlock } from '../../protocol/result-block.js';
import type { DataType } from '../../tsfile/data-type.js';
import { reverseBlock, sliceBlock } from './block-ops.js';
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

/** OFFSET then LIMIT over a block stream; stops pulling once the limit is reached. */
export function* paginate(blocks: Iterable<ResultBlock>, offset: number, limit: number | null): Generator<ResultBlock> {
  let skip = offset;
  let left = limit ?? Number.POSITIVE_INFINITY;
  if (left <= 0) return;
  for (const block of blocks) {
    let from = 0;
    if (skip > 0) {
      from = Math.min(skip, block.rowCount);
      skip -= from;
    }
    const to = Math.min(block.rowCount, from + left);
    if (to <= from) continue;
    left -= to - from;
    yield from === 0 && to === block.rowCount ? block : sliceBlock(block, from, to);
    if (left <= 0) return;
  }
}

/**
 * The rows of a stream last first (ORDER BY TIME DESC). The stream is read to its end;
 * only its last `keep` rows are held (OFFSET + LIMIT when given), whole blocks at a time.
 */
export function* reversed(blocks: Iterable<ResultBlock>, keep: number): Generator<ResultBlock> {
  const held: ResultBlock[] = [];
  let rows = 0;
  for (const block of blocks) {
    if (block.rowCount === 0) continue;
    held.push(block);
    rows += block.rowCount;
    while (held.length > 1 && rows - held[0]!.rowCount >= keep) rows -= held.shift()!.rowCount;
  }
  for (let b = held.length - 1; b >= 0; b--) {
    const block = held[b]!;
    held.length = b;
    yield reverseBlock(block);
  }
}

/** How many rows a paginated stream can use at most (what `reversed` must keep). */
export function rowsNeeded(offset: number, limit: number | null): number {
  return limit === null ? Number.POSITIVE_INFINITY : offset + limit;
}
