/**
 * Datetime and duration literals: reading their text, and turning a parsed time value into
 * a timestamp in the database's precision when the statement runs.
 */
import type { DatetimeLiteral, Duration, DurationShift, TimeValue } from './ast.js';

// ---------------------------------------------------------------------------------------
// Durations

const DURATION_PART = /([0-9]+)(mo|ms|us|ns|y|w|d|h|m|s)/giy;
const NANOS_PER_UNIT: Readonly<Record<string, bigint>> = {
  w: 7n * 86_400_000_000_000n,
  d: 86_400_000_000_000n,
  h: 3_600_000_000_000n,
  m: 60_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1_000n,
  ns: 1n,
};

/** Reads `1d`, `1h30m`, `2mo`, `1y` (case-insensitive); null when `text` is not a duration. */
export function parseDuration(text: string): Duration | null {
  let months = 0;
  let nanos = 0n;
  DURATION_PART.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    DURATION_PART.lastIndex = at;
    const m = DURATION_PART.exec(text);
    if (m === null) return null;
    const amount = BigInt(m[1]!);
    const unit = m[2]!.toLowerCase();
    if (unit === 'y') months += Number(amount) * 12;
    else if (unit === 'mo') months += Number(amount);
    else nanos += amount * NANOS_PER_UNIT[unit]!;
    at = DURATION_PART.lastIndex;
  }
  return at === 0 ? null : { text, months, nanos };
}

export type TimestampPrecision = 'ms' | 'us' | 'ns';

const NANOS_PER_PRECISION: Readonly<Record<TimestampPrecision, bigint>> = { ms: 1_000_000n, us: 1_000n, ns: 1n };
/** A month as a fixed length, where IoTDB needs one (a sliding step, a shift of an integer). */
const MONTH_NANOS = 30n * 86_400_000_000_000n;

/**
 * A duration in units of `precision`, a calendar month counted as 30 days. Use it where a
 * fixed length is meant (GROUP BY intervals that are not calendar months).
 */
export function durationInPrecision(duration: Duration, precision: TimestampPrecision): bigint {
  return (BigInt(duration.months) * MONTH_NANOS + duration.nanos) / NANOS_PER_PRECISION[precision];
}

// ---------------------------------------------------------------------------------------
// Datetimes

const DATETIME =
  /^([0-9]+)([-/.])([0-9]+)\2([0-9]+)(?:(?:[Tt]|[ \t]+)([0-9]+):([0-9]+):([0-9]+)(?:\.([0-9]+))?(?:([+-])([0-9]+):([0-9]+)|([Zz]))?)?$/;

/** Why a datetime literal was refused; the parser turns it into a positioned error. */
export class DatetimeError extends Error {
  override readonly name = 'DatetimeError';
}

/**
 * Reads a datetime literal (`2024-01-01T08:00:00.5+08:00`, `2024/01/01 08:00:00`,
 * `2024.01.01`) to an instant. Without an explicit offset the wall time is read in
 * `timeZone` (an IANA name such as `Asia/Shanghai`, or an offset such as `+08:00`).
 */
export function parseDatetime(text: string, timeZone: string, shifts: readonly DurationShift[] = []): DatetimeLiteral {
  const m = DATETIME.exec(text);
  if (m === null) throw new DatetimeError(`'${text}' is not a datetime`);
  const year = Number(m[1]);
  const month = Number(m[3]);
  const day = Number(m[4]);
  const hour = Number(m[5] ?? 0);
  const minute = Number(m[6] ?? 0);
  const second = Number(m[7] ?? 0);
  const fraction = (m[8] ?? '').padEnd(9, '0');
  if (fraction.length > 9) throw new DatetimeError(`'${text}' has more than 9 fractional digits`);
  if (month < 1 || month > 12) throw new DatetimeError(`'${text}' has month ${month}`);
  if (day < 1 || day > daysInMonth(year, month)) throw new DatetimeError(`'${text}' has day ${day}`);
  if (hour > 23 || minute > 59 || second > 59) throw new DatetimeError(`'${text}' has a time of day out of range`);
  const millisOfSecond = Number(fraction.slice(0, 3));
  const extraNanos = Number(fraction.slice(3));
  const wall = daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000;
  let epochMillis: number;
  if (m[12] !== undefined) {
    epochMillis = wall;
  } else if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 18 || offsetMinutes > 59) throw new DatetimeError(`'${text}' has an offset out of range`);
    const sign = m[9] === '-' ? -1 : 1;
    epochMillis = wall - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  } else {
    epochMillis = wallTimeToEpoch(wall, timeZone);
  }
  return { kind: 'datetime', text, epochMillis: epochMillis + millisOfSecond, extraNanos, shifts };
}

/** The system's time zone, the default for datetime literals. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Throws a RangeError when `timeZone` is neither an offset nor a zone this runtime knows. */
export function checkTimeZone(timeZone: string): void {
  if (fixedOffsetMillis(timeZone) !== null) return;
  zoneFormatter(timeZone);
}

const FIXED_OFFSET = /^(?:UTC|GMT)?([+-])([0-9]{1,2})(?::?([0-9]{2}))?$/i;

function fixedOffsetMillis(timeZone: string): number | null {
  if (/^(?:Z|UTC|GMT)$/i.test(timeZone)) return 0;
  const m = FIXED_OFFSET.exec(timeZone);
  if (m === null) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return (m[1] === '-' ? -minutes : minutes) * 60_000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `epochMillis`. */
function zoneOffsetAt(timeZone: string, epochMillis: number): number {
  const fixed = fixedOffsetMillis(timeZone);
  if (fixed !== null) return fixed;
  const seconds = Math.floor(epochMillis / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const p of zoneFormatter(timeZone).formatToParts(seconds)) parts[p.type] = p.value;
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const wall =
    daysFromCivil(year, Number(parts.month), Number(parts.day)) * 86_400_000 +
    ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000;
  return wall - seconds;
}

/** No zone is more than 14 hours off UTC, so the instant lies within this of the wall time. */
const OFFSET_REACH_MILLIS = 15 * 3_600_000;

/**
 * The instant a wall time in `timeZone` names, as Java's ZonedDateTime picks it: in an
 * overlap (clocks set back) the earlier instant, in a gap (clocks set forward) the wall
 * time pushed forward by the gap.
 */
function wallTimeToEpoch(wall: number, timeZone: string): number {
  const before = zoneOffsetAt(timeZone, wall - OFFSET_REACH_MILLIS);
  const after = zoneOffsetAt(timeZone, wall + OFFSET_REACH_MILLIS);
  const valid = [before, after].map((offset) => wall - offset).filter((t) => wall - zoneOffsetAt(timeZone, t) === t);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

// ---------------------------------------------------------------------------------------
// Resolving

/** What resolving a time value needs from the running statement. */
export interface TimeContext {
  readonly precision: TimestampPrecision;
  /** The statement's `now()`, in epoch milliseconds. */
  readonly nowMillis: number;
}

/**
 * A time value as a timestamp in `precision`: integers are taken as already in it,
 * datetimes and `now()` are scaled, and shifts applied (months on the UTC calendar).
 */
export function resolveTimeValue(value: TimeValue, context: TimeContext): bigint {
  if (value.kind === 'integer') return value.value;
  let nanos =
    value.kind === 'datetime'
      ? BigInt(value.epochMillis) * 1_000_000n + BigInt(value.extraNanos)
      : BigInt(context.nowMillis) * 1_000_000n;
  for (const shift of value.shifts) nanos = shiftNanos(nanos, shift);
  return floorDiv(nanos, NANOS_PER_PRECISION[context.precision]);
}

function shiftNanos(nanos: bigint, { sign, duration }: DurationShift): bigint {
  let result = nanos;
  if (duration.months !== 0) {
    const millis = floorDiv(result, 1_000_000n);
    const rest = result - millis * 1_000_000n;
    const date = new Date(Number(millis));
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + sign * duration.months);
    // The 31st plus a month lands on the month's last day, not in the next month.
    const year = date.getUTCFullYear();
    date.setUTCDate(Math.min(day, daysInMonth(year, date.getUTCMonth() + 1)));
    result = BigInt(date.getTime()) * 1_000_000n + rest;
  }
  return result + BigInt(sign) * duration.nanos;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * `time` (in `precision`) moved by `months` calendar months on `timeZone`'s wall clock,
 * the day of month kept or, past the month's end, its last day (Jan 31 + 1mo = Feb 28),
 * as IoTDB steps GROUP BY windows of `mo`.
 */
export function addCalendarMonths(
  time: bigint,
  months: number,
  precision: TimestampPrecision,
  timeZone: string,
): bigint {
  const perMs = 1_000_000n / NANOS_PER_PRECISION[precision];
  const millis = floorDiv(time, perMs);
  const rest = time - millis * perMs;
  const instant = Number(millis);
  const wall = new Date(instant + zoneOffsetAt(timeZone, instant));
  const day = wall.getUTCDate();
  wall.setUTCDate(1);
  wall.setUTCMonth(wall.getUTCMonth() + months);
  wall.setUTCDate(Math.min(day, daysInMonth(wall.getUTCFullYear(), wall.getUTCMonth() + 1)));
  return BigInt(wallTimeToEpoch(wall.getTime(), timeZone)) * perMs + rest;
}
