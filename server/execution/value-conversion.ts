import { type ColumnValues, type DataType, valueKind } from '../../tsfile/data-type.js';

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Stores a value of any numeric class into a column of `type` (aggregation results). */
export function storeValue(column: ColumnValues, type: DataType, row: number, value: unknown): void {
  switch (valueKind(type)) {
    case 'boolean':
      (column as Uint8Array)[row] = value ? 1 : 0;
      return;
    case 'int64':
      (column as BigInt64Array)[row] = typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value)));
      return;
    case 'binary':
      (column as Uint8Array[])[row] = value as Uint8Array;
      return;
    default:
      (column as Float64Array)[row] = Number(value);
  }
}
