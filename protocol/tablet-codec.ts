// Spec: protocol/FORMAT.md, section "Tablet".
//
//   timestamps := int64be{size}
//   values     := column{columnCount} [bitmaps]
//   column     := BOOLEAN                 u8{size}              (1 = true, 0 = false)
//               | INT32, DATE, FLOAT      (4 bytes big-endian){size}
//               | INT64, TIMESTAMP, DOUBLE (8 bytes big-endian){size}
//               | TEXT, STRING, BLOB      (int32be length, bytes){size}
//   bitmaps    := (flag:u8 [bits:u8{floor(size / 8) + 1} when flag = 1]){columnCount}
//
// Every row has a value slot, null or not. The bitmap section is absent when no column has
// a null. In `bits`, row i is byte i >> 3, mask 1 << (i & 7); a set bit means null.

import type { ColumnValues, DataType, ValueKind } from '../tsfile/data-type.js';
import { allocateColumn, isValueDataType, valueKind } from '../tsfile/data-type.js';
import type { Tablet } from '../tsfile/tablet.js';
import { readLengthPrefixed } from './column-bytes.js';
import { bytesOf, swapToHostOrder } from './host-endian.js';
import { PayloadError } from './payload-error.js';

/** The four fields of TSInsertTabletReq that carry the rows. */
export interface TabletPayload {
  readonly timestamps: Uint8Array;
  readonly values: Uint8Array;
  /** TSDataType codes, one per column. */
  readonly types: readonly number[];
  /** Row count. */
  readonly size: number;
}

/** A TSInsertTabletReq minus the session: what `decodeTablet` reads. */
export interface TabletRequest extends TabletPayload {
  readonly prefixPath: string;
  readonly measurements: readonly string[];
  readonly isAligned?: boolean | null;
}

/** Decoded rows: typed columns plus one null mask per column (1 = null, null = no nulls). */
export interface TabletColumns {
  readonly dataTypes: DataType[];
  readonly times: BigInt64Array;
  readonly columns: ColumnValues[];
  readonly nulls: (Uint8Array | null)[];
  readonly rowCount: number;
}

const KIND_WIDTH: Record<ValueKind, 1 | 4 | 8 | 0> = {
  boolean: 1,
  int32: 4,
  float: 4,
  int64: 8,
  double: 8,
  binary: 0,
};

/**
 * Decodes a TSInsertTabletReq into a Tablet. Every length is checked against the bytes
 * present, so a payload whose lengths lie ends in a PayloadError naming the column, never
 * in reads past the end. The result never aliases the request buffers: a server may reuse
 * its frame once this returns.
 */
export function decodeTablet(req: TabletRequest): Tablet {
  if (req.measurements.length !== req.types.length) {
    throw new PayloadError(
      `tablet of ${req.prefixPath}: ${req.measurements.length} measurements but ${req.types.length} types`,
    );
  }
  const decoded = decodeTabletPayload(req);
  return {
    device: req.prefixPath,
    measurements: req.measurements,
    dataTypes: decoded.dataTypes,
    times: decoded.times,
    columns: decoded.columns,
    nulls: decoded.nulls,
    rowCount: decoded.rowCount,
    aligned: req.isAligned === true,
  };
}

/** Decodes the row buffers of a tablet payload (see the grammar at the top of this file). */
export function decodeTabletPayload(payload: TabletPayload): TabletColumns {
  const size = payload.size;
  if (!Number.isInteger(size) || size < 0) throw new PayloadError(`tablet size ${size} is not a row count`);
  if (payload.timestamps.length !== size * 8) {
    throw new PayloadError(
      `tablet of ${size} rows has ${payload.timestamps.length} timestamp bytes, expected ${size * 8}`,
    );
  }
  const times = new BigInt64Array(size);
  copyFixed(payload.timestamps, 0, size, 8, bytesOf(times));

  const values = asBuffer(payload.values);
  const end = values.length;
  const columnCount = payload.types.length;
  const dataTypes = new Array<DataType>(columnCount);
  const columns = new Array<ColumnValues>(columnCount);
  let pos = 0;
  for (let j = 0; j < columnCount; j++) {
    const type = checkType(payload.types[j]!, j);
    dataTypes[j] = type;
    const kind = valueKind(type);
    const width = KIND_WIDTH[kind];
    if (width === 0) {
      const decoded = readLengthPrefixed(values, pos, size, `tablet column ${j}`);
      columns[j] = decoded.values;
      pos = decoded.end;
      continue;
    }
    const byteLength = size * width;
    if (byteLength > end - pos) {
      throw new PayloadError(
        `tablet column ${j} (${kind}) needs ${byteLength} bytes at offset ${pos}, ${end - pos} left`,
      );
    }
    const column = allocateColumn(type, size) as Exclude<ColumnValues, Uint8Array[]>;
    if (kind === 'boolean') {
      const out = column as Uint8Array;
      // Clients write 1 for true; IoTDB reads any other byte as false, and so do we.
      for (let i = 0; i < size; i++) out[i] = values[pos + i] === 1 ? 1 : 0;
    } else {
      copyFixed(values, pos, size, width as 4 | 8, bytesOf(column));
    }
    columns[j] = column;
    pos += byteLength;
  }

  const nulls = new Array<Uint8Array | null>(columnCount).fill(null);
  if (pos < end) pos = decodeBitmaps(values, pos, size, nulls);
  if (pos !== end) throw new PayloadError(`tablet values have ${end - pos} bytes after the last column and bitmap`);
  return { dataTypes, times, columns, nulls, rowCount: size };
}

/** The TSInsertTabletReq fields of a tablet, ready for the Thrift stubs (binary as Buffers). */
export interface EncodedTablet {
  prefixPath: string;
  measurements: string[];
  types: number[];
  size: number;
  timestamps: Buffer;
  values: Buffer;
  isAligned: boolean;
}

/** Encodes a Tablet as TSInsertTabletReq fields (for our client and the pipe connectors). */
export function encodeTablet(tablet: Tablet): EncodedTablet {
  const { timestamps, values } = encodeTabletPayload(tablet);
  return {
    prefixPath: tablet.device,
    measurements: tablet.measurements.slice(),
    types: tablet.dataTypes.slice(),
    size: tablet.rowCount,
    timestamps,
    values,
    isAligned: tablet.aligned,
  };
}

/** Encodes rows [0, rowCount) of typed columns into the two tablet buffers. */
export function encodeTabletPayload(rows: {
  readonly dataTypes: readonly DataType[];
  readonly times: BigInt64Array;
  readonly columns: readonly ColumnValues[];
  readonly nulls: readonly (Uint8Array | null)[];
  readonly rowCount: number;
}): { timestamps: Buffer; values: Buffer } {
  const n = rows.rowCount;
  const columnCount = rows.dataTypes.length;
  if (rows.columns.length !== columnCount) {
    throw new RangeError(`${columnCount} data types but ${rows.columns.length} columns`);
  }
  const timestamps = Buffer.allocUnsafe(n * 8);
  timestamps.set(bytesOf(rows.times.subarray(0, n)));
  swapToHostOrder(timestamps, 8);

  const nullMasks = new Array<Uint8Array | null>(columnCount);
  let anyNull = false;
  let total = 0;
  for (let j = 0; j < columnCount; j++) {
    const mask = rows.nulls[j] ?? null;
    nullMasks[j] = mask !== null && hasNull(mask, n) ? mask : null;
    if (nullMasks[j] !== null) anyNull = true;
    const width = KIND_WIDTH[valueKind(rows.dataTypes[j]!)];
    if (width > 0) {
      total += n * width;
      continue;
    }
    const column = rows.columns[j] as Uint8Array[];
    total += 4 * n;
    for (let i = 0; i < n; i++) if (mask === null || mask[i] !== 1) total += column[i]!.length;
  }
  const bitmapBytes = Math.floor(n / 8) + 1;
  if (anyNull) for (let j = 0; j < columnCount; j++) total += 1 + (nullMasks[j] !== null ? bitmapBytes : 0);

  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (let j = 0; j < columnCount; j++) {
    const kind = valueKind(rows.dataTypes[j]!);
    const column = rows.columns[j]!;
    const mask = nullMasks[j] ?? null;
    if (kind === 'binary') {
      const texts = column as Uint8Array[];
      for (let i = 0; i < n; i++) {
        // A null row travels as an empty value, as the Java session writes it.
        const text = mask !== null && mask[i] === 1 ? EMPTY : texts[i]!;
        out.writeInt32BE(text.length, pos);
        out.set(text, pos + 4);
        pos += 4 + text.length;
      }
    } else if (kind === 'boolean') {
      const flags = column as Uint8Array;
      for (let i = 0; i < n; i++) out[pos + i] = flags[i] ? 1 : 0;
      pos += n;
    } else {
      const width = KIND_WIDTH[kind] as 4 | 8;
      const region = out.subarray(pos, pos + n * width);
      region.set(bytesOf((column as Float64Array).subarray(0, n)));
      swapToHostOrder(region, width);
      pos += n * width;
    }
  }
  if (anyNull) {
    for (let j = 0; j < columnCount; j++) {
      const mask = nullMasks[j] ?? null;
      if (mask === null) {
        out[pos++] = 0;
        continue;
      }
      out[pos++] = 1;
      out.fill(0, pos, pos + bitmapBytes);
      for (let i = 0; i < n; i++) if (mask[i] === 1) out[pos + (i >> 3)]! |= 1 << (i & 7);
      pos += bitmapBytes;
    }
  }
  return { timestamps, values: out };
}

const EMPTY = new Uint8Array(0);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checkType(code: number, column: number): DataType {
  if (isValueDataType(code)) return code;
  throw new PayloadError(`tablet column ${column} has unknown data type code ${code}`);
}

/** Copies `count` big-endian values of `width` bytes into `dst` (host order). */
function copyFixed(src: Uint8Array, pos: number, count: number, width: 4 | 8, dst: Buffer): void {
  dst.set(src.subarray(pos, pos + count * width));
  swapToHostOrder(dst, width);
}

function decodeBitmaps(values: Buffer, start: number, size: number, nulls: (Uint8Array | null)[]): number {
  const end = values.length;
  const bitmapBytes = Math.floor(size / 8) + 1;
  let pos = start;
  for (let j = 0; j < nulls.length; j++) {
    if (pos >= end) throw new PayloadError(`tablet bitmap section ends before column ${j}'s flag`);
    const flag = values[pos++]!;
    if (flag === 0) continue;
    if (flag !== 1) throw new PayloadError(`tablet column ${j} has bitmap flag ${flag}, expected 0 or 1`);
    if (bitmapBytes > end - pos) {
      throw new PayloadError(`tablet column ${j}'s bitmap needs ${bitmapBytes} bytes, ${end - pos} left`);
    }
    const mask = new Uint8Array(size);
    let any = 0;
    for (let i = 0; i < size; i++) {
      const bit = (values[pos + (i >> 3)]! >> (i & 7)) & 1;
      mask[i] = bit;
      any |= bit;
    }
    if (any !== 0) nulls[j] = mask;
    pos += bitmapBytes;
  }
  return pos;
}

function hasNull(mask: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (mask[i] === 1) return true;
  return false;
}
