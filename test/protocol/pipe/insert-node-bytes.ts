import { DataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { utf8 } from '../hex.js';
import { JavaDataOutput } from './java-data-output.js';

// Insert nodes written field by field in the order IoTDB 1.3 writes them, with the tablets
// they hold: PlanNode.serialize (the plan form) and WALInfoEntry.serialize + serializeToWAL
// (the WAL entry). Each comment names the Java call that writes the field.

/** TSDataType codes (TSDataType.serialize). */
export const T = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  FLOAT: 3,
  DOUBLE: 4,
  TEXT: 5,
  TIMESTAMP: 8,
  DATE: 9,
  BLOB: 10,
  STRING: 11,
};

/** WALEntryType codes of IoTDB 1.3. */
export const WAL = { INSERT_ROW_NODE: 4, INSERT_TABLET_NODE: 5, DELETE_DATA_NODE: 6, INSERT_ROWS_NODE: 8 };

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export const NAMES = ['b', 'i', 'l', 'f', 'd', 't', 'ts', 'dt', 'bl', 's'];
export const TYPES = [T.BOOLEAN, T.INT32, T.INT64, T.FLOAT, T.DOUBLE, T.TEXT, T.TIMESTAMP, T.DATE, T.BLOB, T.STRING];

/**
 * The part of an InsertTabletNode both forms share, from the row count on: three rows of
 * every type; INT32 row 1 and TEXT row 2 null; BOOLEAN has a bitmap without a null set.
 */
export function tabletRows(out: JavaDataOutput, aligned: boolean): void {
  out
    .int(3) // writeTimes: ReadWriteIOUtils.write(rowCount)
    .long(-5n) // writeTimes: ReadWriteIOUtils.write(times[0])
    .long(0n)
    .long(9007199254740993n)
    .byte(1) // writeBitMaps: BytesUtils.boolToByte(bitMaps != null)
    .byte(1) // b: bitMaps[0] != null
    .raw(Uint8Array.of(0x00)) // b: bitMaps[0].getByteArray(), 3 / 8 + 1 = 1 byte, no bit set
    .byte(1) // i: bitMaps[1] != null
    .raw(Uint8Array.of(0x02)) // i: row 1 null
    .byte(0) // l: bitMaps[2] == null
    .byte(0) // f
    .byte(0) // d
    .byte(1) // t: bitMaps[5] != null
    .raw(Uint8Array.of(0x04)) // t: row 2 null
    .byte(0) // ts
    .byte(0) // dt
    .byte(0) // bl
    .byte(0) // s
    // writeValues: serializeColumn per column, rowCount values each
    .byte(1)
    .byte(0)
    .byte(1) // BOOLEAN: BytesUtils.boolToByte
    .int(1)
    .int(0)
    .int(2147483647) // INT32: ReadWriteIOUtils.write(int)
    .long(INT64_MIN)
    .long(0n)
    .long(INT64_MAX) // INT64: ReadWriteIOUtils.write(long)
    .float(1.5)
    .float(-0.25)
    .float(0) // FLOAT: ReadWriteIOUtils.write(float)
    .double(Math.PI)
    .double(-1e300)
    .double(Number.NEGATIVE_INFINITY) // DOUBLE: ReadWriteIOUtils.write(double)
    .binary(utf8('a'))
    .binary(utf8('ü'))
    .int(0) // TEXT: ReadWriteIOUtils.write(Binary); a null Binary as length 0
    .long(1n)
    .long(2n)
    .long(3n) // TIMESTAMP: as INT64
    .int(20240131)
    .int(10000101)
    .int(19700101) // DATE: as INT32, yyyyMMdd
    .binary(Uint8Array.of(0x00, 0xff))
    .binary(Uint8Array.of())
    .binary(Uint8Array.of(0x7f)) // BLOB: as TEXT
    .binary(utf8('x'))
    .binary(utf8('y'))
    .binary(utf8('z')) // STRING: as TEXT
    .bool(aligned); // ReadWriteIOUtils.write((byte) (isAligned ? 1 : 0))
}

export function allTypesTablet(device: string, aligned: boolean): Tablet {
  return {
    device,
    measurements: NAMES,
    dataTypes: [
      DataType.BOOLEAN,
      DataType.INT32,
      DataType.INT64,
      DataType.FLOAT,
      DataType.DOUBLE,
      DataType.TEXT,
      DataType.TIMESTAMP,
      DataType.DATE,
      DataType.BLOB,
      DataType.STRING,
    ],
    times: BigInt64Array.of(-5n, 0n, 9007199254740993n),
    columns: [
      Uint8Array.of(1, 0, 1),
      Int32Array.of(1, 0, 2147483647),
      BigInt64Array.of(INT64_MIN, 0n, INT64_MAX),
      Float32Array.of(1.5, -0.25, 0),
      Float64Array.of(Math.PI, -1e300, Number.NEGATIVE_INFINITY),
      [utf8('a'), utf8('ü'), utf8('')],
      BigInt64Array.of(1n, 2n, 3n),
      Int32Array.of(20240131, 10000101, 19700101),
      [Uint8Array.of(0x00, 0xff), Uint8Array.of(), Uint8Array.of(0x7f)],
      [utf8('x'), utf8('y'), utf8('z')],
    ],
    nulls: [null, Uint8Array.of(0, 1, 0), null, null, null, Uint8Array.of(0, 0, 1), null, null, null, null],
    rowCount: 3,
    aligned,
  };
}

/** InsertTabletNode.serialize with measurement names (no schemas), from the type code to the trailer. */
export function planTabletNode(out: JavaDataOutput, device: string, aligned: boolean): void {
  out
    .short(13) // PlanNodeType.INSERT_TABLET.serialize
    .string(device) // subSerialize: ReadWriteIOUtils.write(devicePath.getFullPath())
    .int(NAMES.length) // writeMeasurementsOrSchemas: measurements.length - failed
    .byte(0); // writeMeasurementsOrSchemas: measurementSchemas == null
  for (const name of NAMES) out.string(name); // ReadWriteIOUtils.write(measurements[i])
  for (const type of TYPES) out.byte(type); // writeDataTypes: dataTypes[i].serializeTo
  tabletRows(out, aligned);
  out
    .string('3') // PlanNode.serialize: id.serialize (PlanNodeId)
    .int(0); // PlanNode.serialize: children count (getChildren() == null)
}

/** WALInfoEntry.serialize of an InsertTabletNode: entry header, then serializeToWAL. */
export function walTabletEntry(out: JavaDataOutput, device: string, aligned: boolean): void {
  out
    .byte(WAL.INSERT_TABLET_NODE) // WALInfoEntry.serialize: type.getCode()
    .long(11n) // WALInfoEntry.serialize: memTableId
    .short(13) // serializeToWAL: putShort(INSERT_TABLET)
    .long(42n) // subSerialize: putLong(searchIndex)
    .string(device) // WALWriteUtils.write(devicePath.getFullPath())
    .int(NAMES.length); // writeMeasurementSchemas: measurements.length - failed
  NAMES.forEach((name, j) => {
    out
      .string(name) // WALWriteUtils.write(MeasurementSchema): measurementId
      .byte(TYPES[j]!) // type
      .byte(j % 2 === 0 ? 0 : 4) // encoding (PLAIN, GORILLA)
      .byte(j % 2 === 0 ? 0 : 1) // compressor (UNCOMPRESSED, SNAPPY)
      .int(0); // props == null
  });
  tabletRows(out, aligned);
}

export function request(type: number, build: (out: JavaDataOutput) => void) {
  const out = new JavaDataOutput();
  build(out);
  return { version: 1, type, body: out.toBuffer() };
}

/** Values of one row of every type, as putDataTypesAndValues writes them (plan and WAL alike). */
export function rowValues(out: JavaDataOutput): void {
  out
    .byte(T.BOOLEAN) // ReadWriteIOUtils.write(dataTypes[i])
    .bool(true) // ReadWriteIOUtils.write((Boolean) values[i])
    .byte(T.INT32)
    .int(-7)
    .byte(T.INT64)
    .long(INT64_MAX)
    .byte(T.FLOAT)
    .float(0.5)
    .byte(T.DOUBLE)
    .double(-2.25)
    .byte(T.TEXT)
    .binary(utf8('hi')) // ReadWriteIOUtils.write((Binary) values[i])
    .byte(T.TIMESTAMP)
    .long(1700000000000n)
    .byte(T.DATE)
    .int(20000229)
    .byte(T.BLOB)
    .binary(Uint8Array.of(1, 2))
    .byte(T.STRING)
    .binary(utf8('str'))
    .byte(-3) // a null with its type: TYPE_NULL_WITH_TYPE
    .byte(T.INT64) // ReadWriteIOUtils.write(dataTypes[i])
    .byte(-2); // a null without type: TYPE_NULL_WITHOUT_TYPE
}

export const ROW_NAMES = [...NAMES, 'n1', 'n2'];

export function allTypesRow(device: string, time: bigint, aligned: boolean): Tablet {
  return {
    device,
    measurements: [...NAMES, 'n1'],
    dataTypes: [
      DataType.BOOLEAN,
      DataType.INT32,
      DataType.INT64,
      DataType.FLOAT,
      DataType.DOUBLE,
      DataType.TEXT,
      DataType.TIMESTAMP,
      DataType.DATE,
      DataType.BLOB,
      DataType.STRING,
      DataType.INT64,
    ],
    times: BigInt64Array.of(time),
    columns: [
      Uint8Array.of(1),
      Int32Array.of(-7),
      BigInt64Array.of(INT64_MAX),
      Float32Array.of(0.5),
      Float64Array.of(-2.25),
      [utf8('hi')],
      BigInt64Array.of(1700000000000n),
      Int32Array.of(20000229),
      [Uint8Array.of(1, 2)],
      [utf8('str')],
      new BigInt64Array(1),
    ],
    nulls: [null, null, null, null, null, null, null, null, null, null, Uint8Array.of(1)],
    rowCount: 1,
    aligned,
  };
}

/** InsertRowNode.subSerialize (plan form): time, device, then serializeMeasurementsAndValues. */
export function planRow(out: JavaDataOutput, device: string, time: bigint, aligned: boolean): void {
  out
    .long(time) // subSerialize: ReadWriteIOUtils.write(time)
    .string(device) // subSerialize: ReadWriteIOUtils.write(devicePath.getFullPath())
    .with((o) => planRowValues(o, aligned));
}

/** serializeMeasurementsAndValues (plan form). */
export function planRowValues(out: JavaDataOutput, aligned: boolean): void {
  out
    .int(ROW_NAMES.length) // measurements.length - failed
    .byte(0); // serializeMeasurementsOrSchemas: measurementSchemas == null
  for (const name of ROW_NAMES) out.string(name); // ReadWriteIOUtils.write(measurements[i])
  rowValues(out);
  out
    .byte(0) // ReadWriteIOUtils.write((byte) (isNeedInferType ? 1 : 0))
    .bool(aligned); // ReadWriteIOUtils.write((byte) (isAligned ? 1 : 0))
}

/** InsertRowNode.subSerialize(IWALByteBufferView): time, device, schemas, values, isAligned. */
export function walRow(out: JavaDataOutput, device: string, time: bigint, aligned: boolean): void {
  out
    .long(time) // putLong(time)
    .string(device) // WALWriteUtils.write(devicePath.getFullPath())
    .int(ROW_NAMES.length); // measurements.length - failed
  const schemaTypes = [...TYPES, T.INT64, T.DOUBLE];
  ROW_NAMES.forEach((name, j) => {
    out
      .string(name) // WALWriteUtils.write(MeasurementSchema): measurementId
      .byte(schemaTypes[j]!) // type
      .byte(0) // encoding
      .byte(0) // compressor
      .int(1) // props: one entry
      .string('k')
      .string('v');
  });
  rowValues(out);
  out.bool(aligned); // put((byte) (isAligned ? 1 : 0))
}
