import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import thrift from 'thrift';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientRpcClient } from '../../protocol/rpc-types.js';
import { ClientRpcService, TBinaryProtocol, TFramedTransport } from '../../protocol/rpc-types.js';
import { encodeTablet } from '../../protocol/tablet-codec.js';
import { decodeTsBlock } from '../../protocol/tsblock-codec.js';
import { DataType } from '../../tsfile/data-type.js';
import { freePort, type NodeProcess, spawnNode, waitForOutput } from './node-processes.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-proc-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function start(args: string[], cwd: string): NodeProcess {
  return spawnNode(args, cwd, (kill) => cleanups.push(kill));
}

async function client(port: number): Promise<{ rpc: ClientRpcClient; sessionId: number; end: () => void }> {
  const connection = thrift.createConnection('127.0.0.1', port, {
    transport: TFramedTransport,
    protocol: TBinaryProtocol,
  });
  connection.on('error', () => {});
  await new Promise<void>((resolve) => connection.once('connect', () => resolve()));
  const rpc: ClientRpcClient = thrift.createClient(ClientRpcService.Client, connection);
  const open = await rpc.openSession({ client_protocol: 2, zoneId: 'UTC', username: 'root', password: 'root' });
  return { rpc, sessionId: Number(open.sessionId), end: () => connection.end() };
}

function rows(n: number, from: number) {
  const times = new BigInt64Array(n).map((_, i) => BigInt(from + i));
  return encodeTablet({
    device: 'root.sg.d1',
    measurements: ['s1'],
    dataTypes: [DataType.INT64],
    times,
    columns: [times.slice()],
    nulls: [null],
    rowCount: n,
    aligned: false,
  });
}

async function count(port: number): Promise<bigint> {
  const c = await client(port);
  const r = await c.rpc.executeQueryStatementV2({
    sessionId: c.sessionId,
    statement: 'select count(s1) from root.sg.d1',
    statementId: 0,
    fetchSize: 10,
  });
  c.end();
  return (decodeTsBlock(r.queryResult![0]!).columns[0]!.values as BigInt64Array)[0]!;
}

describe('iotdb-lite start (real processes)', () => {
  it('keeps every acknowledged write through kill -9 (default ASYNC WAL) and flushes on SIGTERM', async () => {
    const dir = tempDir();
    const port = await freePort();
    const args = ['--port', String(port), '--data', join(dir, 'data')];
    const first = start(args, dir);
    await waitForOutput(first, 'listening on');
    expect(first.output()).toContain(`127.0.0.1:${port}`);
    expect(first.output()).toContain(join(dir, 'data'));
    const c = await client(port);
    let acknowledged = 0;
    for (let i = 0; i < 50; i++) {
      const status = await c.rpc.insertTablet({ sessionId: c.sessionId, ...rows(100, i * 100) });
      expect(status.code).toBe(200);
      acknowledged += 100;
    }
    first.child.kill('SIGKILL');
    await first.exited;

    const second = start(args, dir);
    await waitForOutput(second, 'listening on');
    expect(await count(port)).toBe(BigInt(acknowledged));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('SIGTERM received: flushing memtables');

    const third = start(args, dir);
    await waitForOutput(third, 'listening on');
    expect(await count(port)).toBe(BigInt(acknowledged));
    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
  }, 60_000);

  it('exits 1 with a clear message when the port is taken or the folder is not writable', async () => {
    const dir = tempDir();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => blocker.close());
    const port = (blocker.address() as net.AddressInfo).port;
    const taken = start(['--port', String(port), '--data', join(dir, 'a')], dir);
    expect(await taken.exited).toBe(1);
    expect(taken.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);

    writeFileSync(join(dir, 'plain-file'), 'x');
    const unwritable = start(['--port', String(await freePort()), '--data', join(dir, 'plain-file', 'data')], dir);
    expect(await unwritable.exited).toBe(1);
    expect(unwritable.output()).toMatch(/data folder .* is not writable \(ENOTDIR\)/);

    const badSetting = start(['--port', '70000'], dir);
    expect(await badSetting.exited).toBe(1);
    expect(badSetting.output()).toContain('rpc_port must be an integer in [1, 65535]');
  }, 60_000);
});
