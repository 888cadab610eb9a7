// Spec: protocol/FORMAT.md, section "String records".
//
// insertStringRecord(s) send every value as text. When the series exists its type decides
// how the text is read (`parseStringValue`); when it is about to be auto-created the type
// is inferred from the text first (`inferStringValue`), as IoTDB does:
//
//   "true" / "false" (any case)            -> booleanType   (BOOLEAN)
//   a number without '.'                   -> integerType   (DOUBLE)
//   a number with '.'                      -> floatingType  (DOUBLE)
//   "NaN"                                  -> nanType       (DOUBLE)
//   "null" / "NULL"                        -> no value
//   anything else                          -> TEXT

import type { DataType } from '../tsfile/data-type.js';
import { DataType as DataTypes, dataTypeName } from '../tsfile/data-type.js';
import { INT64_MAX, INT64_MIN } from '../tsfile/io/int64.js';
import { copyBytes } from './column-bytes.js';
import { PayloadError } from './payload-error.js';
import type { RecordValue } from './record-values-codec.js';

/** The types IoTDB's `*_string_infer_type` settings choose; defaults are IoTDB 1.3's. */
export interface StringInference {
  readonly booleanType: DataType;
  readonly integerType: DataType;
  readonly floatingType: DataType;
  readonly nanType: DataType;
}

export const DEFAULT_STRING_INFERENCE: StringInference = {
  booleanType: DataTypes.BOOLEAN,
  integerType: DataTypes.DOUBLE,
  floatingType: DataTypes.DOUBLE,
  nanType: DataTypes.DOUBLE,
};

/** Infers a type for `text` and parses it; null for the literal null. */
export function inferStringValue(
  text: string,
  inference: StringInference = DEFAULT_STRING_INFERENCE,
): { type: DataType; value: Exclude<RecordValue, null> } | null {
  let type: DataType;
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === 'false') type = inference.booleanType;
  else if (text !== 'NaN' && JAVA_DOUBLE.test(text.trim())) {
    type = text.includes('.') ? inference.floatingType : inference.integerType;
  } else if (text === 'null' || text === 'NULL') return null;
  else if (text === 'NaN') type = inference.nanType;
  else type = DataTypes.TEXT;
  const value = parseStringValue(text, type);
  return value === null ? null : { type, value };
}

/**
 * Reads `text` as a value of `type`, with IoTDB's rules: integers in range (surrounding
 * blanks allowed), Java float syntax (finite only), booleans true/false/1/0 in any case,
 * DATE as yyyy-MM-dd, TIMESTAMP as an integer or an ISO-8601 date-time (in ms), BLOB as
 * X'hex' or 0xhex, and one pair of surrounding quotes dropped from TEXT/STRING/BLOB.
 * The literal null / NULL gives null. A value that does not fit the type is a PayloadError.
 */
export function parseStringValue(text: string, type: DataType): RecordValue {
  if (text === 'null' || text === 'NULL') return null;
  switch (type) {
    case DataTypes.BOOLEAN: {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      throw mismatch(text, type, 'a BOOLEAN is true, false, 1 or 0');
    }
    case DataTypes.INT32: {
      const v = parseInteger(text, type);
      if (v < -2147483648n || v > 2147483647n) throw mismatch(text, type, 'out of the INT32 range');
      return Number(v);
    }
    case DataTypes.INT64:
      return parseInteger(text, type);
    case DataTypes.FLOAT: {
      const v = Math.fround(parseJavaFloat(text, type));
      if (!Number.isFinite(v) && !Number.isNaN(v)) throw mismatch(text, type, 'the value is Infinity');
      return v;
    }
    case DataTypes.DOUBLE: {
      const v = parseJavaFloat(text, type);
      if (!Number.isFinite(v) && !Number.isNaN(v)) throw mismatch(text, type, 'the value is Infinity');
      return v;
    }
    case DataTypes.TEXT:
    case DataTypes.STRING:
      return UTF8.encode(unquote(text));
    case DataTypes.BLOB:
      return parseBlob(unquote(text), text);
    case DataTypes.DATE:
      return parseDate(text.length === 12 ? unquote(text) : text.trim(), text);
    case DataTypes.TIMESTAMP:
      return parseTimestamp(text.trim(), text);
    default:
      throw new PayloadError(`data type ${type} has no string form`);
  }
}

const UTF8 = new TextEncoder();

/** Java's Double.parseDouble syntax (decimal forms), after trimming. */
const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;
const INTEGER = /^[+-]?\d+$/;

function parseInteger(text: string, type: DataType): bigint {
  const trimmed = text.trim();
  if (!INTEGER.test(trimmed)) throw mismatch(text, type);
  const v = BigInt(trimmed);
  if (v < INT64_MIN || v > INT64_MAX) throw mismatch(text, type, 'out of the INT64 range');
  return v;
}

function parseJavaFloat(text: string, type: DataType): number {
  const trimmed = text.trim();
  if (!JAVA_DOUBLE.test(trimmed)) throw mismatch(text, type);
  return Number(trimmed.replace(/[fFdD]$/, ''));
}

function unquote(text: string): string {
  if (text.length < 2) return text;
  const first = text[0];
  if ((first === "'" || first === '"') && text[text.length - 1] === first) return text.slice(1, -1);
  return text;
}

function parseBlob(body: string, text: string): Uint8Array {
  const m = /^(?:[xX]'([0-9a-fA-F]*)'|0[xX]([0-9a-fA-F]*))$/.exec(body);
  const hex = m?.[1] ?? m?.[2];
  if (hex === undefined || hex.length % 2 !== 0) {
    throw mismatch(text, DataTypes.BLOB, "a BLOB is X'<hex>' or 0x<hex> with an even digit count");
  }
  const bytes = Buffer.from(hex, 'hex');
  return copyBytes(bytes, 0, bytes.length);
}

function parseDate(body: string, text: string): number {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(body);
  if (m === null) throw mismatch(text, DataTypes.DATE, 'a DATE is yyyy-MM-dd');
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (
    year < 1000 ||
    probe.getUTCFullYear() !== year ||
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day
  ) {
    throw mismatch(text, DataTypes.DATE, 'not a calendar date from 1000-01-01 to 9999-12-31');
  }
  return year * 10000 + month * 100 + day;
}

function parseTimestamp(body: string, text: string): bigint {
  if (INTEGER.test(body)) return parseInteger(body, DataTypes.TIMESTAMP);
  const ms = Date.parse(body);
  if (!/^\d{4}-\d{2}-\d{2}/.test(body) || Number.isNaN(ms)) {
    throw mismatch(text, DataTypes.TIMESTAMP, 'a TIMESTAMP is an integer or an ISO-8601 date-time');
  }
  return BigInt(ms);
}

function mismatch(text: string, type: DataType, why?: string): PayloadError {
  const base = `data type is not consistent, input ${text}, registered ${dataTypeName(type)}`;
  return new PayloadError(why === undefined ? base : `${base} because ${why}`);
}
