import type { ResultBlock } from '../../protocol/result-block.js';
import { copyColumn } from '../../tsfile/column-ops.js';
import { allocateColumn, type ColumnValues, type DataType } from '../../tsfile/data-type.js';
import type { ColumnBlock } from '../../tsfile/tablet.js';
import type { RowTest, RowView } from './row-predicate.js';

/** Reads one series' time-ordered blocks a row at a time (or a run at a time). */
class SeriesCursor {
  block: ColumnBlock | null = null;
  i = 0;

  constructor(private readonly blocks: Iterator<ColumnBlock>) {
    this.nextBlock();
  }

  nextBlock(): void {
    for (;;) {
      const step = this.blocks.next();
      if (step.done) {
        this.block = null;
        return;
      }
      if (step.value.length > 0) {
        this.block = step.value;
        this.i = 0;
        return;
      }
    }
  }

  skip(n: number): void {
    this.i += n;
    if (this.i >= this.block!.length) this.nextBlock();
  }

  close(): void {
    this.blocks.return?.(undefined);
    this.block = null;
  }
}

export interface MergeInput {
  readonly type: DataType;
  readonly blocks: Iterator<ColumnBlock>;
}

export interface MergeOptions {
  /** Rows per produced block. */
  readonly blockRows: number;
  /** Output column k is merged column `output[k]` (a column may appear twice). */
  readonly output: readonly number[];
  /** Rows failing it are dropped (WHERE on values). */
  readonly test: RowTest | null;
  /** Merged columns [0, visible) are selected; a row with no value among them is dropped. */
  readonly visible: number;
}

function sameTimes(a: ColumnBlock, ai: number, b: ColumnBlock, bi: number, n: number): boolean {
  const x = Buffer.from(a.times.buffer, a.times.byteOffset + ai * 8, n * 8);
  const y = Buffer.from(b.times.buffer, b.times.byteOffset + bi * 8, n * 8);
  return x.equals(y);
}

/**
 * Joins series on time (a full outer join, as IoTDB's raw query aligns by time) into
 * result blocks. When every series holds the same timestamps for a run of rows (series
 * written together, aligned devices), the run is copied column by column with no per-row
 * work; otherwise rows are merged one at a time.
 */
export function* mergeRows(inputs: readonly MergeInput[], options: MergeOptions): Generator<ResultBlock> {
  const k = inputs.length;
  const cursors = inputs.map((s) => new SeriesCursor(s.blocks));
  const cap = options.blockRows;
  const bulkAllowed = options.test === null && options.visible === k;
  try {
    for (;;) {
      const times = new BigInt64Array(cap);
      const columns: ColumnValues[] = inputs.map((s) => allocateColumn(s.type, cap));
      const nulls = inputs.map(() => new Uint8Array(cap));
      const view: RowView = { times, columns, nulls };
      let r = 0;
      while (r < cap) {
        if (bulkAllowed) {
          const run = commonRun(cursors, cap - r);
          if (run > 0) {
            const c0 = cursors[0]!;
            times.set(c0.block!.times.subarray(c0.i, c0.i + run), r);
            for (let j = 0; j < k; j++) {
              const c = cursors[j]!;
              const block = c.block!;
              copyColumn(block.values, c.i, c.i + run, columns[j]!, r);
              if (block.nulls !== null) nulls[j]!.set(block.nulls.subarray(c.i, c.i + run), r);
              c.skip(run);
            }
            r += run;
            continue;
          }
        }
        let min: bigint | null = null;
        for (let j = 0; j < k; j++) {
          const c = cursors[j]!;
          if (c.block === null) continue;
          const t = c.block.times[c.i]!;
          if (min === null || t < min) min = t;
        }
        if (min === null) break;
        times[r] = min;
        for (let j = 0; j < k; j++) {
          const c = cursors[j]!;
          const block = c.block;
          if (block !== null && block.times[c.i] === min) {
            if (block.nulls !== null && block.nulls[c.i] === 1) nulls[j]![r] = 1;
            else copyColumn(block.values, c.i, c.i + 1, columns[j]!, r);
            c.skip(1);
          } else {
            nulls[j]![r] = 1;
          }
        }
        if (options.test !== null && !options.test(view, r)) {
          for (let j = 0; j < k; j++) nulls[j]![r] = 0;
          continue;
        }
        if (options.visible < k) {
          let any = false;
          for (let j = 0; j < options.visible && !any; j++) any = nulls[j]![r] === 0;
          if (!any) {
            for (let j = 0; j < k; j++) nulls[j]![r] = 0;
            continue;
          }
        }
        r++;
      }
      if (r > 0) {
        yield {
          times,
          rowCount: r,
          columns: options.output.map((j) => ({
            type: inputs[j]!.type,
            values: columns[j]!,
            nulls: nulls[j]!.subarray(0, r).includes(1) ? nulls[j]! : null,
          })),
        };
      }
      if (r < cap) return;
    }
  } finally {
    for (const c of cursors) c.close();
  }
}

/** Rows (up to `room`) that every series has at the same timestamps from where it stands; 0 if none. */
function commonRun(cursors: readonly SeriesCursor[], room: number): number {
  const c0 = cursors[0];
  if (c0 === undefined || c0.block === null) return 0;
  let n = Math.min(room, c0.block.length - c0.i);
  for (let j = 1; j < cursors.length; j++) {
    const c = cursors[j]!;
    if (c.block === null) return 0;
    n = Math.min(n, c.block.length - c.i);
  }
  if (n < 16) return 0;
  for (let j = 1; j < cursors.length; j++) {
    const c = cursors[j]!;
    if (!sameTimes(c0.block, c0.i, c.block!, c.i, n)) return 0;
  }
  return n;
}
