import type { ColumnValues, DataType } from './data-type.js';

/**
 * Rows of one device in columns, the shape every layer passes around (IoTDB's Tablet).
 * `times` holds `rowCount` timestamps; `columns[j]` holds `rowCount` values of
 * `dataTypes[j]`; `nulls[j]`, when present, marks null rows with 1 (the value slot of a
 * null row is ignored).
 */
export interface Tablet {
  readonly device: string;
  readonly measurements: readonly string[];
  readonly dataTypes: readonly DataType[];
  readonly times: BigInt64Array;
  readonly columns: readonly ColumnValues[];
  readonly nulls: readonly (Uint8Array | null)[];
  readonly rowCount: number;
  readonly aligned: boolean;
}

/** A run of points of one column: decoded pages come out in this shape. */
export interface ColumnBlock {
  readonly times: BigInt64Array;
  readonly values: ColumnValues;
  /** One byte per row, 1 = null; null when every row has a value. */
  readonly nulls: Uint8Array | null;
  readonly length: number;
}
