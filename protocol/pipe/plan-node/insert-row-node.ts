// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Plan nodes" (InsertRowNode).
//
//   plan := row
//   wal  := searchIndex:int64be row
//   row  := time:int64be device:string values
//   values (plan) := count:int32be hasSchema:u8 (schema | name:nstring){count} value{count}
//                    isNeedInferType:u8 isAligned:u8
//   values (wal)  := count:int32be schema{count} value{count} isAligned:u8
//   value := dtype payload | i8(-3) dtype | i8(-2) | i8(-1) text:nstring
//   payload := BOOLEAN u8 | INT32, DATE int32be | INT64, TIMESTAMP int64be | FLOAT float32be
//            | DOUBLE float64be | TEXT, STRING, BLOB length:int32be u8{length}

import type { ColumnValues, DataType } from '../../../tsfile/data-type.js';
import { allocateColumn, valueKind } from '../../../tsfile/data-type.js';
import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { PayloadError } from '../../payload-error.js';
import { readBinary, readCount, readFlag, readInt64, readString } from '../pipe-bytes.js';
import {
  checkDataType,
  readByte,
  readDataType,
  readPlanColumnNames,
  readSchemaColumn,
  SCHEMA_BYTES_MIN,
} from './plan-node-bytes.js';
import { type NodeForm, RowValueMarker } from './plan-node-format.js';

/** An InsertRowNode's attributes (after its type code; in the plan form, up to its trailer). */
export function readInsertRowNode(r: ByteReader, form: NodeForm): Tablet {
  if (form === 'wal') readInt64(r, 'insert row node: search index');
  return readRow(r, form);
}

/** `row`: one row of InsertRowNode, InsertRowsNode. */
export function readRow(r: ByteReader, form: NodeForm): Tablet {
  const time = readInt64(r, 'insert row: time');
  const device = readString(r, 'insert row: device');
  return readRowValues(r, form, device, time);
}

/**
 * `values`: the measurements and values of one row as a 1-row tablet. A null whose type is
 * unknown has no column to go in and is dropped, as are measurements the sender wrote as
 * null (failed ones); a null with a type stays as a null slot.
 */
export function readRowValues(r: ByteReader, form: NodeForm, device: string, time: bigint): Tablet {
  const where = `insert row of ${device} at ${time}`;
  const count = readCount(r, `${where}: measurements`, form === 'wal' ? SCHEMA_BYTES_MIN + 1 : 4 + 1);
  const names =
    form === 'wal'
      ? Array.from({ length: count }, (_, j) => readSchemaColumn(r, `${where}: schema ${j}`).name)
      : readPlanColumnNames(r, count, where);

  const measurements: string[] = [];
  const dataTypes: DataType[] = [];
  const columns: ColumnValues[] = [];
  const nulls: (Uint8Array | null)[] = [];
  for (let j = 0; j < count; j++) {
    const name = names[j] ?? null;
    const what = `${where}: value of ${name ?? `measurement ${j}`}`;
    const marker = readByte(r, what);
    if (marker === RowValueMarker.RAW_STRING) {
      throw new PayloadError(
        `${what} is text whose type is still to be inferred; pipe senders type their rows, and this receiver does not infer them`,
      );
    }
    if (marker === RowValueMarker.NULL_WITHOUT_TYPE) continue;
    let type: DataType;
    let column: ColumnValues;
    let mask: Uint8Array | null = null;
    if (marker === RowValueMarker.NULL_WITH_TYPE) {
      type = readDataType(r, what);
      column = allocateColumn(type, 1);
      mask = Uint8Array.of(1);
    } else {
      type = checkDataType(marker, what);
      column = readValue(r, type, what);
    }
    if (name === null) continue;
    measurements.push(name);
    dataTypes.push(type);
    columns.push(column);
    nulls.push(mask);
  }
  if (form === 'plan') readFlag(r, `${where}: isNeedInferType`);
  const aligned = readFlag(r, `${where}: isAligned`);
  return { device, measurements, dataTypes, times: BigInt64Array.of(time), columns, nulls, rowCount: 1, aligned };
}

function readValue(r: ByteReader, type: DataType, what: string): ColumnValues {
  const kind = valueKind(type);
  if (kind === 'binary') return [readBinary(r, what)];
  const width = kind === 'boolean' ? 1 : kind === 'int32' || kind === 'float' ? 4 : 8;
  if (r.remaining < width) throw new PayloadError(`${what}: needs ${width} bytes, ${r.remaining} left`);
  switch (kind) {
    case 'boolean':
      // Java reads only 1 as true.
      return Uint8Array.of(r.readUInt8() === 1 ? 1 : 0);
    case 'int32':
      return Int32Array.of(r.readInt32());
    case 'int64':
      return BigInt64Array.of(r.readBigInt64());
    case 'float':
      return Float32Array.of(r.readFloat());
    case 'double':
      return Float64Array.of(r.readDouble());
  }
}
