import type { ResultBlock } from '../../protocol/result-block.js';
import { DataType } from '../../tsfile/data-type.js';
import type { ResultSet } from './statement-outcome.js';

const encoder = new TextEncoder();

/** A small all-TEXT result (user listings): rows of strings, null for a missing cell. */
export function textRows(columnNames: readonly string[], rows: readonly (readonly (string | null)[])[]): ResultSet {
  let pending: ResultBlock | null =
    rows.length === 0
      ? null
      : {
          times: new BigInt64Array(rows.length),
          rowCount: rows.length,
          columns: columnNames.map((_, j) => {
            const nulls = new Uint8Array(rows.length);
            const values = rows.map((r, i) => {
              const cell = r[j] ?? null;
              if (cell === null) nulls[i] = 1;
              return encoder.encode(cell ?? '');
            });
            return { type: DataType.TEXT, values, nulls: nulls.includes(1) ? nulls : null };
          }),
        };
  return {
    columnNames,
    dataTypes: columnNames.map(() => DataType.TEXT),
    ignoreTimeStamp: true,
    next() {
      const block = pending;
      pending = null;
      return block;
    },
    close() {
      pending = null;
    },
  };
}
