/**
 * Tablets as Apache Arrow RecordBatches and back, for processors that compute on Arrow.
 * Fixed-width columns whose layouts agree (times, INT32, INT64, TIMESTAMP, FLOAT, DOUBLE)
 * are wrapped, not copied: the batch's buffers are the tablet's typed arrays. Only
 * validity (Arrow: one bit per row, set when valid; tablet: one byte per row, 1 when
 * null), BOOLEAN (bits vs bytes), DATE (days vs yyyyMMdd) and the variable-width types
 * are converted.
 */
import {
  type DataType as ArrowType,
  Binary,
  Bool,
  type Data,
  DateDay,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  type Timestamp,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Type,
  Utf8,
} from 'apache-arrow';
import type { TimestampPrecision } from '../../engine/engine-config.js';
import { type ColumnValues, DataType, dataTypeName, parseDataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';

export const TIME_COLUMN = 'time';
const DEVICE_KEY = 'iotdb.device';
const ALIGNED_KEY = 'iotdb.aligned';
const DATA_TYPE_KEY = 'iotdb.dataType';
const MS_PER_DAY = 86_400_000;

function timestampType(precision: TimestampPrecision): Timestamp {
  if (precision === 'us') return new TimestampMicrosecond();
  if (precision === 'ns') return new TimestampNanosecond();
  return new TimestampMillisecond();
}

/** Arrow validity bits from tablet null bytes; null when every row has a value. */
function validityOf(nulls: Uint8Array | null, rows: number): { bitmap: Uint8Array; nullCount: number } | null {
  if (nulls === null) return null;
  const bitmap = new Uint8Array((rows + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < rows; i++) {
    if (nulls[i] === 1) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return nullCount === 0 ? null : { bitmap, nullCount };
}

function packBits(bytes: Uint8Array, rows: number): Uint8Array {
  const bits = new Uint8Array((rows + 7) >> 3);
  for (let i = 0; i < rows; i++) if (bytes[i] !== 0) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

function yyyymmddToDays(v: number): number {
  return Date.UTC(Math.floor(v / 10000), (Math.floor(v / 100) % 100) - 1, v % 100) / MS_PER_DAY;
}

function daysToYyyymmdd(days: number): number {
  const d = new Date(days * MS_PER_DAY);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

function binaryParts(values: Uint8Array[], nulls: Uint8Array | null, rows: number) {
  const valueOffsets = new Int32Array(rows + 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    if (nulls?.[i] !== 1) total += values[i]!.length;
    valueOffsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < rows; i++) if (nulls?.[i] !== 1) data.set(values[i]!, valueOffsets[i]!);
  return { valueOffsets, data };
}

function columnData(
  type: DataType,
  values: ColumnValues,
  nulls: Uint8Array | null,
  rows: number,
  timeType: Timestamp,
): Data {
  const validity = validityOf(nulls, rows);
  const common = {
    length: rows,
    nullCount: validity?.nullCount ?? 0,
    ...(validity === null ? {} : { nullBitmap: validity.bitmap }),
  };
  switch (type) {
    case DataType.BOOLEAN:
      return makeData({ type: new Bool(), data: packBits(values as Uint8Array, rows), ...common });
    case DataType.INT32:
      return makeData({ type: new Int32(), data: (values as Int32Array).subarray(0, rows), ...common });
    case DataType.DATE: {
      const src = values as Int32Array;
      const days = new Int32Array(rows);
      for (let i = 0; i < rows; i++) if (nulls?.[i] !== 1) days[i] = yyyymmddToDays(src[i]!);
      return makeData({ type: new DateDay(), data: days, ...common });
    }
    case DataType.INT64:
      return makeData({ type: new Int64(), data: (values as BigInt64Array).subarray(0, rows), ...common });
    case DataType.TIMESTAMP:
      // TIMESTAMP values are in the node's precision, as times are.
      return makeData({ type: timeType, data: (values as BigInt64Array).subarray(0, rows), ...common });
    case DataType.FLOAT:
      return makeData({ type: new Float32(), data: (values as Float32Array).subarray(0, rows), ...common });
    case DataType.DOUBLE:
      return makeData({ type: new Float64(), data: (values as Float64Array).subarray(0, rows), ...common });
    case DataType.TEXT:
    case DataType.STRING:
      return makeData({ type: new Utf8(), ...binaryParts(values as Uint8Array[], nulls, rows), ...common });
    case DataType.BLOB:
      return makeData({ type: new Binary(), ...binaryParts(values as Uint8Array[], nulls, rows), ...common });
    default:
      throw new RangeError(`data type ${type} has no Arrow column`);
  }
}

/** The tablet's rows as a RecordBatch (see the file comment for what is shared). */
export function tabletToRecordBatch(tablet: Tablet, precision: TimestampPrecision): RecordBatch {
  const rows = tablet.rowCount;
  const timeType = timestampType(precision);
  const fields: Field[] = [new Field(TIME_COLUMN, timeType, false)];
  const children: Data[] = [makeData({ type: timeType, data: tablet.times.subarray(0, rows), length: rows })];
  for (let j = 0; j < tablet.measurements.length; j++) {
    const type = tablet.dataTypes[j]!;
    const data = columnData(type, tablet.columns[j]!, tablet.nulls[j] ?? null, rows, timeType);
    fields.push(new Field(tablet.measurements[j]!, data.type, true, new Map([[DATA_TYPE_KEY, dataTypeName(type)]])));
    children.push(data);
  }
  const schema = new Schema(
    fields,
    new Map([
      [DEVICE_KEY, tablet.device],
      [ALIGNED_KEY, String(tablet.aligned)],
    ]),
  );
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children }));
}

// ---------------------------------------------------------------------------------------
// Back to a tablet

function nullBytes(data: Data): Uint8Array | null {
  if (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0) return null;
  const out = new Uint8Array(data.length);
  const bits = data.nullBitmap;
  for (let i = 0; i < data.length; i++) {
    const bit = data.offset + i;
    if ((bits[bit >> 3]! & (1 << (bit & 7))) === 0) out[i] = 1;
  }
  return out;
}

function recordedType(name: string): DataType | null {
  try {
    return parseDataType(name);
  } catch {
    return null;
  }
}

/** The IoTDB type a column becomes: the one recorded in its field, else the closest to its Arrow type. */
function dataTypeOf(field: Field, data: Data): DataType {
  const recorded = field.metadata.get(DATA_TYPE_KEY);
  const t = data.type as ArrowType & { bitWidth?: number; isSigned?: boolean; precision?: number; unit?: number };
  let natural: DataType | null = null;
  switch (data.typeId) {
    case Type.Bool:
      natural = DataType.BOOLEAN;
      break;
    case Type.Int:
      if (t.bitWidth === 32 && t.isSigned) natural = DataType.INT32;
      if (t.bitWidth === 64 && t.isSigned) natural = DataType.INT64;
      break;
    case Type.Float:
      if (t.precision === 1) natural = DataType.FLOAT;
      if (t.precision === 2) natural = DataType.DOUBLE;
      break;
    case Type.Date:
      if (t.unit === 0) natural = DataType.DATE;
      break;
    case Type.Timestamp:
      natural = DataType.TIMESTAMP;
      break;
    case Type.Utf8:
      natural = DataType.TEXT;
      break;
    case Type.Binary:
      natural = DataType.BLOB;
      break;
  }
  if (natural === null)
    throw new RangeError(`column '${field.name}' has Arrow type ${data.type}, which IoTDB cannot hold`);
  const type = recorded === undefined ? null : recordedType(recorded);
  if (type !== null) {
    // TEXT and STRING share Utf8; INT64 and TIMESTAMP both fit a 64-bit column.
    const sameColumn =
      type === natural ||
      (natural === DataType.TEXT && type === DataType.STRING) ||
      (natural === DataType.INT64 && type === DataType.TIMESTAMP) ||
      (natural === DataType.TIMESTAMP && type === DataType.INT64);
    if (sameColumn) return type;
  }
  return natural;
}

/**
 * The values of a column. Arrow JS slices keep fixed-width values and value offsets
 * starting at the slice's first row, while bits (booleans, validity) keep `data.offset`.
 */
function columnValues(data: Data, type: DataType): ColumnValues {
  const { offset, length } = data;
  switch (data.typeId) {
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) {
        const bit = offset + i;
        out[i] = (bits[bit >> 3]! >> (bit & 7)) & 1;
      }
      return out;
    }
    case Type.Date: {
      const days = data.values as Int32Array;
      const out = new Int32Array(length);
      for (let i = 0; i < length; i++) out[i] = daysToYyyymmdd(days[i]!);
      return out;
    }
    case Type.Utf8:
    case Type.Binary: {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      const out = new Array<Uint8Array>(length);
      for (let i = 0; i < length; i++) out[i] = bytes.subarray(offsets[i]!, offsets[i + 1]!);
      return out;
    }
    default: {
      const values = data.values as Int32Array | BigInt64Array | Float32Array | Float64Array;
      if (type === DataType.DATE) throw new RangeError('a DATE column must be Arrow Date32 (days)');
      return values.subarray(0, length);
    }
  }
}

/**
 * A tablet from a batch shaped like `tabletToRecordBatch`'s: the `time` column, then one
 * column per measurement. Device and alignment come from the schema metadata, else from
 * `origin` (the event the batch was made from).
 */
export function recordBatchToTablet(batch: RecordBatch, origin: Pick<Tablet, 'device' | 'aligned'>): Tablet {
  const fields = batch.schema.fields;
  const columns = batch.data.children;
  const timeIndex = fields.findIndex((f) => f.name === TIME_COLUMN);
  if (timeIndex < 0) throw new RangeError(`a batch needs a '${TIME_COLUMN}' column`);
  const timeData = columns[timeIndex]!;
  if (timeData.typeId !== Type.Timestamp && timeData.typeId !== Type.Int) {
    throw new RangeError(`column '${TIME_COLUMN}' must be a Timestamp or Int64 column`);
  }
  if (timeData.nullCount > 0) throw new RangeError(`column '${TIME_COLUMN}' must not hold nulls`);
  const timeValues = timeData.values as BigInt64Array;
  if (!(timeValues instanceof BigInt64Array)) throw new RangeError(`column '${TIME_COLUMN}' must be 64-bit`);
  const measurements: string[] = [];
  const dataTypes: DataType[] = [];
  const values: ColumnValues[] = [];
  const nulls: (Uint8Array | null)[] = [];
  fields.forEach((field, j) => {
    if (j === timeIndex) return;
    const data = columns[j]!;
    const type = dataTypeOf(field, data);
    measurements.push(field.name);
    dataTypes.push(type);
    values.push(columnValues(data, type));
    nulls.push(nullBytes(data));
  });
  const device = batch.schema.metadata.get(DEVICE_KEY) ?? origin.device;
  const aligned = batch.schema.metadata.get(ALIGNED_KEY);
  return {
    device,
    aligned: aligned === undefined ? origin.aligned : aligned === 'true',
    measurements,
    dataTypes,
    times: timeValues.subarray(0, timeData.length),
    columns: values,
    nulls,
    rowCount: batch.numRows,
  };
}
