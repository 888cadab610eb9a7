// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Plan nodes" (InsertTabletNode).
//
//   plan := device:string count:int32be hasSchema:u8 (schema | name:nstring){count}
//           dtype{count} rows
//   wal  := searchIndex:int64be device:string count:int32be schema{count} rows
//   rows := rowCount:int32be int64be{rowCount} bitmaps column{count} isAligned:u8
//   bitmaps := u8(0) | u8(1) (u8(0) | u8(1) u8{rowCount / 8 + 1}){count}
//   column  := BOOLEAN u8{rowCount} | INT32, DATE int32be{rowCount} | FLOAT float32be{rowCount}
//            | INT64, TIMESTAMP int64be{rowCount} | DOUBLE float64be{rowCount}
//            | TEXT, STRING, BLOB (length:int32be u8{length}){rowCount}
//
// In a bitmap row i is byte i >> 3, mask 1 << (i & 7); a set bit means null.

import type { ColumnValues, DataType } from '../../../tsfile/data-type.js';
import { allocateColumn, valueKind } from '../../../tsfile/data-type.js';
import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { readLengthPrefixed, scatterFixed } from '../../column-bytes.js';
import { PayloadError } from '../../payload-error.js';
import { readCount, readFlag, readInt64, readString, unpackNullBitmap } from '../pipe-bytes.js';
import { readDataType, readInt32, readPlanColumnNames, readSchemaColumn, SCHEMA_BYTES_MIN } from './plan-node-bytes.js';
import type { NodeForm } from './plan-node-format.js';

const WIDTH = { int32: 4, float: 4, int64: 8, double: 8 } as const;

/**
 * Reads the attributes of an InsertTabletNode (the bytes after its type code; in the plan
 * form, up to its trailer). Columns whose measurement is null, those the sender marked
 * failed, are read and dropped. Every count is checked against the bytes left, so a body
 * that lies ends in a PayloadError, never in a read past the end or a huge allocation.
 */
export function readInsertTabletNode(r: ByteReader, form: NodeForm): Tablet {
  if (form === 'wal') readInt64(r, 'insert tablet node: search index');
  const device = readString(r, 'insert tablet node: device');
  const where = `insert tablet node of ${device}`;
  const count = readCount(r, `${where}: measurements`, form === 'wal' ? SCHEMA_BYTES_MIN : 4 + 1);

  let names = new Array<string | null>(count);
  const types = new Array<DataType>(count);
  if (form === 'wal') {
    for (let j = 0; j < count; j++) {
      const column = readSchemaColumn(r, `${where}: schema ${j}`);
      names[j] = column.name;
      types[j] = column.type;
    }
  } else {
    names = readPlanColumnNames(r, count, where);
    // With schemas, the types that follow are still the ones Java reads.
    for (let j = 0; j < count; j++) types[j] = readDataType(r, `${where}: data type of column ${j}`);
  }

  const n = readInt32(r, `${where}: row count`);
  if (n < 0 || n * 8 > r.remaining) {
    throw new PayloadError(`${where}: row count ${n} cannot fit in the ${r.remaining} bytes left`);
  }
  const times = new BigInt64Array(n);
  scatterFixed(r.readBytes(n * 8), times, null, n, 8);

  const nulls = readBitmaps(r, count, n, names, where);
  const columns = new Array<ColumnValues>(count);
  for (let j = 0; j < count; j++) columns[j] = readColumn(r, types[j]!, n, `${where}: column ${names[j] ?? j}`);
  const aligned = readFlag(r, `${where}: isAligned`);

  const measurements: string[] = [];
  const dataTypes: DataType[] = [];
  const kept: ColumnValues[] = [];
  const keptNulls: (Uint8Array | null)[] = [];
  for (let j = 0; j < count; j++) {
    const name = names[j];
    if (name === null || name === undefined) continue;
    measurements.push(name);
    dataTypes.push(types[j]!);
    kept.push(columns[j]!);
    keptNulls.push(nulls[j] ?? null);
  }
  return { device, measurements, dataTypes, times, columns: kept, nulls: keptNulls, rowCount: n, aligned };
}

function readBitmaps(
  r: ByteReader,
  count: number,
  n: number,
  names: readonly (string | null)[],
  where: string,
): (Uint8Array | null)[] {
  const nulls = new Array<Uint8Array | null>(count).fill(null);
  if (!readFlag(r, `${where}: bitmap flag`)) return nulls;
  const bytes = (n >> 3) + 1;
  for (let j = 0; j < count; j++) {
    const what = `${where}: bitmap of ${names[j] ?? j}`;
    if (!readFlag(r, what)) continue;
    if (r.remaining < bytes) throw new PayloadError(`${what}: needs ${bytes} bytes, ${r.remaining} left`);
    const bits = r.readBytes(bytes);
    nulls[j] = unpackNullBitmap(bits, n);
  }
  return nulls;
}

/** `rowCount` values of one type, copied out of the request. */
export function readColumn(r: ByteReader, type: DataType, n: number, what: string): ColumnValues {
  const kind = valueKind(type);
  switch (kind) {
    case 'boolean': {
      if (r.remaining < n) throw new PayloadError(`${what}: needs ${n} bytes, ${r.remaining} left`);
      const src = r.readBytes(n);
      const flags = new Uint8Array(n);
      // Java reads only 1 as true.
      for (let i = 0; i < n; i++) flags[i] = src[i] === 1 ? 1 : 0;
      return flags;
    }
    case 'binary': {
      // Bound the run by this reader's end, which may be a batch item's end, not the buffer's.
      const { values, end } = readLengthPrefixed(r.buf.subarray(0, r.end), r.pos, n, what);
      r.skip(end - r.pos);
      return values;
    }
    default: {
      const width = WIDTH[kind];
      if (n * width > r.remaining) throw new PayloadError(`${what}: needs ${n * width} bytes, ${r.remaining} left`);
      const column = allocateColumn(type, n) as Int32Array | Float32Array | BigInt64Array | Float64Array;
      scatterFixed(r.readBytes(n * width), column, null, n, width);
      return column;
    }
  }
}
