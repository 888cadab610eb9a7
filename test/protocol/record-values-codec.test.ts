import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../protocol/payload-error.js';
import type { RecordValue } from '../../protocol/record-values-codec.js';
import { decodeRecordValues, encodeRecordValues } from '../../protocol/record-values-codec.js';
import { DataType } from '../../tsfile/data-type.js';
import { hex, utf8 } from './hex.js';

// One record as the Java session's putValues / the Go client's valuesToBytes write it:
// a type byte, then the value; a null is the type byte 0xFE alone.
const GOLDEN = hex(`
  00 01                      # BOOLEAN true
  01 00000007                # INT32 7
  02 fffffffffffffffe        # INT64 -2
  03 3fc00000                # FLOAT 1.5
  04 3ff8000000000000        # DOUBLE 1.5
  05 00000002 6869           # TEXT "hi"
  fe                         # null
  09 0134d703                # DATE 20240131
  08 00000000000003e8        # TIMESTAMP 1000
  0a 00000001 ff             # BLOB ff
  0b 00000000                # STRING ""
`);
const TYPES = [
  DataType.BOOLEAN,
  DataType.INT32,
  DataType.INT64,
  DataType.FLOAT,
  DataType.DOUBLE,
  DataType.TEXT,
  DataType.INT32,
  DataType.DATE,
  DataType.TIMESTAMP,
  DataType.BLOB,
  DataType.STRING,
];
const VALUES: RecordValue[] = [
  true,
  7,
  -2n,
  1.5,
  1.5,
  utf8('hi'),
  null,
  20240131,
  1000n,
  new Uint8Array([0xff]),
  utf8(''),
];

describe('record values codec', () => {
  it('decodes the golden record', () => {
    const decoded = decodeRecordValues(GOLDEN, 11);
    expect(decoded.types).toEqual([...TYPES.slice(0, 6), null, ...TYPES.slice(7)]);
    expect(decoded.values).toEqual(VALUES);
  });

  it('encodes the same bytes', () => {
    expect(encodeRecordValues(TYPES, VALUES).toString('hex')).toBe(GOLDEN.toString('hex'));
  });

  it('takes safe-integer numbers for INT64 values', () => {
    expect(encodeRecordValues([DataType.INT64], [5]).toString('hex')).toBe('020000000000000005');
    expect(() => encodeRecordValues([DataType.INT64], [2 ** 60])).toThrow(TypeError);
  });

  it('reads a boolean byte other than 1 as false, as IoTDB does', () => {
    expect(decodeRecordValues(hex('00 02'), 1).values).toEqual([false]);
  });

  const bad: [string, Buffer, number, RegExp][] = [
    ['a truncated value', hex('02 000000'), 1, /value 0 needs 8 bytes/],
    ['a text length past the end', hex('05 00000009 6869'), 1, /value 0 needs 9 bytes/],
    ['a negative text length', hex('05 ffffffff'), 1, /negative length -1/],
    ['a missing value', hex('01 00000007'), 2, /value 1 needs 1 bytes/],
    ['bytes after the values', hex('01 00000007 00'), 1, /1 bytes after 1 values/],
    ['an unknown type code', hex('07 00'), 1, /unknown type code 7/],
    ['the raw-string code 0xFF', hex('ff 00000001 61'), 1, /unknown type code 255/],
  ];
  for (const [name, bytes, count, message] of bad) {
    it(`rejects ${name}`, () => {
      expect(() => decodeRecordValues(bytes, count)).toThrow(PayloadError);
      expect(() => decodeRecordValues(bytes, count)).toThrow(message);
    });
  }
});
