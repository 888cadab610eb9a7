import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../protocol/payload-error.js';
import { decodeQueryDataSet, encodeQueryDataSet } from '../../protocol/query-dataset-codec.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { DataType } from '../../tsfile/data-type.js';
import { hex, utf8 } from './hex.js';

// Three rows as IoTDB's QueryDataSetUtils.convertTsBlockByFetchSize writes them: non-null
// values only, and per column a bitmap whose bit 0x80 >> i is set when row i has a value.
const BLOCK: ResultBlock = {
  times: new BigInt64Array([100n, 200n, 300n]),
  rowCount: 3,
  columns: [
    { type: DataType.INT32, values: new Int32Array([5, 0, 7]), nulls: new Uint8Array([0, 1, 0]) },
    { type: DataType.TEXT, values: [utf8('a'), utf8('bc'), utf8('')], nulls: new Uint8Array([0, 0, 1]) },
    { type: DataType.BOOLEAN, values: new Uint8Array([1, 0, 0]), nulls: new Uint8Array([0, 1, 0]) },
    { type: DataType.DOUBLE, values: new Float64Array([1.5, 2.5, -1]), nulls: null },
    { type: DataType.TIMESTAMP, values: new BigInt64Array([-1n, 0n, 0n]), nulls: new Uint8Array([0, 1, 1]) },
  ],
};
const TYPES = BLOCK.columns.map((c) => c.type);

const TIME = hex('0000000000000064 00000000000000c8 000000000000012c');
const VALUES = [
  hex('00000005 00000007'),
  hex('00000001 61 00000002 6263'),
  hex('01 00'),
  hex('3ff8000000000000 4004000000000000 bff0000000000000'),
  hex('ffffffffffffffff'),
];
const BITMAPS = [hex('a0'), hex('c0'), hex('a0'), hex('e0'), hex('80')];

describe('TSQueryDataSet codec', () => {
  it('encodes the golden data set', () => {
    const ds = encodeQueryDataSet(BLOCK);
    expect(ds.time.toString('hex')).toBe(TIME.toString('hex'));
    expect(ds.valueList.map((b) => b.toString('hex'))).toEqual(VALUES.map((b) => b.toString('hex')));
    expect(ds.bitmapList.map((b) => b.toString('hex'))).toEqual(BITMAPS.map((b) => b.toString('hex')));
  });

  it('decodes it back', () => {
    const block = decodeQueryDataSet({ time: TIME, valueList: VALUES, bitmapList: BITMAPS }, TYPES);
    expect(block.rowCount).toBe(3);
    expect(block.times).toEqual(BLOCK.times);
    expect(block.columns[0]).toEqual({
      type: DataType.INT32,
      values: new Int32Array([5, 0, 7]),
      nulls: new Uint8Array([0, 1, 0]),
    });
    expect(block.columns[1]!.values).toEqual([utf8('a'), utf8('bc'), new Uint8Array(0)]);
    expect(block.columns[1]!.nulls).toEqual(new Uint8Array([0, 0, 1]));
    expect(block.columns[2]!.values).toEqual(new Uint8Array([1, 0, 0]));
    expect(block.columns[3]).toEqual({ type: DataType.DOUBLE, values: new Float64Array([1.5, 2.5, -1]), nulls: null });
    expect(block.columns[4]!.values).toEqual(new BigInt64Array([-1n, 0n, 0n]));
  });

  it('encodes a row range, counting bits from its first row, with a partial last byte', () => {
    const n = 11;
    const block: ResultBlock = {
      times: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)),
      rowCount: n,
      columns: [
        {
          type: DataType.FLOAT,
          values: Float32Array.from({ length: n }, (_, i) => i),
          nulls: Uint8Array.from({ length: n }, (_, i) => (i === 2 || i === 10 ? 1 : 0)),
        },
      ],
    };
    const ds = encodeQueryDataSet(block, 1, 11); // rows 1..10: row 2 and row 10 are null
    // 10 rows: byte 0 = rows 1..8 (row 2 null -> 0b10111111), byte 1 = rows 9, 10 -> 0b10000000.
    expect(ds.bitmapList[0]!.toString('hex')).toBe('bf80');
    expect(ds.valueList[0]!.length).toBe(8 * 4);
    const back = decodeQueryDataSet(ds, [DataType.FLOAT]);
    expect(Array.from(back.columns[0]!.nulls!)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(back.columns[0]!.values as Float32Array).filter((_, i) => i !== 1 && i !== 9)).toEqual([
      1, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('rejects value buffers that do not match the bitmap', () => {
    const ds = { time: TIME, valueList: VALUES, bitmapList: BITMAPS };
    expect(() => decodeQueryDataSet({ ...ds, valueList: [hex('00000005'), ...VALUES.slice(1)] }, TYPES)).toThrow(
      PayloadError,
    );
    expect(() =>
      decodeQueryDataSet({ ...ds, valueList: [hex('00000005 00000007 00'), ...VALUES.slice(1)] }, TYPES),
    ).toThrow(/column 0: 9 value bytes for 2 values/);
    expect(() =>
      decodeQueryDataSet({ ...ds, valueList: [VALUES[0]!, hex('00000009 61'), ...VALUES.slice(2)] }, TYPES),
    ).toThrow(/column 1: value 0 claims 9 bytes/);
    expect(() => decodeQueryDataSet({ ...ds, bitmapList: [hex(''), ...BITMAPS.slice(1)] }, TYPES)).toThrow(
      /bitmap of 0 bytes/,
    );
    expect(() => decodeQueryDataSet({ ...ds, time: TIME.subarray(1) }, TYPES)).toThrow(/time buffer of 23 bytes/);
    expect(() => decodeQueryDataSet(ds, TYPES.slice(1))).toThrow(/4 column types but 5 value/);
  });
});
