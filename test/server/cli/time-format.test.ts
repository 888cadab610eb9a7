import { describe, expect, it } from 'vitest';
import { formatTimestamp, ZoneOffsets } from '../../../server/cli/time-format.js';

function iso(time: bigint, precision: string, zone: string): string {
  return formatTimestamp(time, precision, new ZoneOffsets(zone), 'default');
}

describe('CLI time display', () => {
  it('prints ISO-8601 with the fraction of the precision and the zone offset, Z for UTC', () => {
    expect(iso(1n, 'ms', 'Asia/Shanghai')).toBe('1970-01-01T08:00:00.001+08:00');
    expect(iso(1n, 'ms', 'UTC')).toBe('1970-01-01T00:00:00.001Z');
    expect(iso(1n, 'us', '+05:30')).toBe('1970-01-01T05:30:00.000001+05:30');
    expect(iso(1n, 'ns', 'America/New_York')).toBe('1969-12-31T19:00:00.000000001-05:00');
    expect(iso(1_700_000_000_123n, 'ms', 'Europe/London')).toBe('2023-11-14T22:13:20.123Z');
  });

  it('floors times before 1970 and follows daylight saving transitions', () => {
    expect(iso(-1n, 'ms', 'UTC')).toBe('1969-12-31T23:59:59.999Z');
    expect(iso(1_710_053_999_999n, 'ms', 'America/New_York')).toBe('2024-03-10T01:59:59.999-05:00');
    expect(iso(1_710_054_000_000n, 'ms', 'America/New_York')).toBe('2024-03-10T03:00:00.000-04:00');
    // Before 1901 Shanghai kept local mean time, an offset with seconds.
    expect(iso(-2_240_524_800_000n, 'ms', 'Asia/Shanghai')).toBe('1899-01-01T08:05:43.000+08:05:43');
  });

  it('writes years as Java does, exactly to the ends of the i64 range', () => {
    expect(iso(253_402_300_800_000n, 'ms', 'UTC')).toBe('+10000-01-01T00:00:00.000Z');
    expect(iso(-62_167_219_200_001n, 'ms', 'UTC')).toBe('-0001-12-31T23:59:59.999Z');
    expect(iso(2n ** 63n - 1n, 'ms', 'UTC')).toBe('+292278994-08-17T07:12:55.807Z');
    expect(iso(-(2n ** 63n), 'ms', 'UTC')).toBe('-292275055-05-16T16:47:04.192Z');
    expect(iso(-(2n ** 63n), 'ns', 'UTC')).toBe('1677-09-21T00:12:43.145224192Z');
  });

  it('prints the number for the long display', () => {
    expect(formatTimestamp(-5n, 'ms', new ZoneOffsets('UTC'), 'long')).toBe('-5');
  });

  it('accepts the offset spellings of Java’s ZoneId and refuses unknown zones', () => {
    for (const id of ['+8', '+08', '+08:00', '+0800', 'UTC+8', 'GMT+08:00']) {
      expect(new ZoneOffsets(id).offsetSeconds(0)).toBe(8 * 3600);
    }
    expect(new ZoneOffsets('-03:30').offsetSeconds(0)).toBe(-(3 * 3600 + 1800));
    expect(new ZoneOffsets('Z').offsetSeconds(0)).toBe(0);
    expect(() => new ZoneOffsets('+19:00')).toThrow(RangeError);
    expect(() => new ZoneOffsets('Mars/Olympus')).toThrow(RangeError);
  });
});
