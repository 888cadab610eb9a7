import type { ColumnValues, DataType } from '../tsfile/data-type.js';

/**
 * One value column of a query result. `type` is the logical type the client is told in
 * `dataTypeList` (DATE, TIMESTAMP, STRING, BLOB included); the result codecs derive the
 * wire type from it. `values` holds at least the block's `rowCount` entries in the
 * column class of `type` (see `allocateColumn`); `nulls`, when present, marks null rows
 * with 1 and the value slot of a null row is ignored.
 */
export interface ResultColumn {
  readonly type: DataType;
  readonly values: ColumnValues;
  readonly nulls: Uint8Array | null;
}

/**
 * Rows of a query result in columns, the shape the engine hands to the server and the
 * server hands to either result codec (`tsblock-codec.ts` for the V2 methods,
 * `query-dataset-codec.ts` for the V1 ones). `times` holds at least `rowCount`
 * timestamps. Encoders take a row range so a large block goes out in fetch-size pieces
 * without copies.
 */
export interface ResultBlock {
  readonly times: BigInt64Array;
  readonly columns: readonly ResultColumn[];
  readonly rowCount: number;
}
