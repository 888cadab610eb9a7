// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Plan nodes" (DeleteDataNode).
//
//   deleteData := type:int16be(44) count:int32be path{count} start:int64be end:int64be trailer
//
// What an IoTDB 1.3 data-region pipe sends for a deletion, as a TRANSFER_SCHEMA_PLAN body.
// `path` is in partial-path.ts, `trailer` in plan-node-bytes.ts.

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { readCount, readInt64 } from '../pipe-bytes.js';
import { readPath, writePartialPath } from './partial-path.js';
import { readPlanNodeTrailer, writePlanNodeTrailer } from './plan-node-bytes.js';
import { DEFAULT_PLAN_NODE_ID, PlanNodeType } from './plan-node-format.js';

/** Smallest path: kind, three absent flags, node count. */
const PATH_BYTES_MIN = 1 + 3 + 4;

/** A deletion: every point of the series the paths (patterns) match, with start <= time <= end. */
export interface DeleteData {
  readonly paths: readonly string[];
  readonly start: bigint;
  readonly end: bigint;
}

/** Writes the node, type code to trailer, as PlanNode.serialize does. */
export function writeDeleteDataNode(out: ByteWriter, deletion: DeleteData): void {
  out.writeInt16(PlanNodeType.DELETE_DATA);
  out.writeInt32(deletion.paths.length);
  for (const path of deletion.paths) writePartialPath(out, path);
  out.writeBigInt64(deletion.start);
  out.writeBigInt64(deletion.end);
  writePlanNodeTrailer(out, DEFAULT_PLAN_NODE_ID);
}

/** Reads the node after its type code, trailer included. */
export function readDeleteDataNode(r: ByteReader): DeleteData {
  const count = readCount(r, 'delete data node: paths', PATH_BYTES_MIN);
  const paths: string[] = [];
  for (let i = 0; i < count; i++) paths.push(readPath(r, `delete data node: path ${i}`));
  const start = readInt64(r, 'delete data node: start time');
  const end = readInt64(r, 'delete data node: end time');
  readPlanNodeTrailer(r, 'delete data node');
  return { paths, start, end };
}
