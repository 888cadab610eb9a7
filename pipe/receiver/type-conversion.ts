import { allocateColumn, type ColumnValues, DataType, valueKind } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { formatJavaDouble, formatJavaFloat } from '../../tsfile/text/java-number-format.js';

/**
 * IoTDB's receiver-side conversion of a value to the type a series has on the receiver
 * (`sink.exception.data.convert-on-type-mismatch`, IoTDB 1.3.3's ValueConverter): every
 * type converts to every other; text that does not parse becomes 0, false or 1970-01-01,
 * as IoTDB does. Values travel through one JS form per kind.
 */
type Plain = boolean | number | bigint | Uint8Array;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FALSE_DATE = 19700101;
const TRUE_DATE = 19700102;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Java's `(int) d` of a double: NaN is 0, out of range saturates, the rest truncates. */
function javaInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= INT32_MAX) return INT32_MAX;
  if (d <= INT32_MIN) return INT32_MIN;
  return Math.trunc(d);
}

/** Java's `(long) d` of a double. */
function javaLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 9.223372036854776e18) return INT64_MAX;
  if (d <= -9.223372036854776e18) return INT64_MIN;
  return BigInt(Math.trunc(d));
}

/** Java's Double.parseDouble, 0 when it would throw. */
function parseJavaDouble(text: string): number {
  const t = text.trim();
  if (!/^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/.test(t)) return 0;
  return Number(t.replace(/[fFdD]$/, ''));
}

/** A yyyyMMdd integer IoTDB accepts as a DATE. */
function isDate(v: number): boolean {
  if (!Number.isInteger(v)) return false;
  const y = Math.trunc(v / 10000);
  const m = Math.trunc((v % 10000) / 100);
  const d = v % 100;
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function dateOfMillis(ms: number): number {
  const at = new Date(ms);
  if (Number.isNaN(at.getTime())) return FALSE_DATE;
  const v = at.getUTCFullYear() * 10000 + (at.getUTCMonth() + 1) * 100 + at.getUTCDate();
  return isDate(v) ? v : FALSE_DATE;
}

function dateText(v: number): string {
  const s = String(v).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

function dateMillis(v: number): bigint {
  if (!isDate(v)) return 0n;
  return BigInt(Date.UTC(Math.trunc(v / 10000), Math.trunc((v % 10000) / 100) - 1, v % 100));
}

function parseDate(text: string): number {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) return isDate(Number(t)) ? Number(t) : FALSE_DATE;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m === null) return FALSE_DATE;
  const v = Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
  return isDate(v) ? v : FALSE_DATE;
}

function parseTimestamp(text: string): bigint {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) return BigInt.asIntN(64, BigInt(t));
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0n : BigInt(ms);
}

function text(v: Plain, from: DataType): string {
  if (v instanceof Uint8Array) return decoder.decode(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (from === DataType.DATE) return dateText(v);
  if (from === DataType.FLOAT) return formatJavaFloat(v);
  if (from === DataType.DOUBLE) return formatJavaDouble(v);
  return String(v);
}

/** One value of type `from` as type `to`, by IoTDB's rules. */
export function convertValue(v: Plain, from: DataType, to: DataType): Plain {
  if (from === to) return v;
  const binary = v instanceof Uint8Array;
  switch (to) {
    case DataType.BOOLEAN:
      if (binary) return decoder.decode(v).toLowerCase() === 'true';
      if (from === DataType.DATE) return v !== FALSE_DATE;
      return typeof v === 'boolean' ? v : v !== 0 && v !== 0n;
    case DataType.INT32:
    case DataType.DATE: {
      let n: number;
      if (binary) n = to === DataType.DATE ? parseDate(decoder.decode(v)) : javaInt(parseJavaDouble(decoder.decode(v)));
      else if (typeof v === 'boolean') n = to === DataType.DATE ? (v ? TRUE_DATE : FALSE_DATE) : v ? 1 : 0;
      else if (typeof v === 'bigint')
        n =
          to === DataType.DATE && from === DataType.TIMESTAMP ? dateOfMillis(Number(v)) : Number(BigInt.asIntN(32, v));
      else n = javaInt(v);
      if (to === DataType.DATE && !binary && typeof v !== 'boolean' && from !== DataType.TIMESTAMP && !isDate(n))
        return FALSE_DATE;
      return n;
    }
    case DataType.INT64:
    case DataType.TIMESTAMP:
      if (binary)
        return to === DataType.TIMESTAMP
          ? parseTimestamp(decoder.decode(v))
          : javaLong(parseJavaDouble(decoder.decode(v)));
      if (typeof v === 'boolean') return v ? 1n : 0n;
      if (typeof v === 'bigint') return v;
      if (from === DataType.DATE && to === DataType.TIMESTAMP) return dateMillis(v);
      return javaLong(v);
    case DataType.FLOAT:
    case DataType.DOUBLE: {
      const n = binary ? parseJavaDouble(decoder.decode(v)) : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
      return to === DataType.FLOAT ? Math.fround(n) : n;
    }
    default:
      return binary ? v : encoder.encode(text(v, from));
  }
}

function read(column: ColumnValues, type: DataType, row: number): Plain {
  const v = (column as ArrayLike<unknown>)[row];
  return valueKind(type) === 'boolean' ? v === 1 || v === true : (v as Plain);
}

function write(column: ColumnValues, type: DataType, row: number, v: Plain): void {
  if (valueKind(type) === 'boolean') (column as Uint8Array)[row] = v ? 1 : 0;
  else (column as unknown as Plain[])[row] = v;
}

/**
 * The tablet with each column whose series has another type on the receiver converted to
 * that type (`typeOf` answers the receiver's type, undefined for a series it lacks).
 */
export function convertTablet(tablet: Tablet, typeOf: (measurement: string) => DataType | undefined): Tablet {
  let changed = false;
  const dataTypes = [...tablet.dataTypes];
  const columns = tablet.columns.map((column, j) => {
    const from = tablet.dataTypes[j]!;
    const to = typeOf(tablet.measurements[j]!);
    if (to === undefined || to === from) return column;
    changed = true;
    dataTypes[j] = to;
    const out = allocateColumn(to, tablet.rowCount);
    const nulls = tablet.nulls[j];
    for (let i = 0; i < tablet.rowCount; i++) {
      if (nulls?.[i] === 1) {
        if (valueKind(to) === 'binary') (out as Uint8Array[])[i] = new Uint8Array(0);
        continue;
      }
      write(out, to, i, convertValue(read(column, from, i), from, to));
    }
    return out;
  });
  return changed ? { ...tablet, dataTypes, columns } : tablet;
}
