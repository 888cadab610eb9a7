import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatPath, parsePath } from '../../engine/path/path.js';
import type { Row } from '../../engine/rows.js';
import type { SchemaStore } from '../../engine/schema/schema-store.js';
import { PayloadError } from '../../protocol/payload-error.js';
import { decodeRecordValues, type RecordValue } from '../../protocol/record-values-codec.js';
import type { I64 } from '../../protocol/rpc-types.js';
import { i64ToBigInt } from '../../protocol/rpc-types.js';
import { inferStringValue, parseStringValue } from '../../protocol/string-record-values.js';
import { type DataType, dataTypeName } from '../../tsfile/data-type.js';

/** The columns of insertRecords-like requests; one entry per record. */
export interface RecordBatch<V> {
  readonly devices: readonly string[];
  readonly measurementsList: readonly (readonly string[])[];
  readonly valuesList: readonly V[];
  readonly timestamps: readonly I64[];
  readonly aligned: boolean;
}

function checkLengths<V>(batch: RecordBatch<V>): void {
  const n = batch.devices.length;
  if (batch.measurementsList.length !== n || batch.valuesList.length !== n || batch.timestamps.length !== n) {
    throw new PayloadError(
      `record lists disagree: ${n} devices, ${batch.measurementsList.length} measurement lists, ` +
        `${batch.valuesList.length} value lists, ${batch.timestamps.length} timestamps`,
    );
  }
}

/** A row without its null values (a null is a missing point, as in IoTDB). */
function row(
  device: string,
  time: bigint,
  measurements: readonly string[],
  types: readonly (DataType | null)[],
  values: readonly RecordValue[],
  aligned: boolean,
): Row {
  const keep: number[] = [];
  for (let i = 0; i < measurements.length; i++) if (types[i] !== null) keep.push(i);
  return {
    device,
    time,
    measurements: keep.map((i) => measurements[i]!),
    dataTypes: keep.map((i) => types[i]!),
    values: keep.map((i) => values[i]!),
    aligned,
  };
}

/** insertRecord(s) / insertRecordsOfOneDevice: typed value bytes. */
export function recordRows(batch: RecordBatch<Uint8Array>): Row[] {
  checkLengths(batch);
  return batch.devices.map((device, k) => {
    const measurements = batch.measurementsList[k]!;
    const decoded = decodeRecordValues(batch.valuesList[k]!, measurements.length);
    return row(device, i64ToBigInt(batch.timestamps[k]!), measurements, decoded.types, decoded.values, batch.aligned);
  });
}

/**
 * insertStringRecord(s): text values read as the registered type of their series, or, for a
 * series about to be created, as the type IoTDB infers from the text.
 */
export function stringRecordRows(batch: RecordBatch<readonly string[]>, schema: SchemaStore): Row[] {
  checkLengths(batch);
  return batch.devices.map((device, k) => {
    const measurements = batch.measurementsList[k]!;
    const texts = batch.valuesList[k]!;
    if (texts.length !== measurements.length) {
      throw new PayloadError(`record ${k}: ${measurements.length} measurements but ${texts.length} values`);
    }
    const known = schema.device(formatPath(parsePath(device)))?.measurements;
    const types: (DataType | null)[] = [];
    const values: RecordValue[] = [];
    texts.forEach((text, i) => {
      const registered = known?.get(measurements[i]!)?.dataType;
      if (registered === undefined) {
        const inferred = inferStringValue(text);
        types.push(inferred?.type ?? null);
        values.push(inferred?.value ?? null);
        return;
      }
      let value: RecordValue;
      try {
        value = parseStringValue(text, registered);
      } catch (error) {
        throw new EngineError(
          StatusCode.DATA_TYPE_MISMATCH,
          `value ${text} of ${device}.${measurements[i]} is not a ${dataTypeName(registered)}: ${(error as Error).message}`,
        );
      }
      types.push(value === null ? null : registered);
      values.push(value);
    });
    return row(device, i64ToBigInt(batch.timestamps[k]!), measurements, types, values, batch.aligned);
  });
}
