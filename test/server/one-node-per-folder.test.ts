import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { DataType } from '../../tsfile/data-type.js';
import { rows } from '../pipe/pipe-test-kit.js';
import { freePort, type NodeProcess, spawnNode, waitForOutput } from './node-processes.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-lock-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function start(args: string[], cwd: string): NodeProcess {
  return spawnNode(args, cwd, (kill) => cleanups.push(kill));
}

/** Every file under `dir` with the hash of its bytes. */
function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

async function writeSome(port: number, from: number): Promise<void> {
  const session = await Session.open({ host: '127.0.0.1', port });
  await session.insertRecord({
    device: 'root.sg.d1',
    time: from,
    measurements: ['s1'],
    dataTypes: [DataType.INT64],
    values: [BigInt(from)],
  });
  await session.close();
}

describe('one node per data folder (real processes)', () => {
  it('refuses a second start on a folder in use, naming the pid, and leaves every file as it was', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const wal = join(dir, 'wal');
    const port = await freePort();
    const first = start(['--port', String(port), '--data', data, '--wal', wal], dir);
    await waitForOutput(first, 'listening on');
    await writeSome(port, 1);
    const before = new Map([...hashes(data), ...hashes(wal)]);

    // Same folders, another port: refused before anything in them is read.
    const second = start(['--port', String(await freePort()), '--data', data, '--wal', wal], dir);
    expect(await second.exited).toBe(1);
    const line = second.output().trim();
    expect(line).toBe(`iotdb-lite: folder ${data} is in use by another node (pid ${first.child.pid})`);
    expect(new Map([...hashes(data), ...hashes(wal)])).toEqual(before);

    // Only the WAL folder shared: refused as well.
    const third = start(['--port', String(await freePort()), '--data', join(dir, 'other'), '--wal', wal], dir);
    expect(await third.exited).toBe(1);
    expect(third.output()).toContain(`folder ${wal} is in use by another node (pid ${first.child.pid})`);
    expect(new Map([...hashes(data), ...hashes(wal)])).toEqual(before);
  }, 60_000);

  it('takes over the folder of a node killed with kill -9, its data intact', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const port = await freePort();
    const first = start(['--port', String(port), '--data', data, '--wal-mode', 'SYNC'], dir);
    await waitForOutput(first, 'listening on');
    await writeSome(port, 7);
    first.child.kill('SIGKILL');
    await first.exited;
    // The pid file names a process that is gone; the lock itself died with it.
    expect(readFileSync(join(data, '.iotdb-lite.pid'), 'utf8').trim()).toBe(String(first.child.pid));

    const again = start(['--port', String(port), '--data', data], dir);
    await waitForOutput(again, 'listening on');
    const session = await Session.open({ host: '127.0.0.1', port });
    const found = await rows(session, 'select s1 from root.sg.d1');
    await session.close();
    expect(found).toEqual([['7', '7']]);
  }, 60_000);

  it('refuses a start whose port is in use before it opens the engine', async () => {
    const dir = tempDir();
    const port = await freePort();
    const first = start(['--port', String(port), '--data', join(dir, 'a')], dir);
    await waitForOutput(first, 'listening on');
    const second = start(['--port', String(port), '--data', join(dir, 'b')], dir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    // The refused node did not replay or create anything beyond its lock.
    expect(readdirSync(join(dir, 'b')).sort()).toEqual(['.iotdb-lite.lock']);
  }, 60_000);
});
