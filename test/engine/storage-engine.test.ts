import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors.js';
import { StorageEngine } from '../../engine/storage-engine.js';
import type { TapEvent } from '../../engine/tap/tap-events.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { int64Tablet } from './int64-tablet.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'engine-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(extra: Partial<Parameters<typeof StorageEngine.open>[0]> = {}): StorageEngine {
  return StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC', ...extra });
}

const tablet = int64Tablet;

function points(engine: StorageEngine, device: string, measurement = 's'): [bigint, unknown][] {
  const out: [bigint, unknown][] = [];
  for (const b of engine.readSeries(device, measurement)) {
    for (let i = 0; i < b.length; i++) out.push([b.times[i]!, (b.values as ArrayLike<unknown>)[i]]);
  }
  return out;
}

describe('StorageEngine', () => {
  it('creates schema automatically and reads memtable data back in time order', async () => {
    const e = open();
    await e.write(tablet('root.sg.d1', [3, 1, 2], [30, 10, 20]));
    expect(e.schema.listDatabases()).toEqual(['root.sg']);
    expect(points(e, 'root.sg.d1')).toEqual([
      [1n, 10n],
      [2n, 20n],
      [3n, 30n],
    ]);
    await e.close();
  });

  it('lets the latest arrival win for a duplicate time, across memtables and files', async () => {
    const e = open();
    await e.write(tablet('root.sg.d1', [1, 2, 3], [1, 2, 3]));
    await e.flush();
    await e.write(tablet('root.sg.d1', [2], [200]));
    expect(points(e, 'root.sg.d1')).toEqual([
      [1n, 1n],
      [2n, 200n],
      [3n, 3n],
    ]);
    await e.flush();
    await e.write(tablet('root.sg.d1', [2, 2], [300, 400]));
    expect(points(e, 'root.sg.d1')[1]).toEqual([2n, 400n]);
    await e.close();
    const again = open();
    expect(points(again, 'root.sg.d1')).toEqual([
      [1n, 1n],
      [2n, 400n],
      [3n, 3n],
    ]);
    await again.close();
  });

  it('recovers unflushed writes from the WAL after a reopen without close', async () => {
    const e = open();
    await e.write(tablet('root.sg.d1', [1, 2], [1, 2]));
    await e.flush();
    await e.write(tablet('root.sg.d1', [5, 6], [5, 6]));
    // No close: the WAL is all there is for the second write.
    const again = open();
    expect(points(again, 'root.sg.d1').map(([t]) => t)).toEqual([1n, 2n, 5n, 6n]);
    expect(again.arrivalHighWater).toBeGreaterThan(2);
    await again.close();
    await e.close().catch(() => {});
  });

  it('applies deletions to memtables and sealed files, and keeps later writes', async () => {
    const e = open();
    await e.write(tablet('root.sg.d1', [1, 2, 3, 4], [1, 2, 3, 4]));
    await e.flush();
    await e.write(tablet('root.sg.d1', [5, 6], [5, 6]));
    await e.delete('root.sg.d1.s', 2n, 5n);
    await e.write(tablet('root.sg.d1', [3], [33]));
    expect(points(e, 'root.sg.d1')).toEqual([
      [1n, 1n],
      [3n, 33n],
      [6n, 6n],
    ]);
    await e.close();
    const again = open();
    expect(points(again, 'root.sg.d1').map(([t]) => t)).toEqual([1n, 3n, 6n]);
    await again.close();
  });

  it('rejects a wrong data type without writing the tablet, and unknown series when auto-creation is off', async () => {
    const e = open();
    await e.write(tablet('root.sg.d1', [1], [1]));
    const wrong: Tablet = {
      ...tablet('root.sg.d1', [2], [2]),
      dataTypes: [DataType.DOUBLE],
      columns: [Float64Array.of(2)],
    };
    await expect(e.write(wrong)).rejects.toMatchObject({ code: 614 });
    expect(points(e, 'root.sg.d1').length).toBe(1);
    await e.close();
    const strict = open({ autoCreateSchema: false });
    await expect(strict.write(tablet('root.sg.d2', [1], [1]))).rejects.toBeInstanceOf(EngineError);
    await strict.close();
  });

  it('emits schema, insert, delete and tsfile-sealed events on the tap with increasing arrival numbers', async () => {
    const e = open();
    const events: TapEvent[] = [];
    e.tap.subscribe((ev) => events.push(ev));
    await e.write(tablet('root.sg.d1', [1], [1]));
    await e.write(tablet('root.sg.d1', [2], [2]));
    await e.delete('root.sg.**', 0n, 1n);
    await e.flush();
    // The database and the series the first write creates come before it.
    expect(events.map((ev) => ev.kind)).toEqual(['schema', 'schema', 'insert', 'insert', 'delete', 'tsfile-sealed']);
    const arrivals = events
      .filter((ev) => ev.kind !== 'tsfile-sealed')
      .map((ev) => (ev as { arrival: number }).arrival);
    expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
    await e.close();
  });
});

describe('a series re-created with another type', () => {
  it('serves the new points after DELETE TIMESERIES, from memtables and after a flush', async () => {
    const engine = open();
    await engine.write(tablet('root.sg.d1', [1, 2], [10, 20]));
    await engine.deleteTimeseries('root.sg.d1.s');
    await engine.write({
      ...tablet('root.sg.d1', [2, 3], [0, 0]),
      dataTypes: [DataType.DOUBLE],
      columns: [Float64Array.of(2.5, 3.5)],
    });
    expect(points(engine, 'root.sg.d1')).toEqual([
      [2n, 2.5],
      [3n, 3.5],
    ]);
    await engine.flush();
    expect(points(engine, 'root.sg.d1')).toEqual([
      [2n, 2.5],
      [3n, 3.5],
    ]);
    await engine.close();
  });
});
