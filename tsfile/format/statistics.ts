// Format: tsfile/FORMAT.md § Statistics
import { type ColumnValues, DataType } from '../data-type.js';
import { ByteReader, CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { int64Words, TWO_POW_32 } from '../io/int64.js';

/**
 * Per page, chunk and series: count and time range for every type, plus value statistics
 * whose fields and their order depend on the data type (VECTOR = an aligned time column,
 * which has none). Sums follow Java: INT32/DATE and BOOLEAN sum into a long, INT64/
 * TIMESTAMP/FLOAT/DOUBLE into a double accumulated value by value.
 */
export interface Statistics {
  readonly dataType: DataType;
  count: number;
  startTime: bigint;
  endTime: bigint;
  minValue: StatValue;
  maxValue: StatValue;
  firstValue: StatValue;
  lastValue: StatValue;
  /** A double, or a long (as number) for INT32/DATE/BOOLEAN. */
  sumValue: number;
}

export type StatValue = number | bigint | boolean | Uint8Array | null;

/**
 * Statistics of no points, as the reference initialises them: an inverted time range and
 * zero values, which is also what an all-null aligned value chunk records.
 */
export function emptyStatistics(dataType: DataType): Statistics {
  const zero = zeroValue(dataType);
  return {
    dataType,
    count: 0,
    startTime: 2n ** 63n - 1n,
    endTime: -(2n ** 63n),
    minValue: zero,
    maxValue: zero,
    firstValue: zero,
    lastValue: zero,
    sumValue: 0,
  };
}

function zeroValue(dataType: DataType): StatValue {
  switch (dataType) {
    case DataType.BOOLEAN:
      return false;
    case DataType.INT64:
    case DataType.TIMESTAMP:
      return 0n;
    case DataType.TEXT:
    case DataType.STRING:
    case DataType.BLOB:
      return new Uint8Array(0);
    case DataType.VECTOR:
      return null;
    default:
      return 0;
  }
}

export function writeStatistics(s: Statistics, out: ByteWriter): void {
  out.writeVarUInt(s.count);
  out.writeBigInt64(s.startTime);
  out.writeBigInt64(s.endTime);
  switch (s.dataType) {
    case DataType.VECTOR:
    case DataType.BLOB:
      return;
    case DataType.BOOLEAN:
      out.writeBool(s.firstValue as boolean);
      out.writeBool(s.lastValue as boolean);
      out.writeInt64Number(s.sumValue);
      return;
    case DataType.INT32:
    case DataType.DATE:
      for (const v of [s.minValue, s.maxValue, s.firstValue, s.lastValue]) out.writeInt32(v as number);
      out.writeInt64Number(s.sumValue);
      return;
    case DataType.INT64:
    case DataType.TIMESTAMP:
      for (const v of [s.minValue, s.maxValue, s.firstValue, s.lastValue]) out.writeBigInt64(v as bigint);
      out.writeDouble(s.sumValue);
      return;
    case DataType.FLOAT:
      for (const v of [s.minValue, s.maxValue, s.firstValue, s.lastValue]) out.writeFloat(v as number);
      out.writeDouble(s.sumValue);
      return;
    case DataType.DOUBLE:
      for (const v of [s.minValue, s.maxValue, s.firstValue, s.lastValue]) out.writeDouble(v as number);
      out.writeDouble(s.sumValue);
      return;
    case DataType.TEXT:
      writeBinary(s.firstValue as Uint8Array, out);
      writeBinary(s.lastValue as Uint8Array, out);
      return;
    case DataType.STRING:
      for (const v of [s.firstValue, s.lastValue, s.minValue, s.maxValue]) writeBinary(v as Uint8Array, out);
      return;
    default:
      throw new RangeError(`no statistics for data type ${s.dataType}`);
  }
}

function writeBinary(v: Uint8Array, out: ByteWriter): void {
  out.writeInt32(v.length);
  out.writeBytes(v);
}

function readBinary(r: ByteReader): Uint8Array {
  const n = r.readInt32();
  if (n < 0) throw new CorruptDataError(`negative binary length ${n} in statistics`);
  return Uint8Array.from(r.readBytes(n));
}

export function readStatistics(r: ByteReader, dataType: DataType): Statistics {
  const s = emptyStatistics(dataType);
  s.count = r.readVarUInt();
  s.startTime = r.readBigInt64();
  s.endTime = r.readBigInt64();
  switch (dataType) {
    case DataType.VECTOR:
    case DataType.BLOB:
      break;
    case DataType.BOOLEAN:
      s.firstValue = r.readBool();
      s.lastValue = r.readBool();
      s.sumValue = r.readInt64Number();
      break;
    case DataType.INT32:
    case DataType.DATE:
      s.minValue = r.readInt32();
      s.maxValue = r.readInt32();
      s.firstValue = r.readInt32();
      s.lastValue = r.readInt32();
      s.sumValue = r.readInt64Number();
      break;
    case DataType.INT64:
    case DataType.TIMESTAMP:
      s.minValue = r.readBigInt64();
      s.maxValue = r.readBigInt64();
      s.firstValue = r.readBigInt64();
      s.lastValue = r.readBigInt64();
      s.sumValue = r.readDouble();
      break;
    case DataType.FLOAT:
      s.minValue = r.readFloat();
      s.maxValue = r.readFloat();
      s.firstValue = r.readFloat();
      s.lastValue = r.readFloat();
      s.sumValue = r.readDouble();
      break;
    case DataType.DOUBLE:
      s.minValue = r.readDouble();
      s.maxValue = r.readDouble();
      s.firstValue = r.readDouble();
      s.lastValue = r.readDouble();
      s.sumValue = r.readDouble();
      break;
    case DataType.TEXT:
      s.firstValue = readBinary(r);
      s.lastValue = readBinary(r);
      break;
    case DataType.STRING:
      s.firstValue = readBinary(r);
      s.lastValue = readBinary(r);
      s.minValue = readBinary(r);
      s.maxValue = readBinary(r);
      break;
    default:
      throw new CorruptDataError(`no statistics for data type ${dataType}`);
  }
  return s;
}

/** Statistics bytes for a page header or chunk metadata. */
export function statisticsFrom(bytes: Buffer, dataType: DataType): Statistics {
  return readStatistics(new ByteReader(bytes), dataType);
}

/**
 * Folds `other` into `into`, as Java's `mergeStatistics` does for consecutive pages and
 * chunks (other comes after into in time).
 */
export function mergeStatistics(into: Statistics, other: Statistics): void {
  if (other.count === 0) return;
  if (into.count === 0) {
    Object.assign(into, other, { dataType: into.dataType });
    return;
  }
  if (other.startTime < into.startTime) {
    into.startTime = other.startTime;
    into.firstValue = other.firstValue;
  }
  if (other.endTime >= into.endTime) {
    into.endTime = other.endTime;
    into.lastValue = other.lastValue;
  }
  into.count += other.count;
  if (into.minValue !== null && other.minValue !== null && into.minValue !== undefined) {
    if (compareStat(other.minValue, into.minValue) < 0) into.minValue = other.minValue;
    if (compareStat(other.maxValue!, into.maxValue!) > 0) into.maxValue = other.maxValue;
  }
  into.sumValue += other.sumValue;
}

function compareStat(a: StatValue, b: StatValue): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = a as number;
  const y = b as number;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Statistics of `values[from, to)` at `times[from, to)` (times ascending). `present`, when
 * given, marks non-null rows (1) of an aligned value column; `values` then holds only the
 * present values, packed, starting at `valueFrom`.
 */
export function computeStatistics(
  dataType: DataType,
  times: BigInt64Array,
  from: number,
  to: number,
  values: ColumnValues | null,
  valueFrom = from,
  present?: Uint8Array,
): Statistics {
  const s = emptyStatistics(dataType);
  let firstRow = -1;
  let lastRow = -1;
  let count = 0;
  if (present === undefined) {
    count = to - from;
    firstRow = from;
    lastRow = to - 1;
  } else {
    for (let i = from; i < to; i++) {
      if (present[i] === 1) {
        if (firstRow < 0) firstRow = i;
        lastRow = i;
        count++;
      }
    }
  }
  if (count === 0) return s;
  s.count = count;
  s.startTime = times[firstRow]!;
  s.endTime = times[lastRow]!;
  if (values === null) return s;
  const a = valueFrom;
  const b = valueFrom + count;
  switch (dataType) {
    case DataType.BOOLEAN:
      booleanStats(s, values as Uint8Array, a, b);
      break;
    case DataType.INT32:
    case DataType.DATE:
      int32Stats(s, values as Int32Array, a, b);
      break;
    case DataType.INT64:
    case DataType.TIMESTAMP:
      int64Stats(s, values as BigInt64Array, a, b);
      break;
    case DataType.FLOAT:
    case DataType.DOUBLE:
      floatingStats(s, values as Float32Array | Float64Array, a, b);
      break;
    case DataType.TEXT:
    case DataType.BLOB:
      s.firstValue = (values as Uint8Array[])[a]!;
      s.lastValue = (values as Uint8Array[])[b - 1]!;
      break;
    case DataType.STRING:
      stringStats(s, values as Uint8Array[], a, b);
      break;
  }
  return s;
}

function booleanStats(s: Statistics, v: Uint8Array, a: number, b: number): void {
  let sum = 0;
  for (let i = a; i < b; i++) sum += v[i]!;
  s.firstValue = v[a] === 1;
  s.lastValue = v[b - 1] === 1;
  s.sumValue = sum;
}

function int32Stats(s: Statistics, v: Int32Array, a: number, b: number): void {
  let min = v[a]!;
  let max = min;
  let sum = 0;
  for (let i = a; i < b; i++) {
    const x = v[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  s.minValue = min;
  s.maxValue = max;
  s.firstValue = v[a]!;
  s.lastValue = v[b - 1]!;
  s.sumValue = sum;
}

/** Min/max by comparing 32-bit halves (exact for every long); the sum as Java's double. */
function int64Stats(s: Statistics, v: BigInt64Array, a: number, b: number): void {
  const w = int64Words(v);
  let minHi = w[2 * a + 1]!;
  let minLo = w[2 * a]! >>> 0;
  let maxHi = minHi;
  let maxLo = minLo;
  let minAt = a;
  let maxAt = a;
  let sum = 0;
  for (let i = a; i < b; i++) {
    const hi = w[2 * i + 1]!;
    const lo = w[2 * i]! >>> 0;
    if (hi < minHi || (hi === minHi && lo < minLo)) {
      minHi = hi;
      minLo = lo;
      minAt = i;
    }
    if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
      maxHi = hi;
      maxLo = lo;
      maxAt = i;
    }
    sum += hi * TWO_POW_32 + lo;
  }
  s.minValue = v[minAt]!;
  s.maxValue = v[maxAt]!;
  s.firstValue = v[a]!;
  s.lastValue = v[b - 1]!;
  s.sumValue = sum;
}

/** Java compares with `<`/`>`, so NaN never becomes min or max unless it comes first. */
function floatingStats(s: Statistics, v: Float32Array | Float64Array, a: number, b: number): void {
  let min = v[a]!;
  let max = min;
  let sum = 0;
  for (let i = a; i < b; i++) {
    const x = v[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  s.minValue = min;
  s.maxValue = max;
  s.firstValue = v[a]!;
  s.lastValue = v[b - 1]!;
  s.sumValue = sum;
}

function stringStats(s: Statistics, v: Uint8Array[], a: number, b: number): void {
  let min = v[a]!;
  let max = min;
  for (let i = a; i < b; i++) {
    if (Buffer.compare(v[i]!, min) < 0) min = v[i]!;
    if (Buffer.compare(v[i]!, max) > 0) max = v[i]!;
  }
  s.minValue = min;
  s.maxValue = max;
  s.firstValue = v[a]!;
  s.lastValue = v[b - 1]!;
}
