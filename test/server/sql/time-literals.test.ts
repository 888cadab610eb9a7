import { describe, expect, it } from 'vitest';
import {
  durationInPrecision,
  type InsertStatement,
  parseDuration,
  parseStatement,
  resolveTimeValue,
  type TimeValue,
} from '../../../server/sql/index.js';

/** The time of the single row of an INSERT. */
function timeOf(literal: string, timeZone = 'UTC'): TimeValue {
  const st = parseStatement(`insert into root.sg.d(time, s1) values(${literal}, 1)`, { timeZone }) as InsertStatement;
  return st.rows[0]!.time!;
}

describe('datetime literals', () => {
  it('reads ISO-8601 forms in the given zone', () => {
    expect(timeOf('2024-01-01T00:00:00')).toMatchObject({ kind: 'datetime', epochMillis: Date.UTC(2024, 0, 1) });
    expect(timeOf('2024-01-01 08:30:00')).toMatchObject({ epochMillis: Date.UTC(2024, 0, 1, 8, 30) });
    expect(timeOf('2024/01/01')).toMatchObject({ epochMillis: Date.UTC(2024, 0, 1) });
    expect(timeOf('2024.01.01')).toMatchObject({ epochMillis: Date.UTC(2024, 0, 1) });
    expect(timeOf('2024-01-01T00:00:00Z', '+08:00')).toMatchObject({ epochMillis: Date.UTC(2024, 0, 1) });
  });

  it('applies an explicit offset over the zone', () => {
    expect(timeOf('2024-01-01T08:00:00+08:00', 'America/New_York')).toMatchObject({
      text: '2024-01-01T08:00:00+08:00',
      epochMillis: Date.UTC(2024, 0, 1),
    });
    expect(timeOf('2024-01-01T00:00:00-05:30')).toMatchObject({ epochMillis: Date.UTC(2024, 0, 1, 5, 30) });
  });

  it('reads a wall time in the statement zone, fixed or named', () => {
    expect(timeOf('2024-01-01T08:00:00', '+08:00')).toMatchObject({ epochMillis: Date.UTC(2024, 0, 1) });
    expect(timeOf('2024-01-01T08:00:00', 'Asia/Shanghai')).toMatchObject({ epochMillis: Date.UTC(2024, 0, 1) });
    // Daylight saving: New York is UTC-4 in July and UTC-5 in January.
    expect(timeOf('2024-07-01T00:00:00', 'America/New_York')).toMatchObject({
      epochMillis: Date.UTC(2024, 6, 1, 4),
    });
    expect(timeOf('2024-01-01T00:00:00', 'America/New_York')).toMatchObject({
      epochMillis: Date.UTC(2024, 0, 1, 5),
    });
  });

  it('resolves wall times in a daylight-saving gap and overlap as Java does', () => {
    // 2024-03-10 02:30 does not exist in New York; it is pushed forward to 03:30 EDT.
    expect(timeOf('2024-03-10T02:30:00', 'America/New_York')).toMatchObject({
      epochMillis: Date.UTC(2024, 2, 10, 7, 30),
    });
    // 2024-11-03 01:30 happens twice; the earlier (EDT) is taken.
    expect(timeOf('2024-11-03T01:30:00', 'America/New_York')).toMatchObject({
      epochMillis: Date.UTC(2024, 10, 3, 5, 30),
    });
  });

  it('keeps fractions below a millisecond apart', () => {
    expect(timeOf('2024-01-01T00:00:00.5')).toMatchObject({ epochMillis: Date.UTC(2024, 0, 1) + 500, extraNanos: 0 });
    expect(timeOf('2024-01-01T00:00:00.123456789')).toMatchObject({
      epochMillis: Date.UTC(2024, 0, 1) + 123,
      extraNanos: 456_789,
    });
  });

  it('refuses dates that do not exist', () => {
    expect(() => timeOf('2023-02-29')).toThrow("line 1:39 invalid datetime: '2023-02-29' has day 29");
    expect(() => timeOf('2024-01-01T24:00:00')).toThrow('time of day out of range');
  });

  it('refuses an unknown time zone', () => {
    expect(() => parseStatement('show version', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});

describe('durations', () => {
  it('reads units and sums compound durations', () => {
    expect(parseDuration('1h30m')).toEqual({ text: '1h30m', months: 0, nanos: 5_400_000_000_000n });
    expect(parseDuration('1y2mo')).toEqual({ text: '1y2mo', months: 14, nanos: 0n });
    expect(parseDuration('1w')?.nanos).toBe(7n * 86_400_000_000_000n);
    expect(parseDuration('10ms')?.nanos).toBe(10_000_000n);
    expect(parseDuration('3us')?.nanos).toBe(3_000n);
    expect(parseDuration('3NS')?.nanos).toBe(3n);
    expect(parseDuration('1x')).toBeNull();
  });

  it('scales to a precision, a month counted as 30 days', () => {
    expect(durationInPrecision(parseDuration('1s')!, 'ms')).toBe(1000n);
    expect(durationInPrecision(parseDuration('1s')!, 'us')).toBe(1_000_000n);
    expect(durationInPrecision(parseDuration('1mo')!, 'ms')).toBe(30n * 86_400_000n);
  });
});

describe('resolveTimeValue', () => {
  const nowMillis = Date.UTC(2024, 4, 31, 12);

  it('takes integers as already in the precision', () => {
    expect(resolveTimeValue(timeOf('-5'), { precision: 'ns', nowMillis })).toBe(-5n);
    expect(resolveTimeValue(timeOf('9223372036854775807'), { precision: 'ms', nowMillis })).toBe(
      9_223_372_036_854_775_807n,
    );
  });

  it('scales datetimes and now() to the precision', () => {
    const t = timeOf('2024-01-01T00:00:00.000001');
    expect(resolveTimeValue(t, { precision: 'ms', nowMillis })).toBe(BigInt(Date.UTC(2024, 0, 1)));
    expect(resolveTimeValue(t, { precision: 'us', nowMillis })).toBe(BigInt(Date.UTC(2024, 0, 1)) * 1000n + 1n);
    expect(resolveTimeValue(timeOf('now()'), { precision: 'us', nowMillis })).toBe(BigInt(nowMillis) * 1000n);
  });

  it('applies shifts, months on the calendar', () => {
    expect(resolveTimeValue(timeOf('now() - 1d'), { precision: 'ms', nowMillis })).toBe(BigInt(nowMillis - 86_400_000));
    expect(resolveTimeValue(timeOf('2024-01-31T00:00:00 + 1mo + 1h'), { precision: 'ms', nowMillis })).toBe(
      BigInt(Date.UTC(2024, 1, 29, 1)),
    );
    expect(resolveTimeValue(timeOf('now() + 1y'), { precision: 'ms', nowMillis })).toBe(
      BigInt(Date.UTC(2025, 4, 31, 12)),
    );
  });
});
