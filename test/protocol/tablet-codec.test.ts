import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../protocol/payload-error.js';
import { decodeTablet, decodeTabletPayload, encodeTablet, encodeTabletPayload } from '../../protocol/tablet-codec.js';
import type { ColumnValues } from '../../tsfile/data-type.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { hex, utf8 } from './hex.js';

// Three rows of ten columns as the Java session (SessionUtils.getValueBuffer) and the Go
// client (Tablet.getValuesBytes) lay them out: each column's values for every row, null
// rows holding a placeholder, then one flag byte per column and, for flagged columns,
// floor(3 / 8) + 1 = 1 bitmap byte in which row 1 is bit 1 (0x02).
const TYPES = [
  DataType.BOOLEAN,
  DataType.INT32,
  DataType.INT64,
  DataType.FLOAT,
  DataType.DOUBLE,
  DataType.TEXT,
  DataType.DATE,
  DataType.TIMESTAMP,
  DataType.STRING,
  DataType.BLOB,
];
const MEASUREMENTS = ['b', 'i', 'l', 'f', 'd', 't', 'dt', 'ts', 's', 'bl'];

const TIMESTAMPS = hex(`
  0000000000000001
  0000000000000002
  0102030405060708`);

const VALUES = hex(`
  01 00 01 # BOOLEAN true false true
  00000001 ffffffff 7fffffff # INT32 1 -1 2^31-1
  fffffffffffffffe 8000000000000000 0102030405060708 # INT64 -2 (null: Long.MIN_VALUE) 0x0102030405060708
  3fc00000 3e800000 c0000000 # FLOAT 1.5 0.25 -2
  3ff8000000000000 c000000000000000 3fe0000000000000 # DOUBLE 1.5 -2 0.5
  00000002 6162 00000000 00000002 c3a9 # TEXT "ab" (null: empty) "é"
  0134d703 0134d749 012c9985 # DATE 20240131 20240201 19700101
  0000000000000000 00000000000003e8 ffffffffffffffff # TIMESTAMP 0 1000 -1
  00000001 78 00000002 797a 00000000 # STRING "x" "yz" ""
  00000002 00ff 00000000 00000001 01 # BLOB 00ff (null: empty) 01
  00 00 01 02 00 00 01 02 00 00 00 01 02 # flags; INT64, TEXT and BLOB have row 1 null
`);

function golden(): Tablet {
  return decodeTablet({
    prefixPath: 'root.sg.d1',
    measurements: MEASUREMENTS,
    types: TYPES,
    size: 3,
    timestamps: TIMESTAMPS,
    values: VALUES,
    isAligned: true,
  });
}

describe('tablet codec', () => {
  it('decodes the golden payload into typed columns and null masks', () => {
    const t = golden();
    expect(t.device).toBe('root.sg.d1');
    expect(t.aligned).toBe(true);
    expect(t.rowCount).toBe(3);
    expect(t.dataTypes).toEqual(TYPES);
    expect(Array.from(t.times)).toEqual([1n, 2n, 0x0102030405060708n]);
    const [b, i, l, f, d, text, date, ts, s, blob] = t.columns as ColumnValues[];
    expect(b).toEqual(new Uint8Array([1, 0, 1]));
    expect(i).toEqual(new Int32Array([1, -1, 2147483647]));
    expect(l).toBeInstanceOf(BigInt64Array);
    expect((l as BigInt64Array)[0]).toBe(-2n);
    expect((l as BigInt64Array)[2]).toBe(0x0102030405060708n);
    expect(f).toEqual(new Float32Array([1.5, 0.25, -2]));
    expect(d).toEqual(new Float64Array([1.5, -2, 0.5]));
    expect((text as Uint8Array[])[0]).toEqual(utf8('ab'));
    expect((text as Uint8Array[])[2]).toEqual(utf8('é'));
    expect(date).toEqual(new Int32Array([20240131, 20240201, 19700101]));
    expect(ts).toEqual(new BigInt64Array([0n, 1000n, -1n]));
    expect((s as Uint8Array[]).map((v) => Buffer.from(v).toString())).toEqual(['x', 'yz', '']);
    expect((blob as Uint8Array[])[0]).toEqual(new Uint8Array([0x00, 0xff]));
    expect((blob as Uint8Array[])[2]).toEqual(new Uint8Array([0x01]));
    const nullRows = t.nulls.map((mask) => (mask === null ? null : Array.from(mask)));
    expect(nullRows).toEqual([null, null, [0, 1, 0], null, null, [0, 1, 0], null, null, null, [0, 1, 0]]);
  });

  it('encodes the decoded tablet back to the same bytes', () => {
    const req = encodeTablet(golden());
    expect(req.timestamps.equals(TIMESTAMPS)).toBe(true);
    expect(req.values.toString('hex')).toBe(VALUES.toString('hex'));
    expect(req.types).toEqual(TYPES);
    expect(req.size).toBe(3);
    expect(req.isAligned).toBe(true);
  });

  it('decoded columns do not alias the request buffers', () => {
    const values = Buffer.from(VALUES);
    const t = decodeTablet({
      prefixPath: 'root.sg.d1',
      measurements: MEASUREMENTS,
      types: TYPES,
      size: 3,
      timestamps: TIMESTAMPS,
      values,
    });
    values.fill(0x55);
    expect(Buffer.from((t.columns[5] as Uint8Array[])[0]!).toString()).toBe('ab');
    expect((t.columns[1] as Int32Array)[1]).toBe(-1);
  });

  it('writes and reads no bitmap section when no column has a null', () => {
    const encoded = encodeTabletPayload({
      dataTypes: [DataType.INT32, DataType.TEXT],
      times: new BigInt64Array([10n, 20n]),
      columns: [new Int32Array([7, 8]), [utf8('a'), utf8('')]],
      nulls: [new Uint8Array(2), null], // a mask without a set bit is no null
      rowCount: 2,
    });
    expect(encoded.values.toString('hex')).toBe(hex('00000007 00000008 | 00000001 61 00000000').toString('hex'));
    const back = decodeTabletPayload({ ...encoded, types: [DataType.INT32, DataType.TEXT], size: 2 });
    expect(back.nulls).toEqual([null, null]);
  });

  it('reads a flagged all-zero bitmap as no nulls, and a 9-row bitmap as 2 bytes', () => {
    const nine = encodeTabletPayload({
      dataTypes: [DataType.BOOLEAN],
      times: new BigInt64Array(9),
      columns: [new Uint8Array(9)],
      nulls: [new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1])],
      rowCount: 9,
    });
    // 9 value bytes, flag 01, bitmap bytes: row 8 is byte 1 bit 0.
    expect(nine.values.toString('hex')).toBe('000000000000000000' + '01' + '0001');
    const zeroMask = decodeTabletPayload({
      timestamps: Buffer.alloc(8),
      values: hex('00000005 | 01 00'),
      types: [DataType.INT32],
      size: 1,
    });
    expect(zeroMask.nulls).toEqual([null]);
  });

  it('handles a tablet of zero rows', () => {
    const t = decodeTabletPayload({
      timestamps: Buffer.alloc(0),
      values: Buffer.alloc(0),
      types: [DataType.TEXT],
      size: 0,
    });
    expect(t.rowCount).toBe(0);
    expect(t.columns[0]).toEqual([]);
  });

  describe('rejects payloads whose lengths lie', () => {
    const base = { timestamps: TIMESTAMPS, values: VALUES, types: TYPES, size: 3 };
    const cases: [string, Parameters<typeof decodeTabletPayload>[0], RegExp][] = [
      ['a size the timestamps do not have', { ...base, size: 4 }, /4 rows has 24 timestamp bytes/],
      ['a negative size', { ...base, size: -1 }, /not a row count/],
      ['a fractional size', { ...base, size: 1.5 }, /not a row count/],
      ['truncated values', { ...base, values: VALUES.subarray(0, 20) }, /column 2 \(int64\) needs 24 bytes/],
      [
        'a text length past the end',
        { ...base, values: patch(VALUES, 75, '000003e8') },
        /tablet column 5: value 0 claims 1000 bytes/,
      ],
      [
        'a negative text length',
        { ...base, values: patch(VALUES, 75, 'ffffffff') },
        /tablet column 5: value 0 claims -1 bytes/,
      ],
      ['a bad bitmap flag', { ...base, values: patch(VALUES, VALUES.length - 13, '02') }, /bitmap flag 2/],
      [
        'a truncated bitmap',
        { ...base, values: VALUES.subarray(0, VALUES.length - 1) },
        /bitmap needs 1 bytes, 0 left/,
      ],
      [
        'bytes after the bitmaps',
        { ...base, values: Buffer.concat([VALUES, hex('00')]) },
        /1 bytes after the last column/,
      ],
      ['an unknown type code', { ...base, types: [...TYPES.slice(0, 9), 7] }, /column 9 has unknown data type code 7/],
      ['the VECTOR type code', { ...base, types: [DataType.VECTOR] }, /unknown data type code 6/],
    ];
    for (const [name, payload, message] of cases) {
      it(name, () => {
        expect(() => decodeTabletPayload(payload)).toThrow(PayloadError);
        expect(() => decodeTabletPayload(payload)).toThrow(message);
      });
    }

    it('more measurements than types', () => {
      expect(() => decodeTablet({ ...base, prefixPath: 'root.sg.d1', measurements: [...MEASUREMENTS, 'x'] })).toThrow(
        /11 measurements but 10 types/,
      );
    });

    it('a status code the server can answer with', () => {
      try {
        decodeTabletPayload({ ...base, size: 4 });
        expect.unreachable();
      } catch (e) {
        expect((e as PayloadError).statusCode).toBe(303);
      }
    });
  });

  it('round-trips random tablets', () => {
    const typeArb = fc.constantFrom(...TYPES);
    fc.assert(
      fc.property(
        fc.array(typeArb, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer(),
        (types, n, seed) => {
          const tablet = randomTablet(types, n, seed);
          const decoded = decodeTablet(encodeTablet(tablet));
          expect(decoded.times).toEqual(tablet.times);
          for (let j = 0; j < types.length; j++) {
            const mask = tablet.nulls[j];
            const hasNull = mask?.includes(1) === true;
            expect(decoded.nulls[j]).toEqual(hasNull ? mask : null);
            for (let i = 0; i < n; i++) {
              if (hasNull && mask![i] === 1) continue;
              expect(valueAt(decoded.columns[j]!, i)).toEqual(valueAt(tablet.columns[j]!, i));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

function patch(bytes: Buffer, at: number, hexText: string): Buffer {
  const out = Buffer.from(bytes);
  hex(hexText).copy(out, at);
  return out;
}

function valueAt(column: ColumnValues, i: number): unknown {
  const v = (column as ArrayLike<unknown>)[i];
  return v instanceof Uint8Array ? Array.from(v) : v;
}

function randomTablet(types: DataType[], n: number, seed: number): Tablet {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const columns = types.map((type): ColumnValues => {
    switch (type) {
      case DataType.BOOLEAN:
        return Uint8Array.from({ length: n }, () => next() & 1);
      case DataType.INT32:
      case DataType.DATE:
        return Int32Array.from({ length: n }, () => next() | 0);
      case DataType.FLOAT:
        return Float32Array.from({ length: n }, () => (next() | 0) / 7);
      case DataType.DOUBLE:
        return Float64Array.from({ length: n }, () => (next() | 0) / 3);
      case DataType.INT64:
      case DataType.TIMESTAMP:
        return BigInt64Array.from({ length: n }, () => BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next())));
      default:
        return Array.from({ length: n }, () => Uint8Array.from({ length: next() % 6 }, () => next() & 0xff));
    }
  });
  const nulls = types.map(() =>
    next() % 2 === 0 ? null : Uint8Array.from({ length: n }, () => (next() % 3 === 0 ? 1 : 0)),
  );
  return {
    device: 'root.sg.d',
    measurements: types.map((_, j) => `s${j}`),
    dataTypes: types,
    times: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 1000n - 5n),
    columns,
    nulls,
    rowCount: n,
    aligned: false,
  };
}
