import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../protocol/payload-error.js';
import { inferStringValue, parseStringValue } from '../../protocol/string-record-values.js';
import { DataType } from '../../tsfile/data-type.js';
import { utf8 } from './hex.js';

describe('string record values', () => {
  it('parses text by the registered type', () => {
    expect(parseStringValue('TRUE', DataType.BOOLEAN)).toBe(true);
    expect(parseStringValue('0', DataType.BOOLEAN)).toBe(false);
    expect(parseStringValue(' 42 ', DataType.INT32)).toBe(42);
    expect(parseStringValue('-9223372036854775808', DataType.INT64)).toBe(-9223372036854775808n);
    expect(parseStringValue('1.5f', DataType.FLOAT)).toBe(1.5);
    expect(parseStringValue('0.1', DataType.FLOAT)).toBe(Math.fround(0.1));
    expect(parseStringValue('1e3', DataType.DOUBLE)).toBe(1000);
    expect(parseStringValue('NaN', DataType.DOUBLE)).toBeNaN();
    expect(parseStringValue("'quoted'", DataType.TEXT)).toEqual(utf8('quoted'));
    expect(parseStringValue('"é"', DataType.STRING)).toEqual(utf8('é'));
    expect(parseStringValue("'", DataType.TEXT)).toEqual(utf8("'"));
    expect(parseStringValue("X'00ff'", DataType.BLOB)).toEqual(new Uint8Array([0, 0xff]));
    expect(parseStringValue('0x0A', DataType.BLOB)).toEqual(new Uint8Array([10]));
    expect(parseStringValue('2024-01-31', DataType.DATE)).toBe(20240131);
    expect(parseStringValue("'2024-02-29'", DataType.DATE)).toBe(20240229);
    expect(parseStringValue('1700000000000', DataType.TIMESTAMP)).toBe(1700000000000n);
    expect(parseStringValue('1970-01-01T00:00:01Z', DataType.TIMESTAMP)).toBe(1000n);
    expect(parseStringValue('null', DataType.INT32)).toBeNull();
    expect(parseStringValue('NULL', DataType.TEXT)).toBeNull();
  });

  const mismatches: [string, DataType, RegExp][] = [
    ['abc', DataType.INT32, /input abc, registered INT32/],
    ['2147483648', DataType.INT32, /out of the INT32 range/],
    ['9223372036854775808', DataType.INT64, /out of the INT64 range/],
    ['1.5', DataType.INT64, /registered INT64/],
    ['yes', DataType.BOOLEAN, /true, false, 1 or 0/],
    ['1e39', DataType.FLOAT, /Infinity/],
    ['Infinity', DataType.DOUBLE, /Infinity/],
    ['2023-02-29', DataType.DATE, /not a calendar date/],
    ["X'abc'", DataType.BLOB, /even digit count/],
    ['yesterday', DataType.TIMESTAMP, /integer or an ISO-8601/],
  ];
  for (const [text, type, message] of mismatches) {
    it(`rejects ${text} for type ${type}`, () => {
      expect(() => parseStringValue(text, type)).toThrow(PayloadError);
      expect(() => parseStringValue(text, type)).toThrow(message);
    });
  }

  it('infers types as IoTDB 1.3 does by default', () => {
    expect(inferStringValue('True')).toEqual({ type: DataType.BOOLEAN, value: true });
    expect(inferStringValue('12')).toEqual({ type: DataType.DOUBLE, value: 12 });
    expect(inferStringValue('1.25')).toEqual({ type: DataType.DOUBLE, value: 1.25 });
    expect(inferStringValue('NaN')?.type).toBe(DataType.DOUBLE);
    expect(inferStringValue('hello')).toEqual({ type: DataType.TEXT, value: utf8('hello') });
    expect(inferStringValue('null')).toBeNull();
  });

  it('infers with configured types', () => {
    const inference = {
      booleanType: DataType.TEXT,
      integerType: DataType.INT64,
      floatingType: DataType.FLOAT,
      nanType: DataType.FLOAT,
    };
    expect(inferStringValue('12', inference)).toEqual({ type: DataType.INT64, value: 12n });
    expect(inferStringValue('0.5', inference)).toEqual({ type: DataType.FLOAT, value: 0.5 });
    expect(inferStringValue('false', inference)).toEqual({ type: DataType.TEXT, value: utf8('false') });
  });
});
