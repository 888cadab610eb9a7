import type { ResultBlock } from '../../protocol/result-block.js';
import type { DataType } from '../../tsfile/data-type.js';

/**
 * Rows a statement answers with, pulled block by block so a large result is never held
 * whole. The RPC layer encodes blocks in fetch-size pieces (TsBlock or TSQueryDataSet).
 */
export interface ResultSet {
  /** Column headers after `Time`, as IoTDB names them (`root.sg.d1.s1`, `count(root.sg.d1.s1)`, `Timeseries`). */
  readonly columnNames: readonly string[];
  /** The logical type of each column (what `dataTypeList` tells the client). */
  readonly dataTypes: readonly DataType[];
  /** True where IoTDB sets `ignoreTimeStamp`: SHOW/COUNT/LIST statements and aggregations without GROUP BY. */
  readonly ignoreTimeStamp: boolean;
  /** The next rows (at least one), or null when there are no more. */
  next(): ResultBlock | null;
  /** Releases what the result holds; further `next` calls answer null. */
  close(): void;
}

/** What running one statement gave: a success message, or rows. Errors are thrown as `EngineError`. */
export type StatementOutcome =
  | { readonly kind: 'done'; readonly message?: string }
  | { readonly kind: 'rows'; readonly result: ResultSet };
