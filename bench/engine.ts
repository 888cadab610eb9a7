// Storage engine speed, in-process: ingest (WAL ASYNC and SYNC), flush, full scan, peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageEngine } from '../engine/storage-engine.js';
import type { WalMode } from '../engine/wal/wal-writer.js';
import { DataType } from '../tsfile/data-type.js';
import type { Tablet } from '../tsfile/tablet.js';
import { mulberry32, report, unit } from './bench-util.js';

const ROWS = 1000;
const SERIES = 10;
const TOTAL_POINTS = Number(process.env.BENCH_ENGINE_POINTS ?? 20_000_000);
const RSS_POINTS = Number(process.env.BENCH_RSS_POINTS ?? 100_000_000);

function makeTablet(start: number, rand: () => number): Tablet {
  const times = BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(1_700_000_000_000 + (start + i) * 1000));
  const names = Array.from({ length: SERIES }, (_, s) => `s${s}`);
  return {
    device: 'root.bench.d',
    aligned: false,
    measurements: names,
    dataTypes: names.map((_, s) => (s % 2 === 0 ? DataType.INT64 : DataType.DOUBLE)),
    times,
    columns: names.map((_, s) =>
      s % 2 === 0
        ? BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(start + i))
        : Float64Array.from({ length: ROWS }, () => unit(rand)),
    ),
    nulls: names.map(() => null),
    rowCount: ROWS,
  };
}

async function ingest(
  mode: WalMode,
  points: number,
  budget = 256 * 1024 * 1024,
): Promise<{ seconds: number; engine: StorageEngine; dir: string; peakRss: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  const engine = StorageEngine.open({ dir, walMode: mode, memtableBytesMax: budget / 4, memtableBudgetBytes: budget });
  const rand = mulberry32(7);
  const tablets = Array.from({ length: 16 }, (_, k) => makeTablet(k * ROWS, rand));
  let peakRss = 0;
  const start = process.hrtime.bigint();
  const perTablet = ROWS * SERIES;
  for (let n = 0, k = 0; n < points; n += perTablet, k++) {
    const base = tablets[k % tablets.length]!;
    const shift = BigInt(k * ROWS * 1000);
    const tablet = { ...base, times: base.times.map((t) => t + shift) };
    await engine.write(tablet);
    if (k % 200 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, engine, dir, peakRss };
}

const asyncRun = await ingest('ASYNC', TOTAL_POINTS);
report('engine_ingest_wal_async', TOTAL_POINTS / asyncRun.seconds, 'points/s');
const flushStart = process.hrtime.bigint();
await asyncRun.engine.flush();
const flushSeconds = Number(process.hrtime.bigint() - flushStart) / 1e9;
report('engine_flush_tail', flushSeconds, 's');
const scanStart = process.hrtime.bigint();
let scanned = 0;
for (let s = 0; s < SERIES; s++)
  for (const b of asyncRun.engine.readSeries('root.bench.d', `s${s}`)) scanned += b.length;
const scanSeconds = Number(process.hrtime.bigint() - scanStart) / 1e9;
report('engine_scan', scanned / scanSeconds, 'points/s');
await asyncRun.engine.close();
rmSync(asyncRun.dir, { recursive: true, force: true });

const syncPoints = Math.min(TOTAL_POINTS, 2_000_000);
const syncRun = await ingest('SYNC', syncPoints);
report('engine_ingest_wal_sync', syncPoints / syncRun.seconds, 'points/s');
await syncRun.engine.close();
rmSync(syncRun.dir, { recursive: true, force: true });

const rssRun = await ingest('ASYNC', RSS_POINTS);
report('engine_ingest_100m_wal_async', RSS_POINTS / rssRun.seconds, 'points/s');
report('engine_peak_rss_256mib_budget', rssRun.peakRss / (1024 * 1024), 'MiB');
await rssRun.engine.close();
rmSync(rssRun.dir, { recursive: true, force: true });
