import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageEngine } from '../../engine/storage-engine.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'restart-precedence-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function points(value: number): Tablet {
  return {
    device: 'root.r.d',
    aligned: false,
    measurements: ['s'],
    dataTypes: [DataType.INT64],
    times: BigInt64Array.of(1n, 2n),
    columns: [BigInt64Array.of(BigInt(value), BigInt(value))],
    nulls: [null],
    rowCount: 2,
  };
}

describe('precedence after a restart', () => {
  it('a write after reopening overwrites the same times in files sealed before', async () => {
    let engine = StorageEngine.open({ dir, flushInWorker: false });
    for (const v of [1, 2, 3]) {
      await engine.write(points(v));
      await engine.flush();
    }
    await engine.close();
    engine = StorageEngine.open({ dir, flushInWorker: false });
    await engine.write(points(4));
    expect(engine.last('root.r.d', 's')).toEqual({ time: 2n, value: 4n });
    await engine.flush();
    await engine.close();
    engine = StorageEngine.open({ dir, flushInWorker: false });
    expect(engine.last('root.r.d', 's')).toEqual({ time: 2n, value: 4n });
    await engine.close();
  });

  it('a write replayed from the WAL overwrites the same times in files sealed before', async () => {
    let engine = StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC' });
    await engine.write(points(1));
    await engine.flush();
    await engine.write(points(2));
    await engine.flush();
    await engine.write(points(3));
    // Not flushed nor closed, as after a crash: the reopened engine replays it from the WAL.
    engine = StorageEngine.open({ dir, flushInWorker: false });
    expect(engine.last('root.r.d', 's')).toEqual({ time: 2n, value: 3n });
    await engine.close();
  });
});
