// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Plan nodes" (paths).
//
//   path        := u8(2) partialPath | u8(0) partialPath measurementExtras
//   partialPath := (u8(0) | u8(1) measurement:string) (u8(0) | u8(1) device:string)
//                  (u8(0) | u8(1) fullPath:string) count:int32be node:string{count}
//   measurementExtras := (u8(0) | u8(1) u8(0) schema) (u8(0) | u8(1) map)
//                        isUnderAlignedEntity:u8 alias:nstring
//
// Nodes keep their backquotes, as IoTDB prints them: root.sg.`a.b` has the nodes
// root, sg and `a.b`.

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { PayloadError } from '../../payload-error.js';
import { readCount, readFlag, readString, writeString } from '../pipe-bytes.js';
import { readByte, readNullableString, readSchemaColumn } from './plan-node-bytes.js';
import { MEASUREMENT_SCHEMA_KIND_PLAIN, PathKind } from './plan-node-format.js';

/**
 * Splits a path into its nodes at the dots outside backquotes (inside, a doubled backquote
 * is a backquote). A path with an empty node or an open backquote is a RangeError.
 */
export function splitPathNodes(path: string): string[] {
  const nodes: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '`') {
      if (quoted && path[i + 1] === '`') i++;
      else quoted = !quoted;
    } else if (c === '.' && !quoted) {
      nodes.push(path.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) throw new RangeError(`path ${path} has an unclosed backquote`);
  nodes.push(path.slice(start));
  if (nodes.some((node) => node.length === 0)) throw new RangeError(`path '${path}' has an empty node`);
  return nodes;
}

/** A PartialPath as `new PartialPath(path)` serializes it: the full path set, no device or measurement. */
export function writePartialPath(out: ByteWriter, path: string): void {
  const nodes = splitPathNodes(path);
  out.writeUInt8(PathKind.PARTIAL_PATH);
  out.writeUInt8(0); // measurement
  out.writeUInt8(0); // device
  out.writeUInt8(1);
  writeString(out, path);
  out.writeInt32(nodes.length);
  for (const node of nodes) writeString(out, node);
}

/**
 * Reads a PartialPath or a MeasurementPath and returns its full path: the one it carries,
 * else its nodes joined by dots (what Java's getFullPath gives).
 */
export function readPath(r: ByteReader, what: string): string {
  const kind = readByte(r, `${what}: path kind`);
  if (kind !== PathKind.PARTIAL_PATH && kind !== PathKind.MEASUREMENT_PATH) {
    throw new PayloadError(
      `${what}: path kind ${kind} is not read; expected a PartialPath (2) or a MeasurementPath (0)`,
    );
  }
  if (readFlag(r, `${what}: measurement flag`)) readString(r, `${what}: measurement`);
  if (readFlag(r, `${what}: device flag`)) readString(r, `${what}: device`);
  const fullPath = readFlag(r, `${what}: full path flag`) ? readString(r, `${what}: full path`) : null;
  const count = readCount(r, `${what}: nodes`, 4);
  const nodes: string[] = [];
  for (let i = 0; i < count; i++) nodes.push(readString(r, `${what}: node ${i}`));
  if (kind === PathKind.MEASUREMENT_PATH) skipMeasurementExtras(r, what);
  const path = fullPath ?? nodes.join('.');
  if (path.length === 0) throw new PayloadError(`${what}: the path is empty`);
  return path;
}

function skipMeasurementExtras(r: ByteReader, what: string): void {
  if (readFlag(r, `${what}: schema flag`)) {
    const schemaKind = readByte(r, `${what}: schema kind`);
    if (schemaKind !== MEASUREMENT_SCHEMA_KIND_PLAIN) {
      throw new PayloadError(`${what}: schema kind ${schemaKind} (a vector schema) is not read`);
    }
    readSchemaColumn(r, `${what}: schema`);
  }
  if (readFlag(r, `${what}: tag flag`)) {
    const tags = readCount(r, `${what}: tags`, 8);
    for (let i = 0; i < tags; i++) {
      readNullableString(r, `${what}: tag key`);
      readNullableString(r, `${what}: tag value`);
    }
  }
  readFlag(r, `${what}: isUnderAlignedEntity`);
  readNullableString(r, `${what}: alias`);
}
