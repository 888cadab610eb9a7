// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Plan nodes".
//
//   insertNode (plan) := type:int16be attributes trailer
//   walEntry          := entryType:u8 memTableId:int64be type:int16be walAttributes
//
// The plan form is a TRANSFER_TABLET_INSERT_NODE body and an insert node of a tablet batch;
// the entry is a TRANSFER_TABLET_BINARY body and a binary item of a tablet batch.

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { PayloadError } from '../../payload-error.js';
import { readInsertMultiTabletsNode } from './insert-multi-tablets-node.js';
import { readInsertRowNode } from './insert-row-node.js';
import { readInsertRowsNode, readInsertRowsOfOneDeviceNode } from './insert-rows-node.js';
import { readInsertTabletNode } from './insert-tablet-node.js';
import { readInt16, readPlanNodeTrailer } from './plan-node-bytes.js';
import { describePlanNodeType, PlanNodeType, WAL_ENTRY_HEADER_BYTES } from './plan-node-format.js';

/**
 * The tablets of one insert node, a row node giving 1-row tablets. `fromRows` says whether
 * IoTDB applies the node as row inserts: its tablet-batch receiver runs every row insert of
 * a batch before any tablet insert.
 */
export interface InsertNodeTablets {
  readonly fromRows: boolean;
  readonly tablets: readonly Tablet[];
}

/**
 * Reads one insert node in its plan form, trailer included. Tablets with no row or no
 * measurement left (IoTDB's empty statements, which it skips) are dropped.
 */
export function readInsertNode(r: ByteReader): InsertNodeTablets {
  const code = readInt16(r, 'insert node: type');
  let decoded: InsertNodeTablets;
  switch (code) {
    case PlanNodeType.INSERT_TABLET:
      decoded = tablets(false, [readInsertTabletNode(r, 'plan')]);
      break;
    case PlanNodeType.INSERT_ROW:
      decoded = tablets(true, [readInsertRowNode(r, 'plan')]);
      break;
    case PlanNodeType.INSERT_ROWS:
      decoded = tablets(true, readInsertRowsNode(r, 'plan'));
      break;
    case PlanNodeType.INSERT_ROWS_OF_ONE_DEVICE:
      decoded = tablets(true, readInsertRowsOfOneDeviceNode(r));
      break;
    case PlanNodeType.INSERT_MULTI_TABLET:
      decoded = tablets(false, readInsertMultiTabletsNode(r));
      break;
    default:
      throw new PayloadError(`expected an insert node, got ${describePlanNodeType(code)}`);
  }
  readPlanNodeTrailer(r, describePlanNodeType(code));
  return decoded;
}

/**
 * Reads a write-ahead-log entry holding an insert node. IoTDB logs only InsertRowNode,
 * InsertTabletNode and InsertRowsNode; the entry type and memtable id are skipped, as
 * IoTDB's receiver does.
 */
export function readWalInsertEntry(r: ByteReader): InsertNodeTablets {
  if (r.remaining < WAL_ENTRY_HEADER_BYTES) {
    throw new PayloadError(`WAL entry header needs ${WAL_ENTRY_HEADER_BYTES} bytes, ${r.remaining} left`);
  }
  r.skip(WAL_ENTRY_HEADER_BYTES);
  const code = readInt16(r, 'WAL entry: plan node type');
  switch (code) {
    case PlanNodeType.INSERT_TABLET:
      return tablets(false, [readInsertTabletNode(r, 'wal')]);
    case PlanNodeType.INSERT_ROW:
      return tablets(true, [readInsertRowNode(r, 'wal')]);
    case PlanNodeType.INSERT_ROWS:
      return tablets(true, readInsertRowsNode(r, 'wal'));
    default:
      throw new PayloadError(`WAL entry holds ${describePlanNodeType(code)}, not an insert node IoTDB logs`);
  }
}

function tablets(fromRows: boolean, all: readonly Tablet[]): InsertNodeTablets {
  return { fromRows, tablets: all.filter((t) => t.rowCount > 0 && t.measurements.length > 0) };
}
