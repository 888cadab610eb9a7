// A receiver down while the sender ingests: node A (a real `iotdb-lite start` process) with a
// small pin bound (`pipe_max_allowed_pinned_wal_size_in_byte`, BENCH_OUTAGE_PIN_MB, default
// 64 MiB; WAL segments of 16 MiB) has a pipe to node B; B is stopped, A takes
// BENCH_OUTAGE_POINTS points (default 50,000,000) as tablets of 1,000 rows x 10 series, with a
// deletion every 1,000 tablets (some of them of points B already holds), then B is started
// again on its folder and port. Printed: A's WAL folder at its largest during the outage
// (sampled every 100 ms) beside the bound, A's resident memory at its largest (from
// /proc), the catch-up time until B holds what A holds, A's WAL once caught up, and whether
// B's count, sum and time range of every series equal A's.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Session } from '../protocol/client/session.js';
import type { ResultBlock } from '../protocol/result-block.js';
import { freePort, type NodeProcess, startNode } from '../scripts/node-process.js';
import { DataType } from '../tsfile/data-type.js';
import type { Tablet } from '../tsfile/tablet.js';
import { report } from './bench-util.js';

const POINTS = Number(process.env.BENCH_OUTAGE_POINTS ?? 50_000_000);
const PIN_BYTES = Number(process.env.BENCH_OUTAGE_PIN_MB ?? 64) * 1024 * 1024;
const SEGMENT_BYTES = 16 * 1024 * 1024;
const ROWS = 1000;
const SERIES = 10;
const TABLETS_PER_CALL = 10;
const DELETE_EVERY_TABLETS = 1000;
const SAMPLE_MS = 100;
const CATCH_UP_MS_MAX = 60 * 60 * 1000;
const MB = 1024 * 1024;
const DEVICE = 'root.outage.d';
const MEASUREMENTS = Array.from({ length: SERIES }, (_, s) => `s${s}`);

function tablet(index: number): Tablet {
  const times = new BigInt64Array(ROWS);
  for (let r = 0; r < ROWS; r++) times[r] = BigInt(index * ROWS + r);
  return {
    device: DEVICE,
    aligned: false,
    measurements: MEASUREMENTS,
    dataTypes: MEASUREMENTS.map((_, s) => (s % 2 === 0 ? DataType.INT64 : DataType.DOUBLE)),
    times,
    columns: MEASUREMENTS.map((_, s) =>
      s % 2 === 0
        ? BigInt64Array.from({ length: ROWS }, (_, r) => BigInt((index * ROWS + r) % 1000))
        : Float64Array.from({ length: ROWS }, (_, r) => ((index * ROWS + r) % 1000) / 8),
    ),
    nulls: MEASUREMENTS.map(() => null),
    rowCount: ROWS,
  };
}

/** Bytes of the files under `dir`, sub-folders included. */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    try {
      total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
    } catch {
      // Deleted since the listing (a released WAL segment).
    }
  }
  return total;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? 0 : Number(m[1]) * 1024;
}

/** count, sum, min and max time of every series, as one text, for comparing two nodes. */
async function fingerprint(session: Session): Promise<string> {
  const aggregates = MEASUREMENTS.map((m) => `count(${m}), sum(${m}), min_time(${m}), max_time(${m})`).join(', ');
  const { blocks } = await session.query(`select ${aggregates} from ${DEVICE}`);
  const b = (blocks as ResultBlock[])[0];
  if (b === undefined) return '';
  return b.columns.map((c) => String((c.values as ArrayLike<unknown>)[0])).join(',');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-outage-'));
  const nodes: NodeProcess[] = [];
  try {
    const properties = join(dir, 'a.properties');
    writeFileSync(
      properties,
      `pipe_max_allowed_pinned_wal_size_in_byte=${PIN_BYTES}\nwal_file_size_threshold_in_byte=${SEGMENT_BYTES}\n`,
    );
    const a = await startNode({
      name: 'A',
      port: await freePort(),
      data: join(dir, 'a'),
      args: ['--config', properties],
    });
    nodes.push(a);
    const portB = await freePort();
    let b = await startNode({ name: 'B', port: portB, data: join(dir, 'b') });
    nodes.push(b);
    const sa = await Session.open({ port: a.port });
    await sa.insertTablets([tablet(0), tablet(1)]);
    await sa.executeStatement(
      `create pipe outage with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${portB}')`,
    );
    await sa.executeStatement('start pipe outage');
    let sb = await Session.open({ port: portB });
    while ((await fingerprint(sb)) !== (await fingerprint(sa))) await sleep(100);
    await sb.close();
    await b.stop();

    const walDir = join(dir, 'a', 'wal');
    let walMax = 0;
    let rssMax = 0;
    const sampler = setInterval(() => {
      walMax = Math.max(walMax, folderBytes(walDir));
      rssMax = Math.max(rssMax, rssBytes(a.child.pid!));
    }, SAMPLE_MS);
    const tablets = Math.ceil(POINTS / (ROWS * SERIES));
    const ingestStart = performance.now();
    for (let t = 2; t < tablets + 2; t += TABLETS_PER_CALL) {
      await sa.insertTablets(Array.from({ length: TABLETS_PER_CALL }, (_, k) => tablet(t + k)));
      if (Math.floor(t / DELETE_EVERY_TABLETS) !== Math.floor((t + TABLETS_PER_CALL) / DELETE_EVERY_TABLETS)) {
        // Half of the time the range reaches back to the first points, which B already holds.
        const from = t % (2 * DELETE_EVERY_TABLETS) === 0 ? 0 : (t - 500) * ROWS;
        await sa.executeStatement(
          `delete from ${DEVICE}.s${t % SERIES} where time >= ${from} and time < ${from + 700}`,
        );
      }
    }
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    const walAtEnd = folderBytes(walDir);

    b = await startNode({ name: 'B again', port: portB, data: join(dir, 'b') });
    nodes.push(b);
    const catchUpStart = performance.now();
    sb = await Session.open({ port: portB });
    const want = await fingerprint(sa);
    while ((await fingerprint(sb)) !== want) {
      if (performance.now() - catchUpStart > CATCH_UP_MS_MAX) throw new Error('B did not catch up');
      await sleep(500);
    }
    const catchUpSeconds = (performance.now() - catchUpStart) / 1000;
    await sleep(500);
    clearInterval(sampler);
    const walCaughtUp = folderBytes(walDir);
    const dataBytes = folderBytes(join(dir, 'a', 'data'));
    report('outage points', tablets * ROWS * SERIES, 'points');
    report('outage ingest rate', (tablets * ROWS * SERIES) / ingestSeconds, 'points/s');
    report('outage pin bound', PIN_BYTES / MB, 'MiB');
    report('outage wal segment', SEGMENT_BYTES / MB, 'MiB');
    report('outage wal max', walMax / MB, 'MiB');
    report('outage wal at end of outage', walAtEnd / MB, 'MiB');
    report('outage data folder', dataBytes / MB, 'MiB');
    report('outage rss max of A', rssMax / MB, 'MiB');
    report('outage catch-up', catchUpSeconds, 's');
    report('outage wal after catch-up', walCaughtUp / MB, 'MiB');
    console.log(`outage B equals A: ${(await fingerprint(sb)) === (await fingerprint(sa)) ? 'yes' : 'no'}`);
    console.log(
      `load average: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    await sa.close();
    await sb.close();
  } finally {
    for (const n of nodes) await n.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
