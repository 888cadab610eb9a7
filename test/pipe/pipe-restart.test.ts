import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { DataType } from '../../tsfile/data-type.js';
import { startTestNode, type TestNode } from '../server/node-harness.js';
import { freePort, type NodeProcess, spawnNode, waitForOutput } from '../server/node-processes.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startProcess(port: number, data: string): Promise<NodeProcess> {
  const running = spawnNode(['--port', String(port), '--data', data], process.cwd(), (kill) => cleanups.push(kill));
  await waitForOutput(running, 'listening on');
  return running;
}

async function count(port: number): Promise<bigint> {
  const s = await Session.open({ port });
  try {
    const { blocks } = await s.query('select count(s) from root.db.d');
    return blocks.length === 0 ? 0n : (blocks[0]!.columns[0]!.values as BigInt64Array)[0]!;
  } finally {
    await s.close();
  }
}

describe('a pipe whose sender is killed', () => {
  it('resumes after kill -9 and a restart: B ends with all of A’s points, the pipe RUNNING', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-pipe-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const b: TestNode = await startTestNode();
    cleanups.push(() => b.close());
    const portA = await freePort();
    const first = await startProcess(portA, join(dir, 'a'));
    const a = await Session.open({ port: portA });
    await a.executeStatement(
      `create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${b.port}')`,
    );
    await a.executeStatement('start pipe a2b');
    let written = 0;
    for (let k = 0; k < 40; k++) {
      const times = BigInt64Array.from({ length: 500 }, (_, i) => BigInt(written + i));
      await a.insertTablet({
        device: 'root.db.d',
        measurements: ['s'],
        dataTypes: [DataType.INT64],
        times,
        columns: [times.slice()],
        nulls: [null],
        rowCount: 500,
        aligned: false,
      });
      written += 500;
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const delivered = await count(b.port);
    expect(delivered).toBeLessThanOrEqual(BigInt(written));

    await startProcess(portA, join(dir, 'a'));
    const until = Date.now() + 20_000;
    while (Date.now() < until && (await count(b.port)) < BigInt(written)) await new Promise((r) => setTimeout(r, 200));
    expect(await count(b.port)).toBe(BigInt(written));
    const again = await Session.open({ port: portA });
    const { blocks } = await again.query('show pipe a2b');
    expect(new TextDecoder().decode((blocks[0]!.columns[2]!.values as Uint8Array[])[0])).toBe('RUNNING');
    await again.close();
  }, 60_000);
});
