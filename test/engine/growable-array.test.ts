import { describe, expect, it } from 'vitest';
import { grown } from '../../engine/memtable/growable-array.js';
import { SeriesBuffer } from '../../engine/memtable/series-buffer.js';
import { DataType } from '../../tsfile/data-type.js';

describe('arrays a memtable series grows', () => {
  it('copies a small array into a larger one', () => {
    const small = Float64Array.of(1.5, 2.5, 3.5, 0);
    const next = grown(small, 3, 8);
    expect(next).not.toBe(small);
    expect([...next]).toEqual([1.5, 2.5, 3.5, 0, 0, 0, 0, 0]);
  });

  it('grows a large array in place from its second growth on, keeping what it held', () => {
    const n = 1 << 18; // 2 MiB of times: past the in-place threshold
    const times = BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 3n);
    const first = grown(times, n, 2 * n);
    first[2 * n - 1] = -7n;
    const second = grown(first, 2 * n, 4 * n);
    expect(second.buffer).toBe(first.buffer);
    expect(second.length).toBe(4 * n);
    expect([second[0], second[n - 1], second[2 * n - 1], second[4 * n - 1]]).toEqual([0n, BigInt(n - 1) * 3n, -7n, 0n]);
    // A view taken before the growth still reads the same points.
    expect(first[n - 1]).toBe(BigInt(n - 1) * 3n);
  });

  it('grows a series written out of order by copies, and one written in order in place', () => {
    const rows = 1000;
    const run = (from: number) => BigInt64Array.from({ length: rows }, (_, i) => BigInt(from + i));
    const inOrder = new SeriesBuffer(DataType.INT64);
    const disordered = new SeriesBuffer(DataType.INT64);
    disordered.append(run(1000), run(1000), null, 0, rows);
    disordered.append(run(0), run(0), null, 0, rows);
    // Sorted while small; what follows comes in order, so the last view is the buffer itself.
    expect(disordered.sortedView().length).toBe(2 * rows);
    // 300,000 points: 2.4 MB of times, past the size where arrays may grow in place.
    for (let k = 2; k < 300; k++) {
      inOrder.append(run(k * rows), run(k * rows), null, 0, rows);
      disordered.append(run(k * rows), run(k * rows), null, 0, rows);
    }
    const resizable = (b: SeriesBuffer) =>
      (b.sortedView().times.buffer as ArrayBuffer & { resizable: boolean }).resizable;
    expect(resizable(inOrder)).toBe(true);
    expect(resizable(disordered)).toBe(false);
    const view = disordered.sortedView();
    expect(view.length).toBe(300 * rows);
    expect([view.times[0], view.times[1999], view.times[299_999]]).toEqual([0n, 1999n, 299_999n]);
  });

  it('serves a series of a million points written in order, and one written out of order after it grew', () => {
    for (const type of [DataType.INT64, DataType.DOUBLE, DataType.INT32, DataType.FLOAT, DataType.BOOLEAN] as const) {
      const buffer = new SeriesBuffer(type);
      const rows = 1000;
      const tablets = 1024;
      const pointValue = (t: number) => (type === DataType.BOOLEAN ? t % 2 : t % 1000);
      const column = (from: number) => {
        const values = Array.from({ length: rows }, (_, i) => pointValue(from + i));
        if (type === DataType.INT64) return BigInt64Array.from(values, BigInt);
        if (type === DataType.DOUBLE) return Float64Array.from(values);
        if (type === DataType.INT32) return Int32Array.from(values);
        if (type === DataType.FLOAT) return Float32Array.from(values);
        return Uint8Array.from(values);
      };
      // Tablets 0..1023 in order but for the last two, which swap places.
      const order = Array.from({ length: tablets }, (_, k) => k);
      [order[tablets - 2], order[tablets - 1]] = [order[tablets - 1]!, order[tablets - 2]!];
      for (const k of order) {
        const from = k * rows;
        buffer.append(
          BigInt64Array.from({ length: rows }, (_, i) => BigInt(from + i)),
          column(from),
          null,
          0,
          rows,
        );
      }
      const view = buffer.sortedView();
      expect(view.length).toBe(rows * tablets);
      for (const i of [0, 1, 65_535, 65_536, 524_287, 524_288, 1_021_999, 1_022_000, 1_023_999]) {
        expect(view.times[i]).toBe(BigInt(i));
        expect(Number((view.values as ArrayLike<number | bigint>)[i])).toBe(pointValue(i));
      }
    }
  });
});
