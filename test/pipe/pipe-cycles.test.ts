import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { DataType } from '../../tsfile/data-type.js';
import { freePort, type NodeProcess, spawnNode, waitForOutput } from '../server/node-processes.js';
import { rows } from './pipe-test-kit.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-cycle-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A node process with its port and data folder, restartable. */
interface Site {
  readonly name: string;
  readonly port: number;
  readonly data: string;
  running: NodeProcess;
}

async function startSite(name: string, dir: string): Promise<Site> {
  const port = await freePort();
  const data = join(dir, name);
  return { name, port, data, running: await launch(port, data) };
}

async function launch(port: number, data: string): Promise<NodeProcess> {
  const running = spawnNode(['--port', String(port), '--data', data], process.cwd(), (kill) => cleanups.push(kill));
  await waitForOutput(running, 'listening on');
  return running;
}

async function session(site: Site): Promise<Session> {
  const s = await Session.open({ port: site.port });
  cleanups.push(() => s.close().catch(() => {}));
  return s;
}

async function sql(site: Site, statement: string): Promise<void> {
  const s = await Session.open({ port: site.port });
  try {
    await s.executeStatement(statement);
  } finally {
    await s.close();
  }
}

async function pipe(from: Site, to: Site, extra = ''): Promise<void> {
  const name = `${from.name}2${to.name}`;
  await sql(
    from,
    `create pipe ${name} with source ('source.pattern'='root.db'${extra}) with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${to.port}')`,
  );
  await sql(from, `start pipe ${name}`);
}

function insert(s: Session, device: string, times: number[], base: number): Promise<void> {
  return s.insertTablet({
    device,
    measurements: ['s'],
    dataTypes: [DataType.INT64],
    times: BigInt64Array.from(times, BigInt),
    columns: [BigInt64Array.from(times, (t) => BigInt(base + t))],
    nulls: [null],
    rowCount: times.length,
    aligned: false,
  });
}

/** Every row of every series under root.db, as text. */
async function contents(site: Site): Promise<string> {
  const s = await Session.open({ port: site.port });
  try {
    return JSON.stringify(await rows(s, 'select * from root.db.** align by device'));
  } finally {
    await s.close();
  }
}

/** Files and bytes under a node's data folder. */
function footprint(dir: string): string {
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return `${files} files, ${bytes} bytes`;
}

async function settledEqual(sites: readonly Site[], ms = 60_000): Promise<string> {
  const until = Date.now() + ms;
  let all: string[] = [];
  while (Date.now() < until) {
    all = await Promise.all(sites.map(contents));
    if (all.every((c) => c === all[0])) return all[0]!;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the sites never became equal: ${all.map((c) => c.length).join(' / ')} characters`);
}

/** The data folders do not change over 5 s: no event still goes round. */
async function expectIdle(sites: readonly Site[]): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000));
  const before = sites.map((s) => footprint(join(s.data, 'data')));
  await new Promise((r) => setTimeout(r, 5000));
  expect(sites.map((s) => footprint(join(s.data, 'data')))).toEqual(before);
}

describe('pipes in a cycle, with default settings', () => {
  it('A <-> B with writers on both sides, history on both, and B killed with SIGKILL in the middle: ends equal and idle', async () => {
    const dir = tempDir();
    const a = await startSite('a', dir);
    let b = await startSite('b', dir);
    const sa = await session(a);
    let sb = await session(b);
    // History on both sides before the pipes exist, some in sealed files.
    await insert(sa, 'root.db.onlya', [1, 2, 3], 100);
    await insert(sb, 'root.db.onlyb', [1, 2, 3], 200);
    await sa.executeStatement('flush');
    await sb.executeStatement('flush');
    await insert(sa, 'root.db.shared', [0, 2], 1000);
    await insert(sb, 'root.db.shared', [1, 3], 2000);
    await pipe(a, b);
    await pipe(b, a);

    // Writers at once: their own series, and the same series at different times.
    let written = 0;
    const write = async (rounds: number) => {
      for (let k = 0; k < rounds; k++, written++) {
        const t = 10 + written * 20;
        const evens = Array.from({ length: 10 }, (_, i) => t + 2 * i);
        await Promise.all([
          insert(sa, 'root.db.shared', evens, 1000),
          insert(
            sb,
            'root.db.shared',
            evens.map((x) => x + 1),
            2000,
          ),
          insert(sa, 'root.db.onlya', [t], 100),
          insert(sb, 'root.db.onlyb', [t], 200),
        ]);
        if (k % 10 === 5) await Promise.all([sa.executeStatement('flush'), sb.executeStatement('flush')]);
      }
    };
    await write(30);
    b.running.child.kill('SIGKILL');
    await b.running.exited;
    b = { ...b, running: await launch(b.port, b.data) };
    sb = await session(b);
    await write(30);

    const final = await settledEqual([a, b]);
    expect(final).toContain('root.db.onlya');
    expect(final).toContain('root.db.onlyb');
    const shared = await rows(sa, 'select count(s) from root.db.shared');
    // 2 + 2 history points, then 60 rounds of 10 even and 10 odd times.
    expect(shared).toEqual([['0', String(4 + 60 * 20)]]);
    await expectIdle([a, b]);
  }, 180_000);

  it('A -> B -> C -> A with writers on A and C, and restarts of B: ends equal and idle', async () => {
    const dir = tempDir();
    const a = await startSite('a', dir);
    let b = await startSite('b', dir);
    const c = await startSite('c', dir);
    const sa = await session(a);
    const sc = await session(c);
    await insert(sa, 'root.db.x', [1, 2], 10);
    await sa.executeStatement('flush');
    await pipe(a, b);
    await pipe(b, c);
    await pipe(c, a);
    for (let k = 0; k < 20; k++) {
      await insert(sa, 'root.db.x', [100 + k], 10);
      await insert(sc, 'root.db.y', [100 + k], 20);
      if (k === 10) {
        await sql(b, 'flush');
        b.running.child.kill('SIGKILL');
        await b.running.exited;
        b = { ...b, running: await launch(b.port, b.data) };
      }
    }
    const final = await settledEqual([a, b, c]);
    expect(final).toContain('root.db.x');
    expect(final).toContain('root.db.y');
    const s = await session(b);
    expect(await rows(s, 'select count(s) from root.db.x')).toEqual([['0', '22']]);
    expect(await rows(s, 'select count(s) from root.db.y')).toEqual([['0', '20']]);
    await expectIdle([a, b, c]);
  }, 180_000);
});
