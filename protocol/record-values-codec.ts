// Spec: protocol/FORMAT.md, section "Record values".
//
//   values := entry{measurementCount}
//   entry  := 0xFE                                   a null (no value follows)
//           | type:u8 value                          type is a TSDataType code
//   value  := BOOLEAN                 u8             (1 = true)
//           | INT32, DATE             int32be        (DATE as yyyyMMdd)
//           | INT64, TIMESTAMP        int64be
//           | FLOAT                   float32be
//           | DOUBLE                  float64be
//           | TEXT, STRING, BLOB      int32be length, bytes
//
// The payload of TSInsertRecordReq.values and of each element of valuesList in
// TSInsertRecordsReq / TSInsertRecordsOfOneDeviceReq. The string-record methods send
// plain strings instead: see string-record-values.ts.

import type { DataType } from '../tsfile/data-type.js';
import { isValueDataType, valueKind } from '../tsfile/data-type.js';
import { copyBytes } from './column-bytes.js';
import { PayloadError } from './payload-error.js';

/**
 * One value of a record, by value class: BOOLEAN boolean; INT32, DATE, FLOAT, DOUBLE
 * number; INT64, TIMESTAMP bigint; TEXT, STRING, BLOB bytes; null for a null.
 */
export type RecordValue = boolean | number | bigint | Uint8Array | null;

/** Decoded record values: `types[i]` is null exactly when `values[i]` is null. */
export interface RecordValues {
  readonly types: (DataType | null)[];
  readonly values: RecordValue[];
}

/** The type byte the Java session writes for a null value. */
export const RECORD_NULL_TYPE = 0xfe;

/**
 * Decodes the values of one record holding `count` measurements. The byte count must
 * match exactly; BOOLEAN/TEXT values are copied out, never views of `bytes`.
 */
export function decodeRecordValues(bytes: Uint8Array, count: number): RecordValues {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buf.length;
  const types = new Array<DataType | null>(count);
  const values = new Array<RecordValue>(count);
  let pos = 0;
  const need = (n: number, i: number): void => {
    if (n > end - pos) throw new PayloadError(`record value ${i} needs ${n} bytes at offset ${pos}, ${end - pos} left`);
  };
  for (let i = 0; i < count; i++) {
    need(1, i);
    const code = buf[pos++]!;
    if (code === RECORD_NULL_TYPE) {
      types[i] = null;
      values[i] = null;
      continue;
    }
    const type = recordType(code, i);
    types[i] = type;
    switch (valueKind(type)) {
      case 'boolean':
        need(1, i);
        values[i] = buf[pos] === 1;
        pos += 1;
        break;
      case 'int32':
        need(4, i);
        values[i] = buf.readInt32BE(pos);
        pos += 4;
        break;
      case 'int64':
        need(8, i);
        values[i] = buf.readBigInt64BE(pos);
        pos += 8;
        break;
      case 'float':
        need(4, i);
        values[i] = buf.readFloatBE(pos);
        pos += 4;
        break;
      case 'double':
        need(8, i);
        values[i] = buf.readDoubleBE(pos);
        pos += 8;
        break;
      case 'binary': {
        need(4, i);
        const length = buf.readInt32BE(pos);
        pos += 4;
        if (length < 0) throw new PayloadError(`record value ${i} has negative length ${length}`);
        need(length, i);
        values[i] = copyBytes(buf, pos, pos + length);
        pos += length;
        break;
      }
    }
  }
  if (pos !== end) throw new PayloadError(`record values have ${end - pos} bytes after ${count} values`);
  return { types, values };
}

/** Encodes one record's values; a null value is written as the null type byte alone. */
export function encodeRecordValues(types: readonly DataType[], values: readonly RecordValue[]): Buffer {
  if (types.length !== values.length) throw new RangeError(`${types.length} types but ${values.length} values`);
  let total = 0;
  for (let i = 0; i < types.length; i++) total += 1 + encodedValueLength(types[i]!, values[i]!, i);
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (let i = 0; i < types.length; i++) {
    const type = types[i]!;
    const value = values[i]!;
    if (value === null) {
      out[pos++] = RECORD_NULL_TYPE;
      continue;
    }
    out[pos++] = type;
    switch (valueKind(type)) {
      case 'boolean':
        out[pos++] = value ? 1 : 0;
        break;
      case 'int32':
        pos = out.writeInt32BE(value as number, pos);
        break;
      case 'int64':
        pos = out.writeBigInt64BE(toBigInt(value, i), pos);
        break;
      case 'float':
        pos = out.writeFloatBE(value as number, pos);
        break;
      case 'double':
        pos = out.writeDoubleBE(value as number, pos);
        break;
      case 'binary': {
        const bytes = value as Uint8Array;
        pos = out.writeInt32BE(bytes.length, pos);
        out.set(bytes, pos);
        pos += bytes.length;
        break;
      }
    }
  }
  return out;
}

function encodedValueLength(type: DataType, value: RecordValue, i: number): number {
  if (value === null) return 0;
  switch (valueKind(type)) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new TypeError(`value ${i} of type BOOLEAN must be a boolean`);
      return 1;
    case 'int32':
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw new TypeError(`value ${i} of type ${type} must be a number`);
      return valueKind(type) === 'double' ? 8 : 4;
    case 'int64':
      toBigInt(value, i);
      return 8;
    case 'binary':
      if (!(value instanceof Uint8Array)) throw new TypeError(`value ${i} of a text/blob type must be bytes`);
      return 4 + value.length;
  }
}

function toBigInt(value: RecordValue, i: number): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`value ${i} of an INT64/TIMESTAMP type must be a bigint or a safe integer`);
}

function recordType(code: number, i: number): DataType {
  if (isValueDataType(code)) return code;
  // 0xFF is IoTDB's server-internal "raw string, infer the type"; clients never send it.
  throw new PayloadError(`record value ${i} has unknown type code ${code}`);
}
