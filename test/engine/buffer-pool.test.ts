import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../engine/memtable/buffer-pool.js';
import { MemTable } from '../../engine/memtable/memtable.js';
import { StorageEngine } from '../../engine/storage-engine.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';

/** `rows` rows of s0 (INT64) and s1 (DOUBLE) from time `from`, values `time * scale`. */
function tablet(from: number, rows: number, scale: number): Tablet {
  const times = BigInt64Array.from({ length: rows }, (_, i) => BigInt(from + i));
  return {
    device: 'root.pool.d',
    aligned: false,
    measurements: ['s0', 's1'],
    dataTypes: [DataType.INT64, DataType.DOUBLE],
    times,
    columns: [
      BigInt64Array.from({ length: rows }, (_, i) => BigInt((from + i) * scale)),
      Float64Array.from({ length: rows }, (_, i) => (from + i) * scale),
    ],
    nulls: [null, null],
    rowCount: rows,
  };
}

// 200,000 points: 1.6 MB of times per series, past the size where arrays grow in reserved buffers.
const ROWS = 200_000;

describe('the pool of large memtable arrays', () => {
  it('hands back what it was given, resized up when asked for more, and keeps no more than its cap', () => {
    const pool = new BufferPool(3 << 20);
    const fresh = pool.take(1 << 20);
    expect(fresh.resizable).toBe(true);
    expect(fresh.byteLength).toBe(1 << 20);
    pool.give(fresh);
    expect(pool.bytes).toBe(1 << 20);
    const again = pool.take(2 << 20);
    expect(again).toBe(fresh);
    expect(again.byteLength).toBe(2 << 20);
    expect(pool.bytes).toBe(0);
    pool.give(again);
    pool.give(new BufferPool(3 << 20).take(2 << 20)); // 2 + 2 MiB would pass the cap: left to the collector
    expect(pool.bytes).toBe(2 << 20);
    expect(pool.take(1)).toBe(again);
  });

  it('reuses the arrays of a released memtable, but never those of a series a reader was lent', () => {
    const pool = new BufferPool(64 << 20);
    const first = new MemTable(1, true, '', pool);
    first.insert(tablet(0, ROWS, 1), 0, ROWS, 1);
    const lentView = first.series('root.pool.d', 's0')!.sortedView();
    const freeTimes = first.series('root.pool.d', 's1')!.sortedView().times.buffer;
    first.lend('root.pool.d', 's0');
    first.release();
    expect(first.isEmpty).toBe(true);

    const second = new MemTable(2, true, '', pool);
    second.insert(tablet(0, ROWS, 7), 0, ROWS, 2);
    const buffers = ['s0', 's1'].flatMap((s) => {
      const view = second.series('root.pool.d', s)!.sortedView();
      return [view.times.buffer, (view.values as Float64Array).buffer];
    });
    // s1's two arrays came back to the pool and were taken again...
    expect(buffers).toContain(freeTimes);
    // ...and the lent series still reads what it held.
    expect(lentView.length).toBe(ROWS);
    expect(lentView.times[ROWS - 1]).toBe(BigInt(ROWS - 1));
    expect((lentView.values as BigInt64Array)[ROWS - 1]).toBe(BigInt(ROWS - 1));
    expect(buffers).not.toContain(lentView.times.buffer);
    // The new memtable reads its own points, not what the reused memory held.
    const s1 = second.series('root.pool.d', 's1')!.sortedView();
    expect(s1.length).toBe(ROWS);
    expect((s1.values as Float64Array)[ROWS - 1]).toBe((ROWS - 1) * 7);
  });

  it('keeps a query that was reading a memtable right across its flush and the writes that follow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'buffer-pool-'));
    try {
      const engine = StorageEngine.open({ dir, flushInWorker: false, walMode: 'DISABLE' });
      await engine.write(tablet(0, ROWS, 1));
      const reading = engine.readSeries('root.pool.d', 's0');
      const first = reading.next();
      expect(first.done).toBe(false);
      // Sealed and released while the query holds its first block; the next memtable's
      // series grow into the released arrays.
      await engine.flush();
      await engine.write(tablet(ROWS, ROWS, 3));
      await engine.flush();
      await engine.write(tablet(2 * ROWS, ROWS, 5));
      let points = 0;
      let bad = 0;
      for (let r = first; !r.done; r = reading.next()) {
        const { times, values, length } = r.value;
        for (let i = 0; i < length; i++) if ((values as BigInt64Array)[i] !== times[i]!) bad++;
        points += length;
      }
      expect(bad).toBe(0);
      expect(points).toBe(ROWS);
      expect(engine.aggregate('root.pool.d', 's1').count).toBe(3 * ROWS);
      const last = engine.last('root.pool.d', 's1');
      expect(last).toEqual({ time: BigInt(3 * ROWS - 1), value: (3 * ROWS - 1) * 5 });
      await engine.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
