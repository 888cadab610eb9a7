import { mkdtempSync, rmSync } from 'node:fs';
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

async function start(dir: string): Promise<{ port: number; running: NodeProcess; session: Session }> {
  const port = await freePort();
  const running = spawnNode(['--port', String(port), '--data', dir], process.cwd(), (kill) => cleanups.push(kill));
  await waitForOutput(running, 'listening on');
  const session = await Session.open({ port });
  cleanups.push(() => session.close().catch(() => {}));
  return { port, running, session };
}

/** Log lines of a node process that contain every one of `texts`. */
function lines(running: NodeProcess, ...texts: string[]): string[] {
  return running
    .output()
    .split('\n')
    .filter((l) => texts.every((t) => l.includes(t)));
}

const mismatch = (device: string, points: number) =>
  `data type of root.db.${device}.i is not consistent, registered type INT32, inserting type INT64 (${points} point${points === 1 ? '' : 's'} not written)`;

/**
 * Two node processes; on B each device's `i` is INT32 beforehand, on A INT64, and each
 * pipe has conversion off, so B refuses `i` as a conflict (1810) and writes `j`.
 */
describe('conflicts on the receiver follow sink.exception.conflict.* (real processes)', () => {
  it('ignore goes on at once, retry goes past after its time, retry -1 waits until the conflict is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-conflicts-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const a = await start(join(dir, 'a'));
    const b = await start(join(dir, 'b'));
    for (const device of ['ign', 'ret', 'fev']) {
      await b.session.executeStatement(`create timeseries root.db.${device}.i with datatype=INT32`);
      await a.session.executeStatement(`create timeseries root.db.${device}.i with datatype=INT64`);
    }
    const pipe = async (name: string, sink: string, options: string) => {
      // Each pipe's history is one file holding only its device (CREATE PIPE flushes).
      await a.session.executeStatement(
        `insert into root.db.${name}(time, i, j) values (1, 1, 1), (2, 2, 2), (3, 3, 3)`,
      );
      await a.session.executeStatement(
        `create pipe ${name} with source ('source.pattern'='root.db.${name}') with sink ('sink'='${sink}', ` +
          `'sink.ip'='127.0.0.1', 'sink.port'='${b.port}', 'sink.exception.data.convert-on-type-mismatch'='false', ${options})`,
      );
      await a.session.executeStatement(`start pipe ${name}`);
    };
    const state = async (name: string) => (await rows(a.session, `show pipe ${name}`))[0]!;
    const count = async (device: string, series: string) =>
      (await rows(b.session, `select ${series} from root.db.${device}`)).length;

    // ignore: the file's i is dropped and logged at once, the rest lands; so for a realtime batch.
    await pipe('ign', 'iotdb-thrift-sink', "'sink.exception.conflict.resolve-strategy'='ignore'");
    await eventually(async () => lines(a.running, 'event=transfer-ignored', 'root.db.ign.i').length === 1, 'ign file');
    const [file] = lines(a.running, 'event=transfer-ignored', 'root.db.ign.i');
    expect(file).toContain('class=conflict why="resolve-strategy is ignore"');
    expect(file).toMatch(
      /request="seal of [^"]+\.tsfile" points=6 data="file [^:]+: root\.db\.ign\.i=3 root\.db\.ign\.j=3"/,
    );
    expect(file).toContain(`code=1810 receiver="${mismatch('ign', 3)}"`);
    await a.session.executeStatement('insert into root.db.ign(time, i, j) values (4, 4, 4)');
    await eventually(async () => lines(a.running, 'event=transfer-ignored', 'root.db.ign.i').length === 2, 'ign batch');
    const batch = lines(a.running, 'event=transfer-ignored', 'root.db.ign.i')[1]!;
    expect(batch).toContain('request="batch of 1 tablets" points=2 data="root.db.ign.i=1 root.db.ign.j=1"');
    expect(batch).toContain(mismatch('ign', 1));
    await eventually(async () => (await count('ign', 'j')) === 4, 'ign j on B');
    expect(await count('ign', 'i')).toBe(0);
    expect((await state('ign'))[3]).toBe('RUNNING');

    // retry for 2 s (the async sink): refused, retried, then gone past with the time it took.
    await pipe(
      'ret',
      'iotdb-thrift-async-sink',
      "'sink.exception.conflict.resolve-strategy'='retry', 'sink.exception.conflict.retry-max-time-seconds'='2'",
    );
    await eventually(
      async () => lines(a.running, 'event=transfer-ignored', 'root.db.ret.i').length === 1,
      'ret to give up',
      30_000,
    );
    const timedOut = lines(a.running, 'event=transfer-ignored', 'root.db.ret.i')[0]!;
    expect(timedOut).toContain('why="retried past conflict.retry-max-time-seconds=2"');
    expect(Number(/refused_seconds=([\d.]+)/.exec(timedOut)![1])).toBeGreaterThan(2);
    expect(lines(a.running, 'refused (conflict), retried for', mismatch('ret', 3)).length).toBeGreaterThan(0);
    await a.session.executeStatement('insert into root.db.ret(time, j) values (4, 4)');
    await eventually(async () => (await count('ret', 'j')) === 4, 'ret to go on');
    expect((await state('ret'))[3]).toBe('RUNNING');

    // retry -1: retried for ever, RUNNING and showing the conflict, until it is gone on B.
    await pipe('fev', 'iotdb-thrift-sink', "'sink.exception.conflict.retry-max-time-seconds'='-1'");
    await eventually(async () => (await state('fev'))[7]!.includes(mismatch('fev', 3)), 'fev to show the conflict');
    expect((await state('fev'))[3]).toBe('RUNNING');
    await eventually(
      async () => lines(a.running, 'refused (conflict), retried for ever', 'root.db.fev.i').length >= 3,
      'fev to keep retrying',
    );
    await a.session.executeStatement('insert into root.db.fev(time, i, j) values (4, 4, 4)');
    expect(await count('fev', 'i')).toBe(0);
    await b.session.executeStatement('delete timeseries root.db.fev.i');
    await eventually(async () => (await count('fev', 'i')) === 4, 'fev data once the conflict is gone', 30_000);
    expect(await rows(b.session, 'select i from root.db.fev')).toEqual([
      ['1', '1'],
      ['2', '2'],
      ['3', '3'],
      ['4', '4'],
    ]);
    expect((await rows(b.session, 'show timeseries root.db.fev.i'))[0]![4]).toBe('INT64');
    await eventually(async () => (await state('fev'))[7] === '', 'the conflict to clear');
    expect(lines(a.running, 'event=transfer-ignored', 'root.db.fev')).toEqual([]);
  }, 120_000);
});
