// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Plan nodes"
// (InsertMultiTabletsNode).
//
//   multiTablets := count:int32be tablet{count} index:int32be{count}
//
// `tablet` is an InsertTabletNode's plan form without its type code (insert-tablet-node.ts).

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { readCount } from '../pipe-bytes.js';
import { skipIndexes } from './insert-rows-node.js';
import { readInsertTabletNode } from './insert-tablet-node.js';

/** Smallest tablet: device, count, schema flag, row count, bitmap flag, isAligned, index. */
const TABLET_BYTES_MIN = 4 + 4 + 1 + 4 + 1 + 1 + 4;

/** An InsertMultiTabletsNode's attributes: its tablets in list order. */
export function readInsertMultiTabletsNode(r: ByteReader): Tablet[] {
  const count = readCount(r, 'insert multi tablets node: tablets', TABLET_BYTES_MIN);
  const tablets: Tablet[] = [];
  for (let i = 0; i < count; i++) tablets.push(readInsertTabletNode(r, 'plan'));
  skipIndexes(r, count, 'insert multi tablets node');
  return tablets;
}
