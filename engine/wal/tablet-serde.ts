// Format: engine/wal/FORMAT.md § Tablet
import { allocateColumn, type ColumnValues, type DataType, valueKind } from '../../tsfile/data-type.js';
import type { ByteReader } from '../../tsfile/io/byte-reader.js';
import { CorruptDataError } from '../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../tsfile/io/byte-writer.js';
import type { Tablet } from '../../tsfile/tablet.js';

/**
 * A tablet in the WAL: numeric columns are their typed arrays' bytes as they are in memory
 * (little-endian), so writing and replaying are copies, not per-value conversions.
 */
export function writeTablet(t: Tablet, out: ByteWriter): void {
  out.writeVarString(t.device);
  out.writeUInt8(t.aligned ? 1 : 0);
  out.writeVarUInt(t.rowCount);
  out.writeVarUInt(t.measurements.length);
  t.measurements.forEach((name, j) => {
    out.writeVarString(name);
    out.writeUInt8(t.dataTypes[j]!);
  });
  writeTyped(t.times, 0, t.rowCount, out);
  t.columns.forEach((column, j) => {
    const nulls = t.nulls[j];
    if (nulls === null || nulls === undefined) {
      out.writeUInt8(0);
    } else {
      out.writeUInt8(1);
      out.writeBytes(nulls.subarray(0, t.rowCount));
    }
    if (Array.isArray(column)) {
      for (let i = 0; i < t.rowCount; i++) out.writeVarUIntBinary(column[i]!);
    } else {
      writeTyped(column, 0, t.rowCount, out);
    }
  });
}

function writeTyped(a: Exclude<ColumnValues, Uint8Array[]>, from: number, to: number, out: ByteWriter): void {
  const bytes = new Uint8Array(a.buffer, a.byteOffset + from * a.BYTES_PER_ELEMENT, (to - from) * a.BYTES_PER_ELEMENT);
  out.writeBytes(bytes);
}

export function readTablet(r: ByteReader): Tablet {
  const device = r.readVarString();
  const aligned = r.readUInt8() === 1;
  const rowCount = r.readVarUInt();
  const width = r.readVarUInt();
  if (width > r.remaining || rowCount > r.remaining) throw new CorruptDataError('tablet dimensions exceed the entry');
  const measurements: string[] = [];
  const dataTypes: DataType[] = [];
  for (let j = 0; j < width; j++) {
    measurements.push(r.readVarString());
    dataTypes.push(r.readUInt8() as DataType);
  }
  const times = new BigInt64Array(rowCount);
  readTyped(times, r);
  const columns: ColumnValues[] = [];
  const nulls: (Uint8Array | null)[] = [];
  for (let j = 0; j < width; j++) {
    nulls.push(r.readUInt8() === 1 ? Uint8Array.from(r.readBytes(rowCount)) : null);
    let column: ColumnValues;
    try {
      valueKind(dataTypes[j]!);
      column = allocateColumn(dataTypes[j]!, rowCount);
    } catch {
      throw new CorruptDataError(`tablet column of unknown type ${dataTypes[j]}`);
    }
    if (Array.isArray(column)) {
      for (let i = 0; i < rowCount; i++) column[i] = Uint8Array.from(r.readBytes(r.readVarUInt()));
    } else {
      readTyped(column, r);
    }
    columns.push(column);
  }
  return { device, aligned, rowCount, measurements, dataTypes, times, columns, nulls };
}

function readTyped(into: Exclude<ColumnValues, Uint8Array[]>, r: ByteReader): void {
  const bytes = r.readBytes(into.length * into.BYTES_PER_ELEMENT);
  new Uint8Array(into.buffer, into.byteOffset, bytes.length).set(bytes);
}
