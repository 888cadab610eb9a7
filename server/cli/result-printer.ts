import type { QueryResult } from '../../protocol/client/query-result.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { renderTable, rowTexts, type TimeStyle } from './result-table.js';

export interface PrintOptions {
  /** Rows per table. */
  readonly maxRows: number;
  readonly time: TimeStyle;
  /**
   * Asked after each full table while rows remain: show the next one? Null prints every
   * table without asking (`-e`).
   */
  readonly more: (() => Promise<boolean>) | null;
}

/** Rows of a result as text, taken in runs, knowing whether any is left. */
class RowCursor {
  private block: ResultBlock | null = null;
  private row = 0;
  private done = false;

  constructor(
    private readonly blocks: AsyncIterator<ResultBlock>,
    private readonly result: QueryResult,
    private readonly time: TimeStyle,
  ) {}

  async hasNext(): Promise<boolean> {
    while (!this.done && (this.block === null || this.row >= this.block.rowCount)) {
      const next = await this.blocks.next();
      if (next.done === true) this.done = true;
      else {
        this.block = next.value;
        this.row = 0;
      }
    }
    return !this.done;
  }

  async take(n: number): Promise<string[][]> {
    const rows: string[][] = [];
    while (rows.length < n && (await this.hasNext())) {
      const block = this.block!;
      const to = Math.min(block.rowCount, this.row + n - rows.length);
      const withTime = !this.result.ignoreTimeStamp;
      rows.push(...rowTexts(block, this.row, to, this.result.columnNames, withTime, this.time));
      this.row = to;
    }
    return rows;
  }
}

/**
 * Prints a result as IoTDB's CLI does: tables of up to `maxRows` rows, each with its own
 * header and widths; after the last one `Total line number = N` (`Empty set.` for none);
 * `It costs` after the first. Stopping early releases the query on the node.
 */
export async function printResult(
  result: QueryResult,
  costMs: number,
  print: (text: string) => void,
  options: PrintOptions,
): Promise<void> {
  const header = result.ignoreTimeStamp ? [...result.columnNames] : ['Time', ...result.columnNames];
  const blocks = result.blocks();
  const cursor = new RowCursor(blocks, result, options.time);
  let total = 0;
  try {
    for (let first = true; ; first = false) {
      const rows = await cursor.take(options.maxRows);
      total += rows.length;
      const end = !(await cursor.hasNext());
      print(renderTable(header, rows));
      if (end) print(total === 0 ? 'Empty set.' : `Total line number = ${total}`);
      if (first) print(`It costs ${(Math.round(costMs) / 1000).toFixed(3)}s`);
      if (end) return;
      if (options.more !== null) {
        print(`This display ${options.maxRows} rows. Press ENTER to show more, input 'q' to quit.`);
        if (!(await options.more())) return;
      }
    }
  } finally {
    await blocks.return(undefined);
  }
}
