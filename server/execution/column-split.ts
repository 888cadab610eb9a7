import type { ResultBlock } from '../../protocol/result-block.js';
import { allocateColumn, valueKind } from '../../tsfile/data-type.js';
import type { ColumnBlock } from '../../tsfile/tablet.js';
import { gatherValues } from './column-kernels.js';

/**
 * Splits a stream of row blocks into one point stream per column (its non-null rows):
 * how filtered rows reach per-series aggregation. Blocks are pulled once and held until
 * every consumer has passed them; consumers that advance together (windows batch by
 * batch) keep that to a block or two.
 */
export function splitColumns(source: Iterator<ResultBlock>, columns: number): Iterator<ColumnBlock>[] {
  const buffer: ResultBlock[] = [];
  let base = 0;
  let finished = false;
  const positions = new Array<number>(columns).fill(0);

  const blockAt = (position: number): ResultBlock | null => {
    while (position - base >= buffer.length) {
      if (finished) return null;
      const step = source.next();
      if (step.done) {
        finished = true;
        return null;
      }
      buffer.push(step.value);
    }
    return buffer[position - base]!;
  };
  const release = () => {
    const low = Math.min(...positions);
    while (base < low && buffer.length > 0) {
      buffer.shift();
      base++;
    }
  };

  function* consumer(j: number): Generator<ColumnBlock> {
    for (;;) {
      const block = blockAt(positions[j]!);
      if (block === null) return;
      positions[j]!++;
      release();
      const points = columnPoints(block, j);
      if (points.length > 0) yield points;
    }
  }
  return Array.from({ length: columns }, (_, j) => consumer(j));
}

/** Column j of a block as points: its non-null rows. */
function columnPoints(block: ResultBlock, j: number): ColumnBlock {
  const c = block.columns[j]!;
  const n = block.rowCount;
  if (c.nulls === null) return { times: block.times.subarray(0, n), values: c.values, nulls: null, length: n };
  const rows = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if (c.nulls[i] !== 1) rows[count++] = i;
  const times = new BigInt64Array(count);
  gatherValues('int64', block.times, rows, count, times);
  const values = allocateColumn(c.type, count);
  gatherValues(valueKind(c.type), c.values, rows, count, values);
  return { times, values, nulls: null, length: count };
}
