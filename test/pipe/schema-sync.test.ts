import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { freePort, type NodeProcess, spawnNode, waitForOutput } from '../server/node-processes.js';
import { eventually, rows } from './pipe-test-kit.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A node process on its own port and folder, restartable; `strict` ones create no schema by themselves. */
interface Site {
  readonly port: number;
  readonly args: string[];
  running: NodeProcess;
  session: Session;
}

async function startSite(dir: string, name: string, strict: boolean): Promise<Site> {
  const port = await freePort();
  const args = ['--port', String(port), '--data', join(dir, name)];
  if (strict) {
    const config = join(dir, `${name}.properties`);
    writeFileSync(config, 'enable_auto_create_schema=false\n');
    args.push('--config', config);
  }
  const running = await launch(args);
  return { port, args, running, session: await open(port) };
}

async function launch(args: readonly string[]): Promise<NodeProcess> {
  const running = spawnNode(args, process.cwd(), (kill) => cleanups.push(kill));
  await waitForOutput(running, 'listening on');
  return running;
}

async function open(port: number): Promise<Session> {
  const s = await Session.open({ port });
  cleanups.push(() => s.close().catch(() => {}));
  return s;
}

/** Stops the process (SIGTERM, waiting for it to end) and starts it again on the same folder and port. */
async function restart(site: Site): Promise<void> {
  await site.session.close().catch(() => {});
  site.running.child.kill('SIGTERM');
  await site.running.exited;
  site.running = await launch(site.args);
  site.session = await open(site.port);
}

/** SHOW TIMESERIES as Timeseries, Alias, Database, DataType, Encoding, Compression, Tags, Attributes. */
async function series(s: Session, pattern = 'root.**'): Promise<string[][]> {
  return (await rows(s, `show timeseries ${pattern}`)).map((r) => r.slice(1, 9));
}

async function same(a: Session, b: Session, sql: string, what: string): Promise<void> {
  const want = JSON.stringify(await rows(a, sql));
  await eventually(async () => JSON.stringify(await rows(b, sql).catch(() => [])) === want, what, 60_000);
}

function sinkTo(site: Site, extra = ''): string {
  return `with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${site.port}'${extra})`;
}

describe('schema sync (real processes, receivers with enable_auto_create_schema=false)', () => {
  it('brings databases and series with their encodings, compressions, aliases, tags, attributes and alignment before their data, then their drops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-schema-sync-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const a = await startSite(dir, 'a', false);
    const b = await startSite(dir, 'b', true);
    const c = await startSite(dir, 'c', true);

    for (const sql of [
      'create database root.sg',
      'create database root.old',
      'create timeseries root.sg.d.speed(v) with datatype=DOUBLE, encoding=GORILLA, compressor=ZSTD tags(unit=kmh) attributes(owner=ops)',
      'create timeseries root.sg.d.state with datatype=BOOLEAN, encoding=RLE, compressor=UNCOMPRESSED',
      'create aligned timeseries root.sg.al(x INT32 encoding=TS_2DIFF compressor=SNAPPY, y TEXT encoding=DICTIONARY compressor=GZIP)',
      'create timeseries root.old.d.s with datatype=INT64',
      'insert into root.sg.d(time, speed, state) values (1, 1.5, true), (2, 2.5, false)',
      "insert into root.sg.al(time, x, y) aligned values (1, 10, 'a'), (2, 20, 'b')",
      'insert into root.old.d(time, s) values (1, 1)',
      'flush',
      'insert into root.sg.d(time, speed) values (3, 3.5)',
    ]) {
      await a.session.executeStatement(sql);
    }
    // B without the schema refuses A's data: a data-only pipe there would stop.
    await expect(b.session.executeStatement('insert into root.sg.d(time, speed) values (9, 9)')).rejects.toThrow(
      /does not exist|not set/,
    );

    await a.session.executeStatement(`create pipe tob with source ('source.inclusion'='data, schema') ${sinkTo(b)}`);
    // To C: schema and data, but no drop of a series or database.
    await a.session.executeStatement(
      `create pipe toc with source ('source.inclusion'='all', 'source.inclusion.exclusion'='auth, schema.timeseries.ordinary.drop, schema.database.drop') ${sinkTo(c, ", 'sink.exception.conflict.retry-max-time-seconds'='-1'")}`,
    );
    await a.session.executeStatement('start pipe tob');
    await a.session.executeStatement('start pipe toc');

    const everything = 'select ** from root align by device';
    await same(a.session, b.session, everything, 'history of A on B');
    await same(a.session, c.session, everything, 'history of A on C');
    const shown = await series(a.session);
    expect(shown).toContainEqual([
      'root.sg.d.speed',
      'v',
      'root.sg',
      'DOUBLE',
      'GORILLA',
      'ZSTD',
      '{"unit":"kmh"}',
      '{"owner":"ops"}',
    ]);
    expect(shown).toContainEqual(['root.sg.al.x', 'null', 'root.sg', 'INT32', 'TS_2DIFF', 'SNAPPY', 'null', 'null']);
    expect(await series(b.session)).toEqual(shown);
    expect(await series(c.session)).toEqual(shown);
    expect(await rows(b.session, 'show devices root.sg.**')).toEqual(await rows(a.session, 'show devices root.sg.**'));
    expect((await rows(b.session, 'show devices root.sg.al')).map((r) => r[2])).toEqual(['true']);

    // Realtime: a series created on A reaches B before its data, with its own settings.
    await a.session.executeStatement(
      'create timeseries root.sg.d.temp with datatype=INT32, encoding=ZIGZAG, compressor=LZ4',
    );
    await a.session.executeStatement('insert into root.sg.d(time, temp) values (5, -7)');
    await same(a.session, b.session, everything, 'realtime series and data of A on B');
    expect(await series(b.session, 'root.sg.d.temp')).toEqual([
      ['root.sg.d.temp', 'null', 'root.sg', 'INT32', 'ZIGZAG', 'LZ4', 'null', 'null'],
    ]);

    // Drops: B follows A, C (drops excluded) keeps the series and database.
    await a.session.executeStatement('delete timeseries root.sg.d.state');
    await a.session.executeStatement('delete database root.old');
    await same(a.session, b.session, 'show timeseries', 'drops of A on B');
    expect((await rows(b.session, 'show databases')).map((r) => r[1])).toEqual(['root.sg']);
    await same(a.session, c.session, 'show timeseries root.sg.d.temp', 'C to get the realtime series');
    expect(await series(c.session, 'root.sg.d.state')).toHaveLength(1);
    expect((await rows(c.session, 'show databases')).map((r) => r[1])).toEqual(['root.old', 'root.sg']);

    // A drop made while the pipe is stopped, and A restarted meanwhile: it reaches B in its place.
    await a.session.executeStatement('stop pipe tob');
    await a.session.executeStatement('insert into root.sg.d(time, temp) values (6, 6)');
    await a.session.executeStatement('delete timeseries root.sg.d.temp');
    await a.session.executeStatement('create timeseries root.sg.d.temp with datatype=TEXT, encoding=PLAIN');
    await a.session.executeStatement("insert into root.sg.d(time, temp) values (7, 'seven')");
    await restart(a);
    await a.session.executeStatement('start pipe tob');
    await same(a.session, b.session, everything, 'A after the restart on B');
    expect(await series(b.session)).toEqual(await series(a.session));
    expect(await series(b.session, 'root.sg.d.temp')).toEqual([
      ['root.sg.d.temp', 'null', 'root.sg', 'TEXT', 'PLAIN', 'LZ4', 'null', 'null'],
    ]);
    // C kept the old INT32 temp (drops excluded): the TEXT one is a user conflict, retried (its
    // strategy says for ever) and shown while the pipe runs on.
    const conflict = "Timeseries [root.sg.d.temp] already exists here as INT32; the sender's is TEXT";
    await eventually(
      async () => (await rows(a.session, 'show pipes')).some((r) => r[1] === 'toc' && r[7]!.includes(conflict)),
      'the pipe to C to show the conflict',
      60_000,
    );
    const states = await rows(a.session, 'show pipes');
    expect(states.map((r) => [r[1], r[3]]).sort()).toEqual([
      ['tob', 'RUNNING'],
      ['toc', 'RUNNING'],
    ]);
    expect(states.find((r) => r[1] === 'tob')![7]).toBe('');
  }, 180_000);
});
