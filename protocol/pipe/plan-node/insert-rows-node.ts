// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Plan nodes" (InsertRowsNode,
// InsertRowsOfOneDeviceNode).
//
//   rows (plan)          := count:int32be row{count} index:int32be{count}
//   rows (wal)           := searchIndex:int64be count:int32be row{count}
//   rowsOfOneDevice      := device:string count:int32be (time:int64be values){count}
//                           index:int32be{count}
//
// `row` and `values` are InsertRowNode's (insert-row-node.ts). The indexes place each row in
// the request the sender split; a receiver applies the rows in list order and ignores them.

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { PayloadError } from '../../payload-error.js';
import { readCount, readInt64, readString } from '../pipe-bytes.js';
import { readRow, readRowValues } from './insert-row-node.js';
import type { NodeForm } from './plan-node-format.js';

/** Smallest row: time, device, count, then in the plan form the three flag bytes. */
const ROW_BYTES_MIN = { plan: 8 + 4 + 4 + 3, wal: 8 + 4 + 4 + 1 } as const;

/** An InsertRowsNode's attributes: one 1-row tablet per row, in list order. */
export function readInsertRowsNode(r: ByteReader, form: NodeForm): Tablet[] {
  if (form === 'wal') readInt64(r, 'insert rows node: search index');
  const perRow = ROW_BYTES_MIN[form] + (form === 'plan' ? 4 : 0);
  const count = readCount(r, 'insert rows node: rows', perRow);
  const rows: Tablet[] = [];
  for (let i = 0; i < count; i++) rows.push(readRow(r, form));
  if (form === 'plan') skipIndexes(r, count, 'insert rows node');
  return rows;
}

/** An InsertRowsOfOneDeviceNode's attributes (plan form only: IoTDB does not log it). */
export function readInsertRowsOfOneDeviceNode(r: ByteReader): Tablet[] {
  const device = readString(r, 'insert rows of one device node: device');
  const what = `insert rows of one device node of ${device}`;
  const count = readCount(r, `${what}: rows`, 8 + 4 + 3 + 4);
  const rows: Tablet[] = [];
  for (let i = 0; i < count; i++) {
    const time = readInt64(r, `${what}: time of row ${i}`);
    rows.push(readRowValues(r, 'plan', device, time));
  }
  skipIndexes(r, count, what);
  return rows;
}

/** The int32 indexes a split node keeps of its parts' places in the original request. */
export function skipIndexes(r: ByteReader, count: number, what: string): void {
  if (count * 4 > r.remaining) {
    throw new PayloadError(`${what}: ${count} indexes need ${count * 4} bytes, ${r.remaining} left`);
  }
  r.skip(count * 4);
}
