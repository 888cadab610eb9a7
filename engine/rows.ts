import { allocateColumn, type ColumnValues, type DataType, valueKind } from '../tsfile/data-type.js';
import type { Tablet } from '../tsfile/tablet.js';
import { EngineError, StatusCode } from './errors.js';

/** One row of one device (IoTDB's insertRecord); a null value is a missing point. */
export interface Row {
  readonly device: string;
  readonly time: bigint;
  readonly measurements: readonly string[];
  readonly dataTypes: readonly DataType[];
  readonly values: readonly (number | bigint | boolean | Uint8Array | null)[];
  readonly aligned: boolean;
}

/** Groups consecutive rows with the same device, alignment and columns into tablets. */
export function rowsToTablets(rows: readonly Row[]): Tablet[] {
  const tablets: Tablet[] = [];
  let i = 0;
  while (i < rows.length) {
    const first = rows[i]!;
    const key = signature(first);
    let j = i + 1;
    while (j < rows.length && signature(rows[j]!) === key) j++;
    tablets.push(toTablet(rows.slice(i, j)));
    i = j;
  }
  return tablets;
}

function signature(r: Row): string {
  return `${r.device}\u0000${r.aligned}\u0000${r.measurements.join('\u0001')}\u0000${r.dataTypes.join(',')}`;
}

function toTablet(rows: readonly Row[]): Tablet {
  const first = rows[0]!;
  if (first.measurements.length !== first.values.length || first.measurements.length !== first.dataTypes.length) {
    throw new EngineError(
      StatusCode.ILLEGAL_PARAMETER,
      `row of ${first.device}: measurements, types and values differ in length`,
    );
  }
  const n = rows.length;
  const times = BigInt64Array.from(rows, (r) => r.time);
  const columns: ColumnValues[] = [];
  const nulls: (Uint8Array | null)[] = [];
  first.measurements.forEach((name, j) => {
    const type = first.dataTypes[j]!;
    const column = allocateColumn(type, n) as unknown as unknown[];
    const rowNulls = new Uint8Array(n);
    let any = false;
    rows.forEach((r, k) => {
      const v = r.values[j];
      if (v === null || v === undefined) {
        rowNulls[k] = 1;
        any = true;
      } else {
        column[k] = coerce(v, type, `${r.device}.${name}`);
      }
    });
    columns.push(column as unknown as ColumnValues);
    nulls.push(any ? rowNulls : null);
  });
  return {
    device: first.device,
    aligned: first.aligned,
    measurements: first.measurements,
    dataTypes: first.dataTypes,
    times,
    columns,
    nulls,
    rowCount: n,
  };
}

function coerce(v: number | bigint | boolean | Uint8Array, type: DataType, path: string): unknown {
  const bad = () => new EngineError(StatusCode.DATA_TYPE_MISMATCH, `value ${String(v)} does not fit ${path}'s type`);
  switch (valueKind(type)) {
    case 'boolean':
      if (typeof v !== 'boolean') throw bad();
      return v ? 1 : 0;
    case 'int32':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw bad();
      return v;
    case 'int64':
      if (typeof v === 'bigint')
        return BigInt.asIntN(64, v) === v
          ? v
          : (() => {
              throw bad();
            })();
      if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
      throw bad();
    case 'float':
    case 'double':
      if (typeof v !== 'number') throw bad();
      return v;
    case 'binary':
      if (!(v instanceof Uint8Array)) throw bad();
      return v;
  }
}
