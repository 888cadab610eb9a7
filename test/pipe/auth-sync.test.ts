import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { IoTDBError } from '../../protocol/client/iotdb-error.js';
import { Session } from '../../protocol/client/session.js';
import { freePort, type NodeProcess, spawnNode } from '../server/node-processes.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Site {
  readonly port: number;
  readonly data: string;
  running: NodeProcess;
}

function launch(port: number, data: string): NodeProcess {
  return spawnNode(['--port', String(port), '--data', data], process.cwd(), (kill) => cleanups.push(kill));
}

async function startSite(dir: string, name: string): Promise<Site> {
  const port = await freePort();
  const data = join(dir, name);
  const running = launch(port, data);
  await listening(running);
  return { port, data, running };
}

/** Waits for the node to serve: a start (a WAL replay after a kill) takes long on a busy machine. */
async function listening(running: NodeProcess): Promise<void> {
  await until(
    'the node listens',
    async () => running.output().includes('listening on') || running.child.exitCode !== null,
  );
  expect(running.output()).toContain('listening on');
}

/** Kills the node with SIGKILL and starts it again on its folder and port. */
async function killAndRestart(site: Site): Promise<void> {
  site.running.child.kill('SIGKILL');
  await site.running.exited;
  site.running = launch(site.port, site.data);
  await listening(site.running);
}

/** A relay in front of `port` that keeps every byte a client sends through it. */
async function recordingRelay(port: number): Promise<{ port: number; sent: () => Buffer }> {
  const chunks: Buffer[] = [];
  const sockets = new Set<{ destroy(): void }>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port });
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  return { port: address.port, sent: () => Buffer.concat(chunks) };
}

async function sql(site: Site, statement: string, user = 'root', password = 'root'): Promise<void> {
  const s = await Session.open({ port: site.port, user, password });
  try {
    await s.executeStatement(statement);
  } finally {
    await s.close();
  }
}

/** The status code a statement run as `user` ends with (200 when it succeeds, 801 when the login fails). */
async function outcome(site: Site, user: string, password: string, statement: string): Promise<number> {
  let s: Session;
  try {
    s = await Session.open({ port: site.port, user, password });
  } catch (error) {
    if (error instanceof IoTDBError) return error.code;
    throw error;
  }
  try {
    await s.executeStatement(statement);
    return 200;
  } catch (error) {
    if (error instanceof IoTDBError) return error.code;
    throw error;
  } finally {
    await s.close();
  }
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function storedHash(site: Site, user: string): string | undefined {
  const db = new Database(join(site.data, 'system', 'users.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT password FROM users WHERE name = ?').get(user) as { password: string } | undefined)
      ?.password;
  } finally {
    db.close();
  }
}

const insertDb = 'insert into root.db.d(time, s) values (1, 1)';
const insertOther = 'insert into root.other.d(time, s) values (1, 1)';

describe('auth sync between real nodes', () => {
  it('a user created and granted on A logs in on B with the same password and privileges; changes, revokes and drops follow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-auth-sync-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const [a, b] = await Promise.all([startSite(dir, 'a'), startSite(dir, 'b')]);
    const relay = await recordingRelay(b.port);

    // Before the pipe: history.
    await sql(a, "create user alice 'alice-pw-1'");
    await sql(a, 'grant WRITE on root.db.** to user alice');
    await sql(
      a,
      `create pipe a2b with source ('source.inclusion'='auth') with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${relay.port}')`,
    );
    await sql(a, 'start pipe a2b');
    // The user lands first, its grant right after.
    await until('alice writes root.db on B', async () => (await outcome(b, 'alice', 'alice-pw-1', insertDb)) === 200);
    expect(await outcome(b, 'alice', 'alice-pw-1', insertOther)).toBe(803);
    expect(await outcome(b, 'alice', 'wrong-pw-1', 'show version')).toBe(801);

    // While the pipe runs: realtime.
    await sql(a, "create user bob1 'bob-pw-1'");
    await sql(a, 'grant WRITE_DATA, WRITE_SCHEMA on root.other.** to user bob1');
    await until('bob1 writes root.other on B', async () => (await outcome(b, 'bob1', 'bob-pw-1', insertOther)) === 200);
    expect(await outcome(b, 'bob1', 'bob-pw-1', insertDb)).toBe(803);

    await sql(a, 'revoke WRITE_DATA on root.db.** from user alice');
    await until('the revoke reaches B', async () => (await outcome(b, 'alice', 'alice-pw-1', insertDb)) === 803);

    await sql(a, "alter user bob1 set password 'bob-pw-2'");
    await until(
      'the new password works on B',
      async () => (await outcome(b, 'bob1', 'bob-pw-2', 'show version')) === 200,
    );
    expect(await outcome(b, 'bob1', 'bob-pw-1', 'show version')).toBe(801);

    await sql(a, 'drop user alice');
    await until('the drop reaches B', async () => (await outcome(b, 'alice', 'alice-pw-1', 'show version')) === 801);

    // The passwords crossed the wire as A's hashes, never as typed.
    const wire = relay.sent();
    const bobHash = storedHash(a, 'bob1')!;
    expect(storedHash(b, 'bob1')).toBe(bobHash);
    expect(wire.includes(Buffer.from(bobHash))).toBe(true);
    for (const typed of ['alice-pw-1', 'bob-pw-1', 'bob-pw-2']) expect(wire.includes(Buffer.from(typed))).toBe(false);

    // A drop made while the pipe is stopped arrives when it starts again.
    await sql(a, 'stop pipe a2b');
    await sql(a, 'drop user bob1');
    await sql(a, 'start pipe a2b');
    await until('the drop made while stopped reaches B', async () => storedHash(b, 'bob1') === undefined);

    // A killed and started again resumes after the last change B applied: the next one arrives, alone.
    await sql(a, "create user carol 'carol-pw-1'");
    await until('carol reaches B', async () => storedHash(b, 'carol') !== undefined);
    await killAndRestart(a);
    await sql(a, "create user dave1 'dave-pw-1'");
    await until('dave1 reaches B after the restart', async () => storedHash(b, 'dave1') !== undefined);
    expect(storedHash(b, 'carol')).toBe(storedHash(a, 'carol'));
    expect(storedHash(b, 'bob1')).toBeUndefined();
  }, 180_000);
});
