import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatusCode } from '../../engine/errors.js';
import { StorageEngine } from '../../engine/storage-engine.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { int64Tablet } from './int64-tablet.js';

let dir: string;
let engine: StorageEngine;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'write-all-'));
  engine = StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC' });
});
afterEach(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function points(device: string): string[] {
  const out: string[] = [];
  for (const b of engine.readSeries(device, 's')) {
    for (let i = 0; i < b.length; i++) out.push(`${b.times[i]}=${b.values[i]}`);
  }
  return out;
}

describe('writing several tablets as one request', () => {
  it('logs them with one WAL commit, in order, with consecutive arrival numbers', async () => {
    // The series exist: a series created by the write would take an arrival number of its own in between.
    engine.createDatabase('root.db');
    for (const device of ['root.db.d', 'root.db.e']) {
      engine.createTimeseries(device, false, [{ measurement: 's', dataType: DataType.INT64 }]);
    }
    const syncsBefore = engine.walCounters.syncs;
    const arrivals = await engine.writeAll([
      int64Tablet('root.db.d', [1, 2], [10, 20]),
      int64Tablet('root.db.e', [1], [5]),
      int64Tablet('root.db.d', [2, 3], [21, 30]),
    ]);
    expect(engine.walCounters.syncs - syncsBefore).toBe(1);
    expect(arrivals[1]! - arrivals[0]!).toBe(1);
    expect(arrivals[2]! - arrivals[1]!).toBe(1);
    // The later tablet of d wins on time 2, as it arrived later.
    expect(points('root.db.d')).toEqual(['1=10', '2=21', '3=30']);
    expect(points('root.db.e')).toEqual(['1=5']);
  });

  it('fails at a tablet that fails its checks, keeping the ones before it and writing none after it', async () => {
    const wrongType: Tablet = {
      ...int64Tablet('root.db.d', [5], [0]),
      dataTypes: [DataType.DOUBLE],
      columns: [Float64Array.of(1.5)],
    };
    const failed = engine.writeAll([
      int64Tablet('root.db.d', [1], [10]),
      wrongType,
      int64Tablet('root.db.d', [9], [90]),
    ]);
    await expect(failed).rejects.toMatchObject({ code: StatusCode.DATA_TYPE_MISMATCH });
    expect(points('root.db.d')).toEqual(['1=10']);
  });

  it('adapts each tablet just before writing it, seeing the series the tablets before it created', async () => {
    const seen: (DataType | undefined)[] = [];
    await engine.writeAll([int64Tablet('root.db.n', [1], [10]), int64Tablet('root.db.n', [2], [20])], {
      adapt: (tablet) => {
        seen.push(engine.schema.device(tablet.device)?.measurements.get('s')?.dataType);
        return tablet;
      },
    });
    expect(seen).toEqual([undefined, DataType.INT64]);
    expect(points('root.db.n')).toEqual(['1=10', '2=20']);
  });
});
