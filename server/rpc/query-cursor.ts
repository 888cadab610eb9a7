import type { ResultBlock } from '../../protocol/result-block.js';
import { copyColumn } from '../../tsfile/column-ops.js';
import { allocateColumn } from '../../tsfile/data-type.js';
import type { ResultSet } from '../execution/statement-outcome.js';

/** Rows [from, to) of one block: a page is a list of these, so paging never copies rows. */
export interface BlockSlice {
  readonly block: ResultBlock;
  readonly from: number;
  readonly to: number;
}

export interface Page {
  readonly slices: readonly BlockSlice[];
  readonly rowCount: number;
  /** True when the result holds no rows beyond this page. */
  readonly finished: boolean;
}

/**
 * An open query of a session: its result set and how far the client has read. A page is
 * cut at the fetch size; one block is read ahead so a page knows whether it is the last
 * (the client is told `moreData` without an extra round trip).
 */
export class QueryCursor {
  private current: ResultBlock | null = null;
  private offset = 0;
  private exhausted = false;

  constructor(
    readonly id: bigint,
    readonly statementId: bigint,
    readonly result: ResultSet,
  ) {}

  nextPage(fetchSize: number): Page {
    const slices: BlockSlice[] = [];
    let rows = 0;
    while (rows < fetchSize && this.fill()) {
      const block = this.current!;
      const take = Math.min(fetchSize - rows, block.rowCount - this.offset);
      slices.push({ block, from: this.offset, to: this.offset + take });
      this.offset += take;
      rows += take;
    }
    return { slices, rowCount: rows, finished: !this.fill() };
  }

  close(): void {
    this.exhausted = true;
    this.current = null;
    this.result.close();
  }

  /** Makes `current` hold unread rows; false at the end. */
  private fill(): boolean {
    while (!this.exhausted && (this.current === null || this.offset >= this.current.rowCount)) {
      const next = this.result.next();
      if (next === null) {
        this.exhausted = true;
        this.current = null;
      } else {
        this.current = next;
        this.offset = 0;
      }
    }
    return !this.exhausted;
  }
}

/** One block holding a page's rows (the V1 format carries a single data set per reply). */
export function joinSlices(slices: readonly BlockSlice[], rowCount: number): BlockSlice {
  if (slices.length === 1) return slices[0]!;
  const first = slices[0]!.block;
  const times = new BigInt64Array(rowCount);
  const columns = first.columns.map((c, j) => ({
    type: c.type,
    values: allocateColumn(c.type, rowCount),
    nulls: slices.some((s) => s.block.columns[j]!.nulls !== null) ? new Uint8Array(rowCount) : null,
  }));
  let at = 0;
  for (const s of slices) {
    times.set(s.block.times.subarray(s.from, s.to), at);
    s.block.columns.forEach((c, j) => {
      copyColumn(c.values, s.from, s.to, columns[j]!.values, at);
      if (c.nulls !== null) columns[j]!.nulls!.set(c.nulls.subarray(s.from, s.to), at);
    });
    at += s.to - s.from;
  }
  return { block: { times, columns, rowCount }, from: 0, to: rowCount };
}
