import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { DataType } from '../../tsfile/data-type.js';
import { startTestNode } from '../server/node-harness.js';
import { freePort, type NodeProcess, spawnNode, waitForOutput } from '../server/node-processes.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-pipe-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startProcess(port: number, data: string): Promise<NodeProcess> {
  const running = spawnNode(['--port', String(port), '--data', data], process.cwd(), (kill) => cleanups.push(kill));
  await waitForOutput(running, 'listening on');
  return running;
}

/** count, sum, min and max of root.db.d.s on a node, as text. */
async function summary(port: number): Promise<string> {
  const s = await Session.open({ port });
  try {
    const { blocks } = await s.query('select count(s), sum(s), min_value(s), max_value(s) from root.db.d');
    if (blocks.length === 0) return 'empty';
    return blocks[0]!.columns.map((c) => String((c.values as ArrayLike<unknown>)[0])).join(' ');
  } finally {
    await s.close();
  }
}

describe('pipes between real node processes', () => {
  it('runs the quick start script: nodes on two ports, a2b, the point shows on B', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/run-ts.js', 'scripts/quickstart.ts'], {
      env: {
        ...process.env,
        QUICKSTART_PORT_A: String(portA),
        QUICKSTART_PORT_B: String(portB),
        QUICKSTART_DIR: tempDir(),
      },
      timeout: 60_000,
    });
    expect(stdout).toContain("A> create pipe a2b with connector ('connector'='iotdb-thrift-connector'");
    expect(stdout).toMatch(/\|\s*Time\s*\|\s*root\.db\.d\.m\s*\|/);
    expect(stdout).toMatch(/\|\s*1970-01-01T\S+\|\s*1\.0\s*\|/);
    expect(stdout).toContain('Total line number = 1');
  }, 90_000);

  it('delivers everything when the receiver is killed with SIGKILL in the middle of a file', async () => {
    const dir = tempDir();
    const a = await startTestNode();
    cleanups.push(() => a.close());
    const session = await Session.open({ port: a.port });
    cleanups.push(() => session.close());
    // Random values keep the TsFile large, so it travels in several pieces.
    const rows = 50_000;
    for (let k = 0; k < 40; k++) {
      const times = BigInt64Array.from({ length: rows }, (_, i) => BigInt(k * rows + i));
      const values = BigInt64Array.from({ length: rows }, () => BigInt(Math.floor(Math.random() * 2 ** 20)));
      await session.insertTablet({
        device: 'root.db.d',
        measurements: ['s'],
        dataTypes: [DataType.INT64],
        times,
        columns: [values],
        nulls: [null],
        rowCount: rows,
        aligned: false,
      });
    }
    const expected = await summary(a.port);

    const portB = await freePort();
    const dataB = join(dir, 'b');
    const first = await startProcess(portB, dataB);
    await session.executeStatement(
      `create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${portB}')`,
    );
    await session.executeStatement('start pipe a2b');
    const staging = join(dataB, 'system', 'pipe-receiver');
    const staged = () => existsSync(staging) && readdirSync(staging).some((f) => statSync(join(staging, f)).size > 0);
    for (let i = 0; i < 600 && !staged(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(staged()).toBe(true);
    first.child.kill('SIGKILL');
    await first.exited;

    await new Promise((r) => setTimeout(r, 300));
    await startProcess(portB, dataB);
    const until = Date.now() + 60_000;
    while (Date.now() < until && (await summary(portB)) !== expected) await new Promise((r) => setTimeout(r, 250));
    expect(await summary(portB)).toBe(expected);
    const { blocks } = await session.query('show pipe a2b');
    expect(new TextDecoder().decode((blocks[0]!.columns[2]!.values as Uint8Array[])[0])).toBe('RUNNING');
  }, 120_000);

  it('loses nothing over an async transfer while the receiver is killed and restarted 10 times', async () => {
    const dir = tempDir();
    const a = await startTestNode();
    cleanups.push(() => a.close());
    const session = await Session.open({ port: a.port });
    cleanups.push(() => session.close());
    const portB = await freePort();
    const dataB = join(dir, 'b');
    let receiver = await startProcess(portB, dataB);
    await session.executeStatement(
      `create pipe a2b with connector ('connector'='iotdb-thrift-async-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${portB}')`,
    );
    await session.executeStatement('start pipe a2b');
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const times = BigInt64Array.from({ length: 2000 }, (_, i) => BigInt(written + i));
        await session.insertTablet({
          device: 'root.db.d',
          measurements: ['s'],
          dataTypes: [DataType.INT64],
          times,
          columns: [times.map((t) => t % 1000n)],
          nulls: [null],
          rowCount: 2000,
          aligned: false,
        });
        written += 2000;
        if (written % 40_000 === 0) await session.executeStatement('flush');
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    for (let round = 0; round < 10; round++) {
      await new Promise((r) => setTimeout(r, 200));
      receiver.child.kill('SIGKILL');
      await receiver.exited;
      receiver = await startProcess(portB, dataB);
    }
    writing = false;
    await writer;
    const expected = await summary(a.port);
    const until = Date.now() + 60_000;
    while (Date.now() < until && (await summary(portB)) !== expected) await new Promise((r) => setTimeout(r, 250));
    expect(await summary(portB)).toBe(expected);
  }, 150_000);
});
