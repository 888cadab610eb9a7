// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Plan nodes" (its primitives:
// nstring, dtype, schema, trailer).

import type { DataType } from '../../../tsfile/data-type.js';
import { isValueDataType } from '../../../tsfile/data-type.js';
import { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { PayloadError } from '../../payload-error.js';
import { readCount, readFlag, writeString } from '../pipe-bytes.js';

/** A string that may be Java's null: length -1 reads as null; any other negative length is refused. */
export function readNullableString(r: ByteReader, what: string): string | null {
  const at = r.pos;
  if (r.remaining < 4) throw new PayloadError(`${what}: length needs 4 bytes at offset ${at}, ${r.remaining} left`);
  const n = r.readInt32();
  if (n === -1) return null;
  if (n < 0 || n > r.remaining) {
    throw new PayloadError(`${what}: length ${n} at offset ${at} but ${r.remaining} bytes follow`);
  }
  return r.readBytes(n).toString('utf8');
}

export function readInt16(r: ByteReader, what: string): number {
  if (r.remaining < 2) throw new PayloadError(`${what}: needs 2 bytes at offset ${r.pos}, ${r.remaining} left`);
  return r.readInt16();
}

export function readInt32(r: ByteReader, what: string): number {
  if (r.remaining < 4) throw new PayloadError(`${what}: needs 4 bytes at offset ${r.pos}, ${r.remaining} left`);
  return r.readInt32();
}

export function readByte(r: ByteReader, what: string): number {
  if (r.remaining < 1) throw new PayloadError(`${what}: byte missing at offset ${r.pos}`);
  return r.readInt8();
}

/** `dtype := u8`, a TSDataType code that holds values (VECTOR and unknown codes are refused). */
export function readDataType(r: ByteReader, what: string): DataType {
  if (r.remaining < 1) throw new PayloadError(`${what}: data type byte missing at offset ${r.pos}`);
  return checkDataType(r.readUInt8(), what);
}

export function checkDataType(code: number, what: string): DataType {
  if (!isValueDataType(code)) throw new PayloadError(`${what}: unknown data type code ${code}`);
  return code;
}

/** A measurement as its schema names it; `name` is null where Java wrote a null string. */
export interface SchemaColumn {
  readonly name: string | null;
  readonly type: DataType;
}

/** Smallest schema: name length, three bytes, property count. */
export const SCHEMA_BYTES_MIN = 4 + 3 + 4;

/**
 * `schema := name:nstring type:dtype encoding:u8 compressor:u8 props:int32be (nstring nstring){props}`
 * (MeasurementSchema.serializeTo and the WAL's copy of it). Encoding, compressor and
 * properties are read and dropped: a receiver keeps its own.
 */
export function readSchemaColumn(r: ByteReader, what: string): SchemaColumn {
  const name = readNullableString(r, `${what} name`);
  const type = readDataType(r, `${what} ${name ?? '(null)'}`);
  if (r.remaining < 2) throw new PayloadError(`${what} ${name}: encoding and compressor missing`);
  r.skip(2);
  const props = readCount(r, `${what} ${name}: properties`, 8);
  for (let k = 0; k < props; k++) {
    readNullableString(r, `${what} ${name}: property key`);
    readNullableString(r, `${what} ${name}: property value`);
  }
  return { name, type };
}

/**
 * `trailer := planNodeId:nstring childCount:int32be`, closing every plan node in the plan
 * form. The id is read and ignored; insert and delete nodes have no children.
 */
export function readPlanNodeTrailer(r: ByteReader, what: string): void {
  readNullableString(r, `${what}: plan node id`);
  const children = readInt32(r, `${what}: child count`);
  if (children !== 0) throw new PayloadError(`${what}: ${children} child nodes, but this node has none`);
}

export function writePlanNodeTrailer(out: ByteWriter, planNodeId: string): void {
  writeString(out, planNodeId);
  out.writeInt32(0);
}

/**
 * `binary := length:int32be u8{length}` read in place: a reader over the item, with `r`
 * moved past it. Nothing is copied.
 */
export function readItemReader(r: ByteReader, what: string): ByteReader {
  const at = r.pos;
  const n = readInt32(r, `${what} length`);
  if (n < 0 || n > r.remaining) {
    throw new PayloadError(`${what}: length ${n} at offset ${at} but ${r.remaining} bytes follow`);
  }
  const item = new ByteReader(r.buf, r.pos, r.pos + n);
  r.skip(n);
  return item;
}

/**
 * The measurement names of an insert node in its plan form: a flag, then either each
 * column's schema or each name (a null name is a measurement that failed on the sender).
 */
export function readPlanColumnNames(r: ByteReader, count: number, where: string): (string | null)[] {
  const names = new Array<string | null>(count);
  const hasSchema = readFlag(r, `${where}: schema flag`);
  for (let j = 0; j < count; j++) {
    names[j] = hasSchema
      ? readSchemaColumn(r, `${where}: schema ${j}`).name
      : readNullableString(r, `${where}: measurement ${j}`);
  }
  return names;
}
