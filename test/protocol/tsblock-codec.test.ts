import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../protocol/payload-error.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { decodeTsBlock, encodeTsBlock, tsBlockWireType } from '../../protocol/tsblock-codec.js';
import type { ColumnValues } from '../../tsfile/data-type.js';
import { DataType } from '../../tsfile/data-type.js';
import { hex, utf8 } from './hex.js';

const BLOCK: ResultBlock = {
  times: new BigInt64Array([100n, 200n, 300n]),
  rowCount: 3,
  columns: [
    { type: DataType.INT32, values: new Int32Array([5, 0, 7]), nulls: new Uint8Array([0, 1, 0]) },
    { type: DataType.STRING, values: [utf8('a'), utf8('bc'), utf8('')], nulls: new Uint8Array([0, 0, 1]) },
    { type: DataType.BOOLEAN, values: new Uint8Array([1, 0, 0]), nulls: new Uint8Array([0, 1, 0]) },
    { type: DataType.DOUBLE, values: new Float64Array([1.5, 2.5, -1]), nulls: null },
    { type: DataType.DATE, values: new Int32Array([20240131, 20240201, 19700101]), nulls: null },
    { type: DataType.TIMESTAMP, values: new BigInt64Array([0n, 0n, 3n]), nulls: new Uint8Array([1, 1, 0]) },
    { type: DataType.FLOAT, values: new Float32Array([0.25, 0.5, 1]), nulls: new Uint8Array(3) },
  ],
};
const LOGICAL = BLOCK.columns.map((c) => c.type);

// The block as tsfile's TsBlockSerde writes it (IoTDB 1.3 server, Go client's decoder):
// physical type codes, INT64_ARRAY time column, null bits 0x80 >> i = 1 for null.
const GOLDEN = hex(`
  00000007                      # value column count
  01 05 00 04 01 02 03          # wire types: INT32 TEXT BOOLEAN DOUBLE INT32(DATE) INT64(TIMESTAMP) FLOAT
  00000003                      # position count
  02 01 03 00 02 01 02 01       # encodings: time INT64_ARRAY, then per column
  00 0000000000000064 00000000000000c8 000000000000012c   # time column
  01 40 00000005 00000007       # INT32, row 1 null
  01 20 00000001 61 00000002 6263   # STRING as TEXT, row 2 null
  01 40 80                      # BOOLEAN, row 1 null; value bits true, (null), false
  00 3ff8000000000000 4004000000000000 bff0000000000000   # DOUBLE
  00 0134d703 0134d749 012c9985 # DATE
  01 c0 0000000000000003        # TIMESTAMP, rows 0 and 1 null
  00 3e800000 3f000000 3f800000 # FLOAT; an all-zero null mask is no null
`);

describe('TsBlock codec', () => {
  it('carries the wire type of each logical type', () => {
    expect(tsBlockWireType(DataType.DATE)).toBe(DataType.INT32);
    expect(tsBlockWireType(DataType.TIMESTAMP)).toBe(DataType.INT64);
    expect(tsBlockWireType(DataType.STRING)).toBe(DataType.TEXT);
    expect(tsBlockWireType(DataType.BLOB)).toBe(DataType.TEXT);
  });

  it('encodes the golden block', () => {
    expect(encodeTsBlock(BLOCK).toString('hex')).toBe(GOLDEN.toString('hex'));
  });

  it('decodes it with and without logical types', () => {
    const typed = decodeTsBlock(GOLDEN, LOGICAL);
    expect(typed.rowCount).toBe(3);
    expect(typed.times).toEqual(BLOCK.times);
    expect(typed.columns.map((c) => c.type)).toEqual(LOGICAL);
    expect(typed.columns[0]).toEqual(BLOCK.columns[0]);
    expect(typed.columns[1]!.values).toEqual([utf8('a'), utf8('bc'), new Uint8Array(0)]);
    expect(typed.columns[2]).toEqual(BLOCK.columns[2]);
    expect(typed.columns[3]).toEqual(BLOCK.columns[3]);
    expect(typed.columns[4]).toEqual(BLOCK.columns[4]);
    expect(typed.columns[5]).toEqual(BLOCK.columns[5]);
    expect(typed.columns[6]).toEqual({ ...BLOCK.columns[6], nulls: null });
    const raw = decodeTsBlock(GOLDEN);
    expect(raw.columns.map((c) => c.type)).toEqual([1, 5, 0, 4, 1, 2, 3]);
  });

  it('encodes a row range', () => {
    const tail = decodeTsBlock(encodeTsBlock(BLOCK, 2, 3), LOGICAL);
    expect(tail.rowCount).toBe(1);
    expect(tail.times).toEqual(new BigInt64Array([300n]));
    expect(tail.columns[0]!.values).toEqual(new Int32Array([7]));
    expect(tail.columns[1]!.nulls).toEqual(new Uint8Array([1]));
  });

  it('never encodes an empty block', () => {
    expect(() => encodeTsBlock(BLOCK, 1, 1)).toThrow(RangeError);
    expect(() => encodeTsBlock({ times: new BigInt64Array(0), columns: [], rowCount: 0 })).toThrow(/at least one row/);
  });

  it('expands RLE columns', () => {
    const rle = hex(`
      00000002 01 05 00000003 02 04 04   # INT32 and TEXT columns, both RLE
      00 0000000000000001 0000000000000002 0000000000000003
      01 00 0000002a                     # RLE of INT32_ARRAY: one value 42
      03 01 80                           # RLE of BINARY_ARRAY: one null
    `);
    const block = decodeTsBlock(rle);
    expect(block.columns[0]!.values).toEqual(new Int32Array([42, 42, 42]));
    expect(block.columns[0]!.nulls).toBeNull();
    expect(block.columns[1]!.nulls).toEqual(new Uint8Array([1, 1, 1]));
  });

  const corrupt: [string, Buffer, RegExp][] = [
    ['a truncated block', GOLDEN.subarray(0, GOLDEN.length - 1), /truncated/],
    ['trailing bytes', Buffer.concat([GOLDEN, hex('00')]), /1 bytes after its last column/],
    ['an unknown type code', patch(GOLDEN, 4, '07'), /unknown type code 7/],
    ['an encoding that cannot hold the type', patch(GOLDEN, 16, '02'), /column 0: encoding 2 cannot hold int32/],
    ['a time column with nulls', patch(GOLDEN, 23, '01'), /time column announces nulls/],
    ['a lying column count', hex('7fffffff'), /claims 2147483647 value columns/],
    ['a negative text length', patch(GOLDEN, 60, 'ffffffff'), /column 1: value 0 claims -1 bytes/],
  ];
  for (const [name, bytes, message] of corrupt) {
    it(`rejects ${name}`, () => {
      expect(() => decodeTsBlock(bytes, LOGICAL)).toThrow(PayloadError);
      expect(() => decodeTsBlock(bytes, LOGICAL)).toThrow(message);
    });
  }

  it('rejects logical types the wire type cannot hold', () => {
    expect(() => decodeTsBlock(GOLDEN, [DataType.TEXT, ...LOGICAL.slice(1)])).toThrow(/cannot hold type 5/);
    expect(() => decodeTsBlock(GOLDEN, LOGICAL.slice(1))).toThrow(/7 value columns, 6 types/);
  });

  it('round-trips random blocks', () => {
    const types = [
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
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...types), { maxLength: 6 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer(),
        (columnTypes, n, seed) => {
          const block = randomBlock(columnTypes, n, seed);
          const back = decodeTsBlock(encodeTsBlock(block), columnTypes);
          expect(back.times).toEqual(block.times);
          for (let j = 0; j < columnTypes.length; j++) {
            const want = block.columns[j]!;
            const got = back.columns[j]!;
            const wantNulls = want.nulls?.includes(1) ? want.nulls : null;
            expect(got.nulls).toEqual(wantNulls);
            for (let i = 0; i < n; i++) {
              if (wantNulls?.[i] === 1) continue;
              expect(valueAt(got.values, i)).toEqual(valueAt(want.values, i));
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

function randomBlock(types: DataType[], n: number, seed: number): ResultBlock {
  let state = seed >>> 0 || 7;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return {
    times: BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 10 - 3)),
    rowCount: n,
    columns: types.map((type) => {
      let values: ColumnValues;
      switch (type) {
        case DataType.BOOLEAN:
          values = Uint8Array.from({ length: n }, () => next() & 1);
          break;
        case DataType.INT32:
        case DataType.DATE:
          values = Int32Array.from({ length: n }, () => next() | 0);
          break;
        case DataType.FLOAT:
          values = Float32Array.from({ length: n }, () => (next() | 0) / 9);
          break;
        case DataType.DOUBLE:
          values = Float64Array.from({ length: n }, () => (next() | 0) / 11);
          break;
        case DataType.INT64:
        case DataType.TIMESTAMP:
          values = BigInt64Array.from({ length: n }, () => BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next())));
          break;
        default:
          values = Array.from({ length: n }, () => Uint8Array.from({ length: next() % 5 }, () => next() & 0xff));
      }
      const nulls = next() % 2 === 0 ? null : Uint8Array.from({ length: n }, () => (next() % 4 === 0 ? 1 : 0));
      return { type, values, nulls };
    }),
  };
}
