import { describe, expect, it } from 'vitest';
import { isSortedByTime, sortTabletByTime } from '../../../protocol/client/tablet-order.js';
import { DataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';

const enc = new TextEncoder();

describe('tablet time order', () => {
  it('sorts rows by time, keeping equal times in their order, every column and null mask with them', () => {
    const tablet: Tablet = {
      device: 'root.sg.d1',
      measurements: ['i', 't', 'b'],
      dataTypes: [DataType.INT64, DataType.TEXT, DataType.BOOLEAN],
      times: BigInt64Array.of(5n, -1n, 5n, 2n),
      columns: [
        BigInt64Array.of(50n, -10n, 51n, 20n),
        ['a', 'b', 'c', 'd'].map((s) => enc.encode(s)),
        Uint8Array.of(1, 0, 1, 0),
      ],
      nulls: [null, Uint8Array.of(0, 1, 0, 0), null],
      rowCount: 4,
      aligned: true,
    };
    const sorted = sortTabletByTime(tablet);
    expect(sorted.times).toEqual(BigInt64Array.of(-1n, 2n, 5n, 5n));
    expect(sorted.columns[0]).toEqual(BigInt64Array.of(-10n, 20n, 50n, 51n));
    expect((sorted.columns[1] as Uint8Array[]).map((b) => new TextDecoder().decode(b))).toEqual(['b', 'd', 'a', 'c']);
    expect(sorted.columns[2]).toEqual(Uint8Array.of(0, 0, 1, 1));
    expect(sorted.nulls).toEqual([null, Uint8Array.of(1, 0, 0, 0), null]);
    expect(sorted).toMatchObject({ device: 'root.sg.d1', aligned: true, rowCount: 4 });
    expect(tablet.times).toEqual(BigInt64Array.of(5n, -1n, 5n, 2n));
  });

  it('returns a sorted tablet as it is, looking only at its rows', () => {
    const times = BigInt64Array.of(1n, 1n, 3n, 0n);
    expect(isSortedByTime(times, 3)).toBe(true);
    expect(isSortedByTime(times, 4)).toBe(false);
    const tablet: Tablet = {
      device: 'd',
      measurements: [],
      dataTypes: [],
      times,
      columns: [],
      nulls: [],
      rowCount: 3,
      aligned: false,
    };
    expect(sortTabletByTime(tablet)).toBe(tablet);
  });
});
