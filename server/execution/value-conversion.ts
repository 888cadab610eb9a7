import { type ColumnValues, DataType, valueKind } from '../../tsfile/data-type.js';
import { formatJavaDouble, formatJavaFloat } from '../../tsfile/text/java-number-format.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A value as IoTDB prints it in text results (SELECT LAST's Value, SHOW columns). */
export function valueText(type: DataType, value: unknown): string {
  switch (type) {
    case DataType.BOOLEAN:
      return value ? 'true' : 'false';
    case DataType.FLOAT:
      return formatJavaFloat(value as number);
    case DataType.DOUBLE:
      return formatJavaDouble(value as number);
    case DataType.TEXT:
    case DataType.STRING:
      return decoder.decode(value as Uint8Array);
    case DataType.BLOB:
      return `0x${Buffer.from(value as Uint8Array).toString('hex')}`;
    case DataType.DATE: {
      const n = Number(value);
      const y = Math.floor(n / 10000);
      const m = Math.floor(n / 100) % 100;
      const d = n % 100;
      return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    }
    default:
      return String(value);
  }
}

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
