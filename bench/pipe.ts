// Pipe (Data Sync) speed from node A to node B over loopback, both real `iotdb-lite start`
// processes over temporary folders, for the sync connector (iotdb-thrift-connector) and the
// async one (iotdb-thrift-async-connector). Each section runs a fresh B and a fresh pipe per
// connector; A is started once.
//
// - history: BENCH_PIPE_POINTS points (default 50,000,000) written to A as tablets of 1,000
//   rows x 10 series (half INT64, half DOUBLE, as bench/rpc.ts) and flushed into sealed
//   TsFiles; then a pipe is created and started, timed until B holds every point. Speed in
//   points/s and in MB/s of A's sealed .tsfile bytes, beside a plain socket copy of the same
//   files over loopback (a receiver process writing what it gets to a file), and the pipe's
//   share of that copy. The copy is measured twice: as Node streams a file (64 KiB chunks),
//   and with two reused 8 MiB buffers (the pipe's piece size), the faster of the two here.
// - realtime: a realtime-only pipe; one session writes such tablets as fast as it can for
//   BENCH_PIPE_REALTIME_SECONDS (default 10): points/s accepted by A, points/s B holds by the
//   end of that window, and the catch-up time until B holds everything.
// - lag: a realtime-only pipe; a writer at a steady BENCH_PIPE_LAG_RATE points/s (default
//   100,000) in tablets of 1,000 rows x 1 series for BENCH_PIPE_LAG_SECONDS (default 10),
//   after BENCH_PIPE_LAG_WARMUP_SECONDS (default 2) of the same writing, not measured (as
//   bench/postgres-lag.sh measures PostgreSQL's second run); p50 and p99 of the time from a
//   tablet's write acknowledged by A to its rows visible on B, and to its apply on B.
//
// - link: the sync connector through a shaped link (scripts/shaped-link.ts: 2 MB/s and 25 ms
//   each way, a far and slow edge link), for (no batching, no compression), (batching),
//   (batching + lz4), (batching + zstd): points/s B holds at the end of BENCH_PIPE_LINK_SECONDS
//   (default 10) of a writer offering 300,000 points/s in tablets of 100 rows x 10 series
//   (INT64 counters and DOUBLE random walks in steps of 0.01, as sensors give), the bytes on
//   the link per point delivered, and the lag (as the lag section) at 20,000 points/s.
//
// BENCH_PIPE_SECTIONS (default `history,realtime,lag,link`) picks sections;
// BENCH_PIPE_SINK adds sink parameters to the pipes of the loopback sections (e.g.
// `sink.batch.enable=false` for the unbatched path).
//
// `node bin/run-ts.js bench/pipe.ts copy-receiver FILE` is the receiver of the plain copy.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import net from 'node:net';
import { arch, availableParallelism, cpus, loadavg, platform, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Session } from '../protocol/client/session.js';
import type { ResultBlock } from '../protocol/result-block.js';
import { freePort, type NodeProcess, startNode, stopAllNodes } from '../scripts/node-process.js';
import { ShapedLink } from '../scripts/shaped-link.js';
import { DataType } from '../tsfile/data-type.js';
import type { Tablet } from '../tsfile/tablet.js';
import { mulberry32, report, unit } from './bench-util.js';

const ROWS = 1000;
const SERIES = 10;
const HISTORY_POINTS = Number(process.env.BENCH_PIPE_POINTS ?? 50_000_000);
const REALTIME_SECONDS = Number(process.env.BENCH_PIPE_REALTIME_SECONDS ?? 10);
const LAG_RATE = Number(process.env.BENCH_PIPE_LAG_RATE ?? 100_000);
const LAG_SECONDS = Number(process.env.BENCH_PIPE_LAG_SECONDS ?? 10);
/** Unmeasured writing at the lag rate first, as bench/postgres-lag.sh warms PostgreSQL's apply worker. */
const LAG_WARMUP_SECONDS = Number(process.env.BENCH_PIPE_LAG_WARMUP_SECONDS ?? 2);
const LINK_SECONDS = Number(process.env.BENCH_PIPE_LINK_SECONDS ?? 10);
const LINK_OFFERED_RATE = 300_000;
const LINK_LAG_RATE = 20_000;
const LINK_ROWS = 100;
const LINK_SHAPE = { bytesPerSecond: 2_000_000, delayMs: 25 };
const SECTIONS = (process.env.BENCH_PIPE_SECTIONS ?? 'history,realtime,lag,link,sampling').split(',');
/** `on`: node A serves Prometheus metrics (and a scrape each second reads them), to compare with `off`. */
const METRICS = process.env.BENCH_PIPE_METRICS === 'on';
/** The sampling section: one point per series per this many seconds of 1-second data. */
const SAMPLING_INTERVAL_SECONDS = 10;
/** Extra sink parameters for the loopback sections, `key=value,key=value`. */
const SINK_EXTRA: [string, string][] = (process.env.BENCH_PIPE_SINK ?? '')
  .split(',')
  .filter((kv) => kv.includes('='))
  .map((kv) => kv.split('=', 2) as [string, string]);

/** Time of the first row; history and realtime rows are 1 s apart (as bench/rpc.ts), lag rows 1 ms. */
const TIME_BASE = 1_700_000_000_000n;
const WIDE_STEP_MS = 1000n;
const LAG_STEP_MS = 1n;
/** Pause between polls of B while waiting for everything, and while watching the lag. */
const POLL_MS = 10;
const LAG_POLL_MS = 2;
/** Polls of B during the realtime window, only to keep the probe's complete prefix current. */
const REALTIME_SAMPLE_MS = 200;
/** B holding no more rows for this long while rows are missing fails the run. */
const STALL_MS_MAX = 60_000;
const BYTES_PER_MB = 1e6;
/** Read size of the plain copy with reused buffers: the pipe's piece size. */
const COPY_CHUNK_BYTES = 8 * 1024 * 1024;

const CONNECTORS = [
  { label: 'sync', plugin: 'iotdb-thrift-connector' },
  { label: 'async', plugin: 'iotdb-thrift-async-connector' },
] as const;
type Connector = (typeof CONNECTORS)[number];

const RUN_TS = new URL('../bin/run-ts.js', import.meta.url).pathname;
const SELF = new URL(import.meta.url).pathname;

const now = (): number => performance.now();

// ------------------------------------------------------------------ cleanup

/** What to undo at the end, also after a failure or on SIGINT/SIGTERM: sessions, processes, folders. */
const undo = new Set<() => Promise<void>>();

/** Registers `release`; the returned function runs it once and unregisters it. */
function hold(release: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  const run = (): Promise<void> => {
    undo.delete(run);
    done ??= release();
    return done;
  };
  undo.add(run);
  return run;
}

/** Undoes everything still held, newest first; a failing step does not stop the others. */
async function releaseAll(): Promise<void> {
  for (const run of [...undo].reverse()) {
    await run().catch((error: Error) => console.error(`# cleanup: ${error.message}`));
  }
}

// ------------------------------------------------------------------ data

/** Tablets of ROWS rows in time order: even series INT64 counting rows, odd ones DOUBLE in [0, 1) from mulberry32. */
class TabletSource {
  /** Rows handed out so far; the next tablet starts at this row. */
  rows = 0;
  private readonly rand = mulberry32(11);
  private readonly dataTypes: DataType[];

  constructor(
    readonly device: string,
    private readonly measurements: readonly string[],
    private readonly stepMs: bigint,
  ) {
    this.dataTypes = measurements.map((_, s) => (s % 2 === 0 ? DataType.INT64 : DataType.DOUBLE));
  }

  next(): Tablet {
    const first = this.rows;
    this.rows += ROWS;
    const times = new BigInt64Array(ROWS);
    const counter = new BigInt64Array(ROWS);
    for (let i = 0; i < ROWS; i++) {
      times[i] = TIME_BASE + BigInt(first + i) * this.stepMs;
      counter[i] = BigInt(first + i);
    }
    return {
      device: this.device,
      aligned: false,
      measurements: [...this.measurements],
      dataTypes: this.dataTypes,
      times,
      columns: this.dataTypes.map((t) =>
        t === DataType.INT64 ? counter : Float64Array.from({ length: ROWS }, () => unit(this.rand)),
      ),
      nulls: this.measurements.map(() => null),
      rowCount: ROWS,
    };
  }
}

const WIDE = Array.from({ length: SERIES }, (_, s) => `s${s}`);

/**
 * Writes tablets from `source` while `more()` holds, building the next one while A works on
 * the current (the one built last is not sent); the rows written.
 */
async function writeWhile(session: Session, source: TabletSource, more: () => boolean): Promise<number> {
  let written = 0;
  let tablet = source.next();
  while (more()) {
    const sent = session.insertTablet(tablet, { sorted: true });
    tablet = source.next();
    await sent;
    written += ROWS;
  }
  return written;
}

// ------------------------------------------------------------------ nodes and pipes

interface TempNode {
  readonly node: NodeProcess;
  readonly session: Session;
  readonly dir: string;
  readonly release: () => Promise<void>;
}

/** A node over a fresh temporary folder, and a session with it. Its data is thrown away, so it is SIGKILLed. */
async function tempNode(name: string, settings: Record<string, (dir: string) => string> = {}): Promise<TempNode> {
  const dir = mkdtempSync(join(tmpdir(), `bench-pipe-${name}-`));
  const releaseDir = hold(async () => rmSync(dir, { recursive: true, force: true }));
  const env = Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [`IOTDB_LITE_${key.toUpperCase()}`, value(dir)]),
  );
  const node = await startNode({ name: `node ${name}`, port: await freePort(), data: join(dir, 'data'), env });
  const releaseNode = hold(() => node.stop('SIGKILL'));
  const session = await Session.open({ port: node.port });
  const releaseSession = hold(() => session.close());
  return {
    node,
    session,
    dir,
    release: async () => {
      await releaseSession();
      await releaseNode();
      await releaseDir();
    },
  };
}

function createPipeSql(
  name: string,
  connector: Connector,
  port: number,
  extractor: Record<string, string>,
  sink: readonly [string, string][] = SINK_EXTRA,
): string {
  const pairs = (entries: readonly [string, string][]) => entries.map(([k, v]) => `'${k}'='${v}'`).join(', ');
  const extract = Object.keys(extractor).length === 0 ? '' : ` with extractor (${pairs(Object.entries(extractor))})`;
  const connect = pairs([
    ['connector', connector.plugin],
    ['connector.ip', '127.0.0.1'],
    ['connector.port', String(port)],
    ...sink,
  ]);
  return `create pipe ${name}${extract} with connector (${connect})`;
}

function cellText(block: ResultBlock, column: number, row: number): string {
  const c = block.columns[column]!;
  if (c.nulls?.[row] === 1) return '';
  const v = (c.values as ArrayLike<unknown>)[row];
  return v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v);
}

/** `State` and `ExceptionMessage` of a pipe, from SHOW PIPE. */
async function pipeState(a: Session, name: string): Promise<{ state: string; exception: string }> {
  const { result, blocks } = await a.query(`show pipe ${name}`);
  const block = blocks.find((b) => b.rowCount > 0);
  if (block === undefined) return { state: 'absent', exception: '' };
  const column = (n: string) => result.columnNames.indexOf(n);
  return { state: cellText(block, column('State'), 0), exception: cellText(block, column('ExceptionMessage'), 0) };
}

/** Polls A until the pipe has no event left to deliver (SHOW PIPE's RemainingEventCount); the moment it saw that. */
async function waitForDelivered(a: Session, pipe: string): Promise<number> {
  for (;;) {
    const { result, blocks } = await a.query(`show pipe ${pipe}`);
    const block = blocks.find((b) => b.rowCount > 0);
    const at = now();
    if (block !== undefined) {
      const { state, exception } = await pipeState(a, pipe);
      if (state !== 'RUNNING') throw new Error(`pipe ${pipe} is ${state}: ${exception}`);
      if (cellText(block, result.columnNames.indexOf('RemainingEventCount'), 0) === '0') return at;
    }
    await sleep(POLL_MS);
  }
}

/** Prints the pipe's exception message, if it has one (a measurement can finish despite retries). */
async function notePipeProblems(a: Session, name: string): Promise<void> {
  const { state, exception } = await pipeState(a, name);
  if (exception !== '' || state !== 'RUNNING')
    console.log(`# pipe ${name}: ${state}${exception ? `: ${exception}` : ''}`);
}

// ------------------------------------------------------------------ watching B

/**
 * How many rows of one series B holds, polled cheaply. Aggregations read the points (there
 * is no statistics shortcut), so counting the whole series on every poll would cost B more
 * the more it holds. The probe keeps `from`, the end of a prefix of rows known to be all
 * there, and each poll asks only `count, min_time, max_time ... where time >= from`, which
 * skips the sealed files before it and reads only the rows from it on:
 * - count equal to the rows from `from` to max_time: all there, the prefix moves to max_time;
 * - else min_time equal to `from`: the tablet starting there is there (B applies a tablet, or
 *   a loaded file of whole tablets, at once), the prefix moves past that tablet;
 * - else a gap at `from` (the async connector delivers out of order): the prefix stays.
 * One series stands for the tablet, whose series B applies together. Rows are one time step
 * apart and tablet-aligned from TIME_BASE.
 */
class ArrivalProbe {
  /** Rows in the complete prefix. */
  prefixRows = 0;
  private from = TIME_BASE;

  constructor(
    private readonly session: Session,
    private readonly device: string,
    private readonly measurement: string,
    private readonly stepMs: bigint,
  ) {}

  /** Rows B holds now: the complete prefix and what it holds after it. */
  async poll(): Promise<number> {
    const m = this.measurement;
    const sql = `select count(${m}), min_time(${m}), max_time(${m}) from ${this.device} where time >= ${this.from}`;
    const { blocks } = await this.session.query(sql);
    // Before the first rows arrive B does not know the series: no columns, no rows.
    const block = blocks.find((b) => b.rowCount > 0);
    if (block === undefined || block.columns.length < 3) return this.prefixRows;
    let count = Number(cellText(block, 0, 0) || '0');
    if (count === 0) return this.prefixRows;
    const min = BigInt(cellText(block, 1, 0));
    const max = BigInt(cellText(block, 2, 0));
    if (min === this.from) {
      const advance = count === Number((max - min) / this.stepMs) + 1 ? count : ROWS;
      this.prefixRows += advance;
      this.from += BigInt(advance) * this.stepMs;
      count -= advance;
    }
    return this.prefixRows + count;
  }
}

/** The error of a pipe that stopped making progress, with its state on A. */
async function stalled(a: Session, pipe: string, held: number, expected: number): Promise<Error> {
  const { state, exception } = await pipeState(a, pipe);
  return new Error(
    `B holds ${held} of ${expected} rows, no progress for ${STALL_MS_MAX / 1000} s; pipe ${pipe}: ${state} ${exception}`,
  );
}

/** Polls until B holds `expected` rows; the moment it saw them. Fails when B stops making progress. */
async function waitForRows(probe: ArrivalProbe, expected: number, a: Session, pipe: string): Promise<number> {
  let seen = -1;
  let movedAt = now();
  for (;;) {
    const held = await probe.poll();
    const at = now();
    if (held >= expected) return at;
    if (held !== seen) {
      seen = held;
      movedAt = at;
    } else if (at - movedAt > STALL_MS_MAX) {
      throw await stalled(a, pipe, held, expected);
    }
    await sleep(POLL_MS);
  }
}

// ------------------------------------------------------------------ plain copy

/** The receiver side of the plain copy: one connection, written to `file`; answers the byte count when the sender ends. */
function receiveCopy(file: string): void {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const out = createWriteStream(file);
    socket.pipe(out);
    out.on('finish', () => {
      socket.end(`${out.bytesWritten}\n`);
      server.close();
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as net.AddressInfo).port}`));
}

/** The sending side of a plain copy: writes the files' bytes to the socket, in order. */
type CopySender = (socket: net.Socket, files: readonly string[]) => Promise<void>;

/** The copy as Node streams it: each file through a read stream (64 KiB chunks, fresh buffers). */
async function streamFiles(socket: net.Socket, files: readonly string[]): Promise<void> {
  for (const file of files) {
    for await (const chunk of createReadStream(file)) {
      if (!socket.write(chunk)) await once(socket, 'drain');
    }
  }
}

/**
 * The copy with the pipe's piece size and two reused buffers: one is read into while the
 * socket sends the other (a fresh buffer of megabytes costs page faults on first touch).
 */
async function sendWithReusedBuffers(socket: net.Socket, files: readonly string[]): Promise<void> {
  const slots = [0, 1].map(() => ({ buffer: Buffer.allocUnsafe(COPY_CHUNK_BYTES), sent: Promise.resolve() }));
  let turn = 0;
  for (const file of files) {
    const fd = openSync(file, 'r');
    try {
      for (let at = 0; ; ) {
        const slot = slots[turn++ % slots.length]!;
        await slot.sent;
        const n = readSync(fd, slot.buffer, 0, slot.buffer.length, at);
        if (n === 0) break;
        at += n;
        slot.sent = new Promise<void>((resolve, reject) =>
          socket.write(slot.buffer.subarray(0, n), (error) => (error ? reject(error) : resolve())),
        );
      }
    } finally {
      closeSync(fd);
    }
  }
  await Promise.all(slots.map((slot) => slot.sent));
}

/** Seconds to send `files` over one loopback connection to a receiver process that writes them to a file. */
async function plainCopy(files: readonly string[], bytes: number, send: CopySender): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pipe-copy-'));
  const releaseDir = hold(async () => rmSync(dir, { recursive: true, force: true }));
  const receiver: ChildProcess = spawn(process.execPath, [RUN_TS, SELF, 'copy-receiver', join(dir, 'copy')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(receiver, 'exit');
  const releaseReceiver = hold(async () => {
    if (receiver.exitCode === null && receiver.signalCode === null) receiver.kill('SIGKILL');
    await exited;
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      receiver.stdout!.on('data', (d) => {
        out += d;
        const m = /port (\d+)/.exec(out);
        if (m !== null) resolve(Number(m[1]));
      });
      receiver.on('exit', (code) => reject(new Error(`the copy receiver exited with ${code}`)));
    });
    const start = now();
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const answered = once(socket, 'end');
    await send(socket, files);
    socket.end();
    await answered;
    const seconds = (now() - start) / 1000;
    socket.destroy();
    if (Number(answer.trim()) !== bytes) throw new Error(`the copy receiver wrote ${answer.trim()} of ${bytes} bytes`);
    return seconds;
  } finally {
    await releaseReceiver();
    await releaseDir();
  }
}

/** A's sealed TsFiles (those with their `.resource`), oldest name first. */
function sealedTsFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.tsfile') && existsSync(join(dir, `${f}.resource`)))
    .map((f) => join(dir, f))
    .sort();
}

// ------------------------------------------------------------------ sections

async function history(a: TempNode): Promise<void> {
  const source = new TabletSource('root.bench.d', WIDE, WIDE_STEP_MS);
  const tablets = Math.max(1, Math.round(HISTORY_POINTS / (ROWS * SERIES)));
  let started = 0;
  const rows = await writeWhile(a.session, source, () => started++ < tablets);
  await a.session.executeStatement('flush');
  const files = sealedTsFiles(join(a.dir, 'data'));
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const mb = bytes / BYTES_PER_MB;
  console.log(`# history on A: ${rows * SERIES} points in ${files.length} sealed TsFiles, ${mb.toFixed(1)} MB`);

  const copyMbPerSecond = mb / (await plainCopy(files, bytes, streamFiles));
  report('plain copy', copyMbPerSecond, 'MB/s');
  const reusedCopyMbPerSecond = mb / (await plainCopy(files, bytes, sendWithReusedBuffers));
  report('plain copy with reused buffers', reusedCopyMbPerSecond, 'MB/s');

  for (const connector of CONNECTORS) {
    const pipe = `history_${connector.label}`;
    const b = await tempNode(`b-history-${connector.label}`);
    await a.session.executeStatement(createPipeSql(pipe, connector, b.node.port, {}));
    const probe = new ArrivalProbe(b.session, source.device, 's0', WIDE_STEP_MS);
    const start = now();
    await a.session.executeStatement(`start pipe ${pipe}`);
    // A counts a history file as delivered once B has loaded it, so A's count of events left
    // times the transfer without loading B with queries; B's rows are checked afterwards.
    const seconds = ((await waitForDelivered(a.session, pipe)) - start) / 1000;
    await waitForRows(probe, rows, a.session, pipe);
    report(`history ${connector.label}`, (rows * SERIES) / seconds, 'points/s');
    report(`history ${connector.label}`, mb / seconds, 'MB/s');
    report(`history ${connector.label} share of plain copy`, (100 * mb) / seconds / copyMbPerSecond, '%');
    report(
      `history ${connector.label} share of plain copy with reused buffers`,
      (100 * mb) / seconds / reusedCopyMbPerSecond,
      '%',
    );
    await notePipeProblems(a.session, pipe);
    await a.session.executeStatement(`drop pipe ${pipe}`);
    await b.release();
  }
}

async function realtime(a: TempNode): Promise<void> {
  for (const connector of CONNECTORS) {
    const pipe = `realtime_${connector.label}`;
    const b = await tempNode(`b-realtime-${connector.label}`);
    await a.session.executeStatement(
      createPipeSql(pipe, connector, b.node.port, { 'extractor.history.enable': 'false' }),
    );
    await a.session.executeStatement(`start pipe ${pipe}`);
    const source = new TabletSource(`root.realtime.${connector.label}`, WIDE, WIDE_STEP_MS);
    const probe = new ArrivalProbe(b.session, source.device, 's0', WIDE_STEP_MS);

    const start = now();
    const end = start + REALTIME_SECONDS * 1000;
    let failure: unknown = null;
    // A probe takes one poll at a time: the sampler is done before the polls after the window.
    const windowOver = new AbortController();
    const sampler = (async () => {
      while (!windowOver.signal.aborted) {
        await probe.poll();
        await sleep(REALTIME_SAMPLE_MS, undefined, { signal: windowOver.signal }).catch(() => {});
      }
    })().catch((error: unknown) => {
      failure = error;
    });
    const written = await writeWhile(a.session, source, () => failure === null && now() < end);
    const stopped = now();
    windowOver.abort();
    await sampler;
    if (failure !== null) throw failure;
    const delivered = await probe.poll();
    const window = (stopped - start) / 1000;
    const caughtUp = await waitForRows(probe, written, a.session, pipe);

    report(`realtime ${connector.label} ingest`, (written * SERIES) / window, 'points/s');
    report(`realtime ${connector.label} delivered`, (delivered * SERIES) / window, 'points/s');
    report(`realtime ${connector.label} catch-up`, (caughtUp - stopped) / 1000, 's');
    await notePipeProblems(a.session, pipe);
    await a.session.executeStatement(`drop pipe ${pipe}`);
    await b.release();
  }
}

/**
 * A tablet's lag is from its write acknowledged on A to the first poll of B that shows it
 * inside the complete prefix (see ArrivalProbe), stamped when that poll's answer arrives.
 * With the sync connector tablets arrive in order and this is the tablet's own arrival,
 * within a poll (LAG_POLL_MS plus a query's round trip). The async connector may deliver a
 * tablet before an earlier one: it then counts as visible only once everything before it
 * is, so its lag is overstated by the reordering, and when a gap follows the first tablet
 * a poll confirms that one tablet only, the next ones a poll later each. Reordering also
 * makes B's polls slower: a memtable series that received a tablet out of time order is
 * sorted again for every query after a write, so a poll's round trip (this lag's
 * resolution) grows with B's memtable.
 */
async function lag(a: TempNode): Promise<void> {
  for (const connector of CONNECTORS) {
    const pipe = `lag_${connector.label}`;
    const b = await tempNode(`b-lag-${connector.label}`, { pipe_receiver_apply_probe_file: probeFile });
    await a.session.executeStatement(
      createPipeSql(pipe, connector, b.node.port, { 'extractor.history.enable': 'false' }),
    );
    const { p50, p99, applied } = await measureLag(
      a,
      b,
      pipe,
      `root.lag.${connector.label}`,
      LAG_RATE,
      LAG_SECONDS,
      LAG_WARMUP_SECONDS,
    );
    report(`lag ${connector.label} p50`, p50, 'ms');
    report(`lag ${connector.label} p99`, p99, 'ms');
    if (applied !== null) {
      report(`lag ${connector.label} applied p50`, applied.p50, 'ms');
      report(`lag ${connector.label} applied p99`, applied.p99, 'ms');
    }
    await notePipeProblems(a.session, pipe);
    await a.session.executeStatement(`drop pipe ${pipe}`);
    await b.release();
  }
}

/** Starts `pipe` (created, not started) and measures its lag to B at `rate` points/s for `seconds`. */
async function measureLag(
  a: TempNode,
  b: TempNode,
  pipe: string,
  device: string,
  rate: number,
  seconds: number,
  warmupSeconds = 0,
): Promise<{ p50: number; p99: number; applied: { p50: number; p99: number } | null }> {
  const tablets = Math.max(1, Math.round((rate * seconds) / ROWS));
  const intervalMs = (1000 * ROWS) / rate;
  await a.session.executeStatement(`start pipe ${pipe}`);
  const source = new TabletSource(device, ['s'], LAG_STEP_MS);
  const probe = new ArrivalProbe(b.session, source.device, 's', LAG_STEP_MS);
  // A first tablet, not measured, opens the connection to B (the connector's handshake); then
  // warm-up seconds at the same rate, not measured, compile the path on both nodes.
  await a.session.insertTablet(source.next(), { sorted: true });
  await waitForRows(probe, ROWS, a.session, pipe);
  const warmupTablets = Math.round((rate * warmupSeconds) / ROWS);
  const warmupStart = now();
  for (let k = 0; k < warmupTablets; k++) {
    const wait = warmupStart + k * intervalMs - now();
    if (wait > 0) await sleep(wait);
    await a.session.insertTablet(source.next(), { sorted: true });
  }
  await waitForRows(probe, source.rows, a.session, pipe);
  const warm = source.rows;
  const ackedAt = new Float64Array(tablets);
  const ackedNs = new BigInt64Array(tablets);
  const visibleAt = new Float64Array(tablets);

  let failure: unknown = null;
  const watcher = (async () => {
    let confirmed = 0;
    let movedAt = now();
    while (confirmed < tablets) {
      const held = await probe.poll();
      const at = now();
      const before = confirmed;
      while (confirmed < tablets && warm + (confirmed + 1) * ROWS <= probe.prefixRows) visibleAt[confirmed++] = at;
      if (confirmed > before) movedAt = at;
      else if (at - movedAt > STALL_MS_MAX) throw await stalled(a.session, pipe, held, warm + tablets * ROWS);
      await sleep(LAG_POLL_MS);
    }
  })().catch((error: unknown) => {
    failure = error;
  });
  const start = now();
  for (let k = 0; k < tablets && failure === null; k++) {
    const wait = start + k * intervalMs - now();
    if (wait > 0) await sleep(wait);
    await a.session.insertTablet(source.next(), { sorted: true });
    ackedAt[k] = now();
    ackedNs[k] = process.hrtime.bigint();
  }
  await watcher;
  if (failure !== null) throw failure;

  const lags = Array.from(ackedAt, (acked, k) => visibleAt[k]! - acked);
  const appliedNs = readApplyProbe(join(b.dir, PROBE_FILE), device);
  let applied: { p50: number; p99: number } | null = null;
  if (appliedNs !== null) {
    const lastTime = (k: number) => TIME_BASE + BigInt(warm + (k + 1) * ROWS - 1) * LAG_STEP_MS;
    const appliedLags: number[] = [];
    ackedNs.forEach((acked, k) => {
      const at = appliedNs.get(lastTime(k));
      if (at !== undefined) appliedLags.push(Number(at - acked) / 1e6);
    });
    if (appliedLags.length < tablets) console.log(`# apply probe: ${appliedLags.length} of ${tablets} tablets stamped`);
    if (appliedLags.length > 0) applied = { p50: percentile(appliedLags, 0.5), p99: percentile(appliedLags, 0.99) };
  }
  return { p50: percentile(lags, 0.5), p99: percentile(lags, 0.99), applied };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/** The receiver's apply probe file, in B's folder. */
const PROBE_FILE = 'apply-probe.txt';
const probeFile = (dir: string): string => join(dir, PROBE_FILE);

/**
 * When B applied each tablet of `device` (by its last row time), from B's apply probe
 * (`pipe_receiver_apply_probe_file`): the first stamp of each, on the machine's monotonic
 * clock. Null when B kept no probe.
 */
function readApplyProbe(path: string, device: string): Map<bigint, bigint> | null {
  if (!existsSync(path)) return null;
  const applied = new Map<bigint, bigint>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [d, last, at] = line.split(' ');
    if (d !== device || last === undefined || at === undefined) continue;
    const time = BigInt(last);
    if (!applied.has(time)) applied.set(time, BigInt(at));
  }
  return applied;
}

/** Tablets of LINK_ROWS rows x SERIES series: INT64 counters and DOUBLE random walks in steps of 0.01. */
function* sensorTablets(device: string): Generator<Tablet> {
  const rand = mulberry32(17);
  const level = new Float64Array(SERIES);
  const dataTypes = WIDE.map((_, s) => (s % 2 === 0 ? DataType.INT64 : DataType.DOUBLE));
  for (let first = 0; ; first += LINK_ROWS) {
    const times = BigInt64Array.from({ length: LINK_ROWS }, (_, i) => TIME_BASE + BigInt(first + i) * WIDE_STEP_MS);
    const columns = dataTypes.map((t, s) => {
      if (t === DataType.INT64) return BigInt64Array.from({ length: LINK_ROWS }, (_, i) => BigInt(first + i));
      return Float64Array.from({ length: LINK_ROWS }, () => {
        level[s] = Math.round((level[s]! + (unit(rand) < 0.5 ? -0.01 : 0.01)) * 100) / 100;
        return level[s]!;
      });
    });
    yield {
      device,
      aligned: false,
      measurements: WIDE,
      dataTypes,
      times,
      columns,
      nulls: WIDE.map(() => null),
      rowCount: LINK_ROWS,
    };
  }
}

const LINK_VARIANTS: readonly { label: string; sink: [string, string][] }[] = [
  { label: 'plain', sink: [['sink.batch.enable', 'false']] },
  { label: 'batch', sink: [] },
  { label: 'batch+lz4', sink: [['sink.compressor', 'lz4']] },
  { label: 'batch+zstd', sink: [['sink.compressor', 'zstd']] },
];

async function link(a: TempNode): Promise<void> {
  const sync = CONNECTORS[0];
  console.log(
    `# link: ${LINK_SHAPE.bytesPerSecond / 1e6} MB/s and ${LINK_SHAPE.delayMs} ms each way; sync connector; ` +
      `offered ${LINK_OFFERED_RATE} points/s in tablets of ${LINK_ROWS} rows x ${SERIES} series`,
  );
  for (const variant of LINK_VARIANTS) {
    const key = variant.label.replace('+', '_');
    const b = await tempNode(`b-link-${key}`);
    const shaped = await ShapedLink.open(b.node.port, LINK_SHAPE);
    const releaseLink = hold(() => shaped.close());
    const pipe = `link_${key}`;
    const device = `root.link.${key}`;
    await a.session.executeStatement(
      createPipeSql(pipe, sync, shaped.port, { 'extractor.history.enable': 'false' }, variant.sink),
    );
    await a.session.executeStatement(`start pipe ${pipe}`);
    const tablets = sensorTablets(device);
    const intervalMs = (1000 * LINK_ROWS * SERIES) / LINK_OFFERED_RATE;
    const start = now();
    const bytesAtStart = shaped.bytesUp;
    for (let k = 0; now() < start + LINK_SECONDS * 1000; k++) {
      const wait = start + k * intervalMs - now();
      if (wait > 0) await sleep(wait);
      await a.session.insertTablet(tablets.next().value as Tablet, { sorted: true });
    }
    const window = (now() - start) / 1000;
    const bytes = shaped.bytesUp - bytesAtStart;
    const { blocks } = await b.session.query(`select count(s0) from ${device}`);
    const block = blocks.find((x) => x.rowCount > 0);
    const delivered =
      (block === undefined || block.columns.length === 0 ? 0 : Number(cellText(block, 0, 0) || '0')) * SERIES;
    report(`link ${variant.label} sustained`, delivered / window, 'points/s');
    report(`link ${variant.label} wire`, delivered === 0 ? 0 : bytes / delivered, 'bytes/point');
    await a.session.executeStatement(`drop pipe ${pipe}`);

    const lagPipe = `${pipe}_lag`;
    await a.session.executeStatement(
      createPipeSql(
        lagPipe,
        sync,
        shaped.port,
        { 'extractor.history.enable': 'false', 'extractor.pattern': `${device}_lag` },
        variant.sink,
      ),
    );
    const { p50, p99 } = await measureLag(a, b, lagPipe, `${device}_lag`, LINK_LAG_RATE, LINK_SECONDS);
    report(`link ${variant.label} lag p50`, p50, 'ms');
    report(`link ${variant.label} lag p99`, p99, 'ms');
    await notePipeProblems(a.session, lagPipe);
    await a.session.executeStatement(`drop pipe ${lagPipe}`);
    await releaseLink();
    await b.release();
  }
}

// ------------------------------------------------------------------ main

function printMachine(): void {
  const cpu = cpus();
  const memory = (totalmem() / 2 ** 30).toFixed(1);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `# machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, ${memory} GiB, ` +
      `Node.js ${process.versions.node}, ${platform()} ${arch()}, load average ${load}`,
  );
}

/** What Prometheus would do: read A's metrics once a second while the bench runs. */
function scrapeEverySecond(port: number): void {
  const timer = setInterval(() => {
    fetch(`http://127.0.0.1:${port}/metrics`)
      .then((res) => res.text())
      .catch(() => {});
  }, 1000);
  hold(async () => clearInterval(timer));
  console.log(`# metrics on: A serves /metrics on ${port}, read every second`);
}

/**
 * Realtime through IoTDB's tumbling-time-sampling-processor at one point per series per
 * SAMPLING_INTERVAL_SECONDS of 1-second data: A's ingest as fast as one session writes, the
 * time A needs after the writes stop to have delivered everything (catch-up: near 0 when
 * the pipe kept up), and the rows B holds against the rows expected.
 */
async function sampling(a: TempNode): Promise<void> {
  const connector = CONNECTORS[0]!;
  const pipe = 'sampling';
  const b = await tempNode('b-sampling');
  const processor = ` with processor ('processor'='tumbling-time-sampling-processor', 'processor.tumbling-time.interval-seconds'='${SAMPLING_INTERVAL_SECONDS}') with connector`;
  await a.session.executeStatement(
    createPipeSql(pipe, connector, b.node.port, { 'extractor.history.enable': 'false' }).replace(
      ' with connector',
      processor,
    ),
  );
  await a.session.executeStatement(`start pipe ${pipe}`);
  const source = new TabletSource('root.sampling.d', WIDE, WIDE_STEP_MS);
  const start = now();
  const end = start + REALTIME_SECONDS * 1000;
  const written = await writeWhile(a.session, source, () => now() < end);
  const stopped = now();
  const delivered = await waitForDelivered(a.session, pipe);
  const { blocks } = await b.session.query('select count(s0) from root.sampling.d');
  const rowsOnB = Number(cellText(blocks.find((x) => x.rowCount > 0)!, 0, 0));
  report(`sampling ${connector.label} ingest`, (written * SERIES) / ((stopped - start) / 1000), 'points/s');
  report(`sampling ${connector.label} catch-up`, (delivered - stopped) / 1000, 's');
  report(`sampling ${connector.label} rows on B`, rowsOnB, 'rows');
  report(`sampling ${connector.label} rows expected`, Math.ceil(written / SAMPLING_INTERVAL_SECONDS), 'rows');
  await notePipeProblems(a.session, pipe);
  await a.session.executeStatement(`drop pipe ${pipe}`);
  await b.release();
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`# ${signal}: stopping the nodes`);
      void stopAllNodes('SIGKILL')
        .then(releaseAll)
        .finally(() => process.exit(130));
    });
  }
  printMachine();
  try {
    const metricsPort = await freePort();
    const a = await tempNode(
      'a',
      METRICS
        ? { metric_reporter_list: () => 'PROMETHEUS', metric_prometheus_reporter_port: () => String(metricsPort) }
        : {},
    );
    if (METRICS) scrapeEverySecond(metricsPort);
    if (SECTIONS.includes('history')) await history(a);
    if (SECTIONS.includes('realtime')) await realtime(a);
    if (SECTIONS.includes('lag')) await lag(a);
    if (SECTIONS.includes('link')) await link(a);
    if (SECTIONS.includes('sampling')) await sampling(a);
  } finally {
    // Nodes first: a session's goodbye to a node that hangs would wait.
    await stopAllNodes('SIGKILL');
    await releaseAll();
  }
}

if (process.argv[2] === 'copy-receiver') receiveCopy(process.argv[3]!);
else await main();
