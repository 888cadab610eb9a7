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

/**
 * About the bytes a tablet takes serialized (in a request, or a WAL entry): its times, its
 * values (text by length), bitmaps and names. An estimate, for caps and reserves that are
 * bounds, not exact frames.
 */
export function tabletBytes(tablet: Tablet): number {
  let bytes = 32 + tablet.device.length + tablet.rowCount * 8;
  for (let j = 0; j < tablet.columns.length; j++) {
    const column = tablet.columns[j]!;
    bytes += 16 + tablet.measurements[j]!.length + (tablet.nulls[j] === null ? 0 : tablet.rowCount / 8 + 9);
    if (Array.isArray(column)) for (const value of column as readonly Uint8Array[]) bytes += 5 + value.length;
    else bytes += (column as ArrayLike<number> & { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT * tablet.rowCount;
  }
  return bytes;
}

/** A run of points of one column: decoded pages come out in this shape. */
export interface ColumnBlock {
  readonly times: BigInt64Array;
  readonly values: ColumnValues;
  /** One byte per row, 1 = null; null when every row has a value. */
  readonly nulls: Uint8Array | null;
  readonly length: number;
}
