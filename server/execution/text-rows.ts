import type { ResultBlock } from '../../protocol/result-block.js';
import { allocateColumn, DataType } from '../../tsfile/data-type.js';
import { streamResult } from './result-stream.js';
import type { ResultSet } from './statement-outcome.js';
import { storeValue, utf8 } from './value-conversion.js';

/**
 * A small result built from rows of JS values (SHOW, COUNT, LIST statements): strings
 * become text, null or undefined a null cell. `ignoreTimeStamp` is set, as for every SHOW.
 */
export function typedRows(
  columnNames: readonly string[],
  dataTypes: readonly DataType[],
  rows: readonly (readonly unknown[])[],
): ResultSet {
  function* blocks(): Generator<ResultBlock> {
    if (rows.length === 0) return;
    yield {
      times: new BigInt64Array(rows.length),
      rowCount: rows.length,
      columns: dataTypes.map((type, j) => {
        const values = allocateColumn(type, rows.length);
        const nulls = new Uint8Array(rows.length);
        rows.forEach((row, i) => {
          const v = row[j];
          if (v === null || v === undefined) nulls[i] = 1;
          else storeValue(values, type, i, typeof v === 'string' ? utf8(v) : v);
        });
        return { type, values, nulls: nulls.includes(1) ? nulls : null };
      }),
    };
  }
  return streamResult(columnNames, dataTypes, true, blocks());
}

/** A small all-TEXT result (user and pipe listings). */
export function textRows(columnNames: readonly string[], rows: readonly (readonly (string | null)[])[]): ResultSet {
  return typedRows(
    columnNames,
    columnNames.map(() => DataType.TEXT),
    rows,
  );
}
