// Spec: protocol/FORMAT.md, section "TSQueryDataSet".
//
//   time       := int64be{n}
//   valueList  := one buffer per column: the column's non-null values in row order,
//                 BOOLEAN u8 | INT32, DATE int32be | INT64, TIMESTAMP int64be
//                 | FLOAT float32be | DOUBLE float64be | TEXT, STRING, BLOB int32be length, bytes
//   bitmapList := one buffer per column of ceil(n / 8) bytes; row i is byte i >> 3,
//                 mask 0x80 >> (i & 7), and a set bit means the row HAS a value
//
// The result format of the V1 methods (executeQueryStatement, fetchResults, ...), row i
// counted from the first row of this data set.

import type { DataType, ValueKind } from '../tsfile/data-type.js';
import { allocateColumn, valueKind } from '../tsfile/data-type.js';
import type { FixedColumn } from './column-bytes.js';
import { gatherFixed, readLengthPrefixed, scatterFixed } from './column-bytes.js';
import { bytesOf, swapToHostOrder } from './host-endian.js';
import { PayloadError } from './payload-error.js';
import type { ResultBlock, ResultColumn } from './result-block.js';

/** The three fields of TSQueryDataSet. */
export interface QueryDataSetBuffers {
  readonly time: Uint8Array;
  readonly valueList: readonly Uint8Array[];
  readonly bitmapList: readonly Uint8Array[];
}

const WIDTH: Record<ValueKind, 0 | 1 | 4 | 8> = { boolean: 1, int32: 4, float: 4, int64: 8, double: 8, binary: 0 };

/** Encodes rows [from, to) of a result block. */
export function encodeQueryDataSet(
  block: ResultBlock,
  from = 0,
  to = block.rowCount,
): { time: Buffer; valueList: Buffer[]; bitmapList: Buffer[] } {
  const n = to - from;
  if (from < 0 || n < 0 || to > block.rowCount)
    throw new RangeError(`rows ${from}..${to} of a ${block.rowCount}-row block`);
  const time = Buffer.allocUnsafe(n * 8);
  time.set(bytesOf(block.times.subarray(from, to)));
  swapToHostOrder(time, 8);
  const valueList: Buffer[] = [];
  const bitmapList: Buffer[] = [];
  for (const column of block.columns) {
    const { values, bitmap } = encodeColumn(column, from, n);
    valueList.push(values);
    bitmapList.push(bitmap);
  }
  return { time, valueList, bitmapList };
}

function encodeColumn(column: ResultColumn, from: number, n: number): { values: Buffer; bitmap: Buffer } {
  const kind = valueKind(column.type);
  const nulls = column.nulls;
  const bitmap = Buffer.alloc((n + 7) >> 3);
  let present = 0;
  for (let i = 0; i < n; i++) {
    if (nulls !== null && nulls[from + i] === 1) continue;
    bitmap[i >> 3]! |= 0x80 >> (i & 7);
    present++;
  }
  const isNull = (i: number): boolean => nulls !== null && nulls[from + i] === 1;
  if (kind === 'binary') {
    const texts = column.values as Uint8Array[];
    let total = 4 * present;
    for (let i = 0; i < n; i++) if (!isNull(i)) total += texts[from + i]!.length;
    const out = Buffer.allocUnsafe(total);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      if (isNull(i)) continue;
      const text = texts[from + i]!;
      out.writeInt32BE(text.length, pos);
      out.set(text, pos + 4);
      pos += 4 + text.length;
    }
    return { values: out, bitmap };
  }
  if (kind === 'boolean') {
    const flags = column.values as Uint8Array;
    const out = Buffer.allocUnsafe(present);
    let pos = 0;
    for (let i = 0; i < n; i++) if (!isNull(i)) out[pos++] = flags[from + i] ? 1 : 0;
    return { values: out, bitmap };
  }
  const values = gatherFixed(column.values as FixedColumn, from, n, WIDTH[kind] as 4 | 8, nulls, present);
  return { values, bitmap };
}

/**
 * Decodes a TSQueryDataSet whose columns have the given logical types (from the
 * response's dataTypeList, in valueList order). Values are copied out of the buffers.
 */
export function decodeQueryDataSet(dataSet: QueryDataSetBuffers, types: readonly DataType[]): ResultBlock {
  if (dataSet.time.length % 8 !== 0) throw new PayloadError(`time buffer of ${dataSet.time.length} bytes`);
  const n = dataSet.time.length / 8;
  if (dataSet.valueList.length !== types.length || dataSet.bitmapList.length !== types.length) {
    throw new PayloadError(
      `${types.length} column types but ${dataSet.valueList.length} value and ${dataSet.bitmapList.length} bitmap buffers`,
    );
  }
  const times = new BigInt64Array(n);
  scatterFixed(dataSet.time, times, null, n, 8);
  const columns = types.map((type, j) => decodeColumn(type, dataSet.valueList[j]!, dataSet.bitmapList[j]!, n, j));
  return { times, columns, rowCount: n };
}

function decodeColumn(type: DataType, valueBytes: Uint8Array, bitmap: Uint8Array, n: number, j: number): ResultColumn {
  if (bitmap.length < (n + 7) >> 3)
    throw new PayloadError(`column ${j}: bitmap of ${bitmap.length} bytes for ${n} rows`);
  const src = Buffer.from(valueBytes.buffer, valueBytes.byteOffset, valueBytes.byteLength);
  const kind = valueKind(type);
  const width = WIDTH[kind];
  const values = allocateColumn(type, n);
  let nulls: Uint8Array | null = null;
  // Rows holding a value, in order; fixed-width values are moved in one pass at the end.
  const rowOf = new Int32Array(n);
  let present = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if ((bitmap[i >> 3]! & (0x80 >> (i & 7))) === 0) {
      nulls ??= new Uint8Array(n);
      nulls[i] = 1;
      continue;
    }
    rowOf[present++] = i;
  }
  if (width === 0) {
    const run = readLengthPrefixed(src, 0, present, `column ${j}`);
    const out = values as Uint8Array[];
    for (let k = 0; k < present; k++) out[rowOf[k]!] = run.values[k]!;
    pos = run.end;
  } else {
    pos = present * width;
  }
  if (pos !== src.length) {
    throw new PayloadError(`column ${j}: ${src.length} value bytes for ${present} values (${pos} expected)`);
  }
  if (kind === 'boolean') {
    const out = values as Uint8Array;
    for (let k = 0; k < present; k++) out[rowOf[k]!] = src[k] === 1 ? 1 : 0;
  } else if (width > 0) {
    scatterFixed(src, values as FixedColumn, present === n ? null : rowOf, present, width as 4 | 8);
  }
  return { type, values, nulls };
}
