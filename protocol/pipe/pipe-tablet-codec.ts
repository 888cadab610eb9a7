// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Pipe tablet".
//
//   tablet  := device:string rowSize:int32be schemas times bitmaps values
//   schemas := u8(0) | u8(1) count:int32be (u8(1) schema){count}
//   schema  := name:string type:u8 encoding:u8 compression:u8 props:int32be (string string){props}
//   times   := u8(1) int64be{rowSize}
//   bitmaps := u8(0) | u8(1) (u8(0) | u8(1) bitCount:int32be bits:binary){count}
//   values  := u8(1) (u8(0) | u8(1) column){count}
//   column  := BOOLEAN u8{rowSize} | INT32, DATE int32be{rowSize} | FLOAT float32be{rowSize}
//            | INT64, TIMESTAMP int64be{rowSize} | DOUBLE float64be{rowSize}
//            | TEXT, STRING, BLOB (u8(0) | u8(1) binary){rowSize}
//
// In `bits` row i is byte i >> 3, mask 1 << (i & 7); a set bit means null.

import type { ColumnValues, DataType } from '../../tsfile/data-type.js';
import { allocateColumn, DataType as DataTypes, isValueDataType, valueKind } from '../../tsfile/data-type.js';
import type { ByteReader } from '../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../tsfile/io/byte-writer.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { bytesOf, swapToHostOrder } from '../host-endian.js';
import { PayloadError } from '../payload-error.js';
import {
  readBinary,
  readCount,
  readFlag,
  readString,
  unpackNullBitmap,
  writeBinary,
  writeString,
} from './pipe-bytes.js';

/** A tablet as the pipe protocol carries it: alignment travels beside it, not inside. */
export type PipeTablet = Omit<Tablet, 'aligned'>;

/** TSEncoding PLAIN and CompressionType UNCOMPRESSED: a receiver takes neither from a tablet. */
const SCHEMA_ENCODING = 0;
const SCHEMA_COMPRESSION = 0;

/**
 * What a null DATE row carries (1000-01-01 as yyyyMMdd). Java turns every DATE slot into a
 * LocalDate while reading, so a slot must hold a valid date even when the bitmap hides it.
 */
export const NULL_DATE_SLOT = 10000101;

const WIDTH = { int32: 4, float: 4, int64: 8, double: 8 } as const;

/** Smallest encoded schema: flag, empty name, three bytes, property count. */
const SCHEMA_BYTES_MIN = 1 + 4 + 3 + 4;

/** Appends the tablet's rows [0, rowCount) in the layout above. */
export function writePipeTablet(out: ByteWriter, tablet: PipeTablet): void {
  const n = tablet.rowCount;
  const count = tablet.dataTypes.length;
  if (tablet.measurements.length !== count || tablet.columns.length !== count) {
    throw new RangeError(
      `tablet of ${tablet.device}: ${tablet.measurements.length} measurements, ${count} types, ${tablet.columns.length} columns`,
    );
  }
  writeString(out, tablet.device);
  out.writeInt32(n);

  out.writeUInt8(1);
  out.writeInt32(count);
  for (let j = 0; j < count; j++) {
    out.writeUInt8(1);
    writeString(out, tablet.measurements[j]!);
    out.writeUInt8(tablet.dataTypes[j]!);
    out.writeUInt8(SCHEMA_ENCODING);
    out.writeUInt8(SCHEMA_COMPRESSION);
    out.writeInt32(0);
  }

  out.writeUInt8(1);
  writeFixed(out, tablet.times, n, 8);

  const masks = tablet.nulls.map((mask) => (mask != null && hasNull(mask, n) ? mask : null));
  const anyNull = masks.some((mask) => mask !== null);
  out.writeUInt8(anyNull ? 1 : 0);
  if (anyNull) {
    const bitmapBytes = (n >> 3) + 1;
    for (let j = 0; j < count; j++) {
      const mask = masks[j] ?? null;
      if (mask === null) {
        out.writeUInt8(0);
        continue;
      }
      const bits = new Uint8Array(bitmapBytes);
      for (let i = 0; i < n; i++) if (mask[i] === 1) bits[i >> 3]! |= 1 << (i & 7);
      out.writeUInt8(1);
      out.writeInt32(n);
      writeBinary(out, bits);
    }
  }

  out.writeUInt8(1);
  for (let j = 0; j < count; j++) {
    out.writeUInt8(1);
    writeColumn(out, tablet.dataTypes[j]!, tablet.columns[j]!, masks[j] ?? null, n);
  }
}

function writeColumn(out: ByteWriter, type: DataType, column: ColumnValues, mask: Uint8Array | null, n: number): void {
  const kind = valueKind(type);
  switch (kind) {
    case 'boolean': {
      const flags = column as Uint8Array;
      for (let i = 0; i < n; i++) out.writeUInt8(flags[i] ? 1 : 0);
      return;
    }
    case 'binary': {
      const texts = column as Uint8Array[];
      for (let i = 0; i < n; i++) {
        // A null row travels as an absent value, as a Java tablet's null Binary does.
        if (mask !== null && mask[i] === 1) {
          out.writeUInt8(0);
        } else {
          out.writeUInt8(1);
          writeBinary(out, texts[i]!);
        }
      }
      return;
    }
    default: {
      const start = out.position();
      writeFixed(out, column as Int32Array | Float32Array | BigInt64Array | Float64Array, n, WIDTH[kind]);
      if (type === DataTypes.DATE && mask !== null) {
        const raw = out.raw();
        for (let i = 0; i < n; i++) if (mask[i] === 1) raw.writeInt32BE(NULL_DATE_SLOT, start + 4 * i);
      }
    }
  }
}

function writeFixed(
  out: ByteWriter,
  values: Int32Array | Float32Array | BigInt64Array | Float64Array,
  n: number,
  width: 4 | 8,
): void {
  const length = n * width;
  out.ensure(length);
  const region = out.raw().subarray(out.position(), out.position() + length);
  region.set(bytesOf(values.subarray(0, n)));
  swapToHostOrder(region, width);
  out.advance(length);
}

/**
 * Reads one tablet. Every count and length is checked against the bytes left, so a body
 * that lies ends in a PayloadError, never in a read past the end or a huge allocation. The
 * result shares no memory with the request.
 */
export function readPipeTablet(r: ByteReader): PipeTablet {
  const device = readString(r, 'tablet device');
  const where = `tablet of ${device}`;
  if (r.remaining < 4) throw new PayloadError(`${where}: row count missing`);
  const n = r.readInt32();
  if (n < 0 || n * 8 > r.remaining) {
    throw new PayloadError(`${where}: row count ${n} cannot fit in the ${r.remaining} bytes left`);
  }

  const measurements: string[] = [];
  const dataTypes: DataType[] = [];
  if (readFlag(r, `${where}: schema list`)) {
    const count = readCount(r, `${where}: schema count`, SCHEMA_BYTES_MIN);
    for (let j = 0; j < count; j++) {
      // Java skips an absent schema but still counts its bitmap and value slots, which
      // shifts every later column onto the wrong type: refuse it.
      if (!readFlag(r, `${where}: schema ${j}`)) throw new PayloadError(`${where}: column ${j} has no schema`);
      const name = readString(r, `${where}: column ${j} name`);
      if (r.remaining < 7) throw new PayloadError(`${where}: schema of ${name} is cut short`);
      const code = r.readUInt8();
      if (!isValueDataType(code)) throw new PayloadError(`${where}: column ${name} has unknown data type code ${code}`);
      r.skip(2); // encoding, compression
      const props = readCount(r, `${where}: properties of ${name}`, 8);
      for (let k = 0; k < props; k++) {
        readString(r, `${where}: property key of ${name}`);
        readString(r, `${where}: property value of ${name}`);
      }
      measurements.push(name);
      dataTypes.push(code);
    }
  }
  const count = dataTypes.length;

  if (!readFlag(r, `${where}: timestamps`)) throw new PayloadError(`${where}: has no timestamps`);
  const times = new BigInt64Array(n);
  readFixed(r, times, n, 8, `${where}: timestamps`);

  const nulls = new Array<Uint8Array | null>(count).fill(null);
  if (readFlag(r, `${where}: bitmap list`)) {
    for (let j = 0; j < count; j++) {
      if (!readFlag(r, `${where}: bitmap of ${measurements[j]}`)) continue;
      if (r.remaining < 4) throw new PayloadError(`${where}: bitmap of ${measurements[j]} is cut short`);
      const bitCount = r.readInt32();
      const bits = readBinary(r, `${where}: bitmap of ${measurements[j]}`);
      // The bit count is the Java tablet's capacity, at least the row count; the bits
      // must cover every row, as Java reads them without checking.
      if (bitCount < 0 || bits.length * 8 < n) {
        throw new PayloadError(
          `${where}: bitmap of ${measurements[j]} has ${bits.length} bytes (bit count ${bitCount}) for ${n} rows`,
        );
      }
      nulls[j] = unpackNullBitmap(bits, n);
    }
  }

  if (!readFlag(r, `${where}: value list`)) throw new PayloadError(`${where}: has no value columns`);
  const columns = new Array<ColumnValues>(count);
  for (let j = 0; j < count; j++) {
    const type = dataTypes[j]!;
    const column = allocateColumn(type, n);
    columns[j] = column;
    if (!readFlag(r, `${where}: column ${measurements[j]}`)) {
      // An absent column has no value in any row.
      nulls[j] = new Uint8Array(n).fill(1);
      continue;
    }
    readColumn(r, type, column, n, `${where}: column ${measurements[j]}`);
  }
  return { device, measurements, dataTypes, times, columns, nulls, rowCount: n };
}

function readColumn(r: ByteReader, type: DataType, column: ColumnValues, n: number, what: string): void {
  const kind = valueKind(type);
  switch (kind) {
    case 'boolean': {
      if (r.remaining < n) throw new PayloadError(`${what}: needs ${n} bytes, ${r.remaining} left`);
      const flags = column as Uint8Array;
      // Java reads only 1 as true.
      for (let i = 0; i < n; i++) flags[i] = r.readUInt8() === 1 ? 1 : 0;
      return;
    }
    case 'binary': {
      const texts = column as Uint8Array[];
      for (let i = 0; i < n; i++) {
        // An absent value reads as empty (Java: Binary.EMPTY_VALUE); only the bitmap makes a null.
        if (readFlag(r, `${what} row ${i}`)) texts[i] = readBinary(r, `${what} row ${i}`);
      }
      return;
    }
    default:
      readFixed(r, column as Int32Array | Float32Array | BigInt64Array | Float64Array, n, WIDTH[kind], what);
  }
}

function readFixed(
  r: ByteReader,
  into: Int32Array | Float32Array | BigInt64Array | Float64Array,
  n: number,
  width: 4 | 8,
  what: string,
): void {
  const length = n * width;
  if (length > r.remaining) throw new PayloadError(`${what}: needs ${length} bytes, ${r.remaining} left`);
  const target = bytesOf(into.subarray(0, n));
  target.set(r.readBytes(length));
  swapToHostOrder(target, width);
}

function hasNull(mask: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (mask[i] === 1) return true;
  return false;
}
