import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageEngine } from '../../engine/storage-engine.js';
import { DataType } from '../../tsfile/data-type.js';
import { FIXTURE_DIR } from '../fixture-files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'engine-api-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (extra = {}) => StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC', ...extra });

describe('StorageEngine API', () => {
  it('writes rows as tablets, with nulls, and answers last and aggregations', async () => {
    const e = open();
    await e.writeRows([
      {
        device: 'root.r.d',
        time: 1n,
        measurements: ['a', 'b'],
        dataTypes: [DataType.INT32, DataType.TEXT],
        values: [5, Buffer.from('x')],
        aligned: false,
      },
      {
        device: 'root.r.d',
        time: 2n,
        measurements: ['a', 'b'],
        dataTypes: [DataType.INT32, DataType.TEXT],
        values: [7, null],
        aligned: false,
      },
      { device: 'root.r.d', time: 3n, measurements: ['a'], dataTypes: [DataType.INT32], values: [9], aligned: false },
    ]);
    expect(e.last('root.r.d', 'a')).toEqual({ time: 3n, value: 9 });
    expect(e.last('root.r.d', 'b')?.time).toBe(1n);
    await e.flush();
    const agg = e.aggregate('root.r.d', 'a', { start: 2n });
    expect([agg.count, agg.sum, agg.min, agg.max, agg.first, agg.last, agg.minTime, agg.maxTime]).toEqual([
      2,
      16,
      7,
      9,
      7,
      9,
      2n,
      3n,
    ]);
    await expect(
      e.writeRows([
        {
          device: 'root.r.d',
          time: 4n,
          measurements: ['a'],
          dataTypes: [DataType.INT32],
          values: [1.5],
          aligned: false,
        },
      ]),
    ).rejects.toMatchObject({ code: 614 });
    await e.close();
  });

  it('replays inserts and deletions from the WAL from an arrival number on', async () => {
    const e = open();
    const tablet = (t: bigint) => ({
      device: 'root.r.d',
      aligned: false,
      measurements: ['s'],
      dataTypes: [DataType.DOUBLE],
      times: BigInt64Array.of(t),
      columns: [Float64Array.of(Number(t))],
      nulls: [null],
      rowCount: 1,
    });
    await e.write(tablet(1n));
    const second = await e.write(tablet(2n));
    await e.delete('root.r.**', 1n, 1n);
    const events = [...e.replay(second)];
    expect(events.map((ev) => ev.kind)).toEqual(['insert', 'delete']);
    expect(events[0]!.kind === 'insert' && events[0]!.tablet.times[0]).toBe(2n);
    await e.close();
  });

  it('loads a reference TsFile and creates its schema; overlapping data makes it unsequence', async () => {
    const e = open();
    const first = await e.load(join(FIXTURE_DIR, 'INT64-TS_2DIFF-LZ4.tsfile'));
    expect(first.sequence).toBe(true);
    const series = e.matchSeries('root.**');
    expect(series.map((s) => `${s.device}.${s.measurement}`)).toEqual(['root.fx.d_int64.s']);
    const count = e.aggregate('root.fx.d_int64', 's').count;
    expect(count).toBeGreaterThan(1000);
    const second = await e.load(join(FIXTURE_DIR, 'INT64-TS_2DIFF-SNAPPY.tsfile'));
    expect(second.sequence).toBe(false);
    await expect(e.load(join(FIXTURE_DIR, 'nope.tsfile'))).rejects.toMatchObject({ code: 1100 });
    await e.close();
  });

  it('runs the README example', () => {
    const out = execFileSync(
      process.execPath,
      [join(import.meta.dirname, '..', '..', 'bin', 'run-ts.js'), 'examples/embedded-engine.ts'],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        encoding: 'utf8',
      },
    );
    expect(out.trim().split('\n')).toEqual(['1000 20.5', '3000 21.7']);
  });
});
