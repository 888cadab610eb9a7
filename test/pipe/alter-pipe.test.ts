import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { loadNodeConfig } from '../../server/config/node-config.js';
import { IoTDBNode } from '../../server/node.js';
import { DataType } from '../../tsfile/data-type.js';
import { createPipeSql, eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

/** A user connector that appends the time of every point it is handed to `sink.file`, one a line, then acknowledges. */
const COUNTER = `import { appendFileSync } from 'node:fs';
export class Counter {
  static role = 'connector';
  static parameters = [{ name: 'file', type: 'string', doc: 'where times go' }];
  customize(parameters) { this.file = parameters.string('file'); }
  transfer(event) {
    const tablets = event.kind === 'tsfile-insertion' ? [...event.toTabletInsertionEvents()] : [event];
    const times = [];
    for (const e of tablets) if (e.kind === 'tablet-insertion') times.push(...[...e.tablet.times.subarray(0, e.tablet.rowCount)].map(String));
    if (times.length > 0) appendFileSync(this.file, times.join('\\n') + '\\n');
    // Acknowledged a little after it is written: an ALTER must wait for the acknowledgement.
    return new Promise((resolve) => setTimeout(resolve, 5));
  }
}
`;

function insert(session: Session, from: number, count: number): Promise<void> {
  const times = BigInt64Array.from({ length: count }, (_, i) => BigInt(from + i));
  return session.insertTablet({
    device: 'root.db.d',
    measurements: ['s'],
    dataTypes: [DataType.INT64],
    times,
    columns: [times],
    nulls: [null],
    rowCount: count,
    aligned: false,
  });
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
}

describe('ALTER PIPE', () => {
  it('changes the sink of a running pipe under load: no point twice, none missing; persisted, shown, still running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-alter-'));
    const start = () =>
      IoTDBNode.start({
        config: {
          ...loadNodeConfig({ baseDir: join(dir, 'node'), env: {}, overrides: { wal_mode: 'SYNC' } }),
          rpcPort: 0,
        },
      });
    let a = await start();
    try {
      let session = await Session.open({ port: a.port });
      const plugin = join(dir, 'counter.mjs');
      writeFileSync(plugin, COUNTER);
      const out = [1, 2, 3].map((k) => join(dir, `out${k}.txt`));
      await session.executeStatement(`create pipeplugin counter as 'Counter' using uri '${plugin}'`);
      // History: a sealed file and rows in memory.
      await insert(session, 0, 500);
      await session.executeStatement('flush');
      await insert(session, 500, 500);
      await session.executeStatement(`create pipe p with sink ('sink'='counter', 'sink.file'='${out[0]}')`);
      await session.executeStatement('start pipe p');

      let written = 1000;
      let writing = true;
      const writer = (async () => {
        const s = await Session.open({ port: a.port });
        try {
          for (let k = 0; writing; k++) {
            await insert(s, written, 50);
            written += 50;
            if (k % 20 === 19) await s.executeStatement('flush');
          }
        } finally {
          await s.close();
        }
      })();
      const grow = async (file: string) => {
        const before = lines(file).length;
        await eventually(async () => lines(file).length > before + 200, `points in ${file}`, 30_000);
      };
      await grow(out[0]!);
      await session.executeStatement(`alter pipe p modify sink ('sink.file'='${out[1]}')`);
      await grow(out[1]!);
      await session.executeStatement(`alter pipe if exists p replace sink ('sink'='counter', 'sink.file'='${out[2]}')`);
      await grow(out[2]!);
      writing = false;
      await writer;

      const all = () => out.flatMap(lines);
      await eventually(async () => all().length >= written, 'every point to arrive', 30_000);
      const times = all().map(Number);
      expect(times.length).toBe(written);
      expect(new Set(times).size).toBe(written);
      expect(Math.max(...times)).toBe(written - 1);
      for (const file of out) expect(lines(file).length).toBeGreaterThan(0);

      const shown = (await rows(session, 'show pipe p'))[0]!;
      expect(shown[3]).toBe('RUNNING');
      expect(shown[6]).toContain(out[2]);
      await session.close();
      await a.stop();

      a = await start();
      session = await Session.open({ port: a.port });
      const again = (await rows(session, 'show pipe p'))[0]!;
      expect(again[3]).toBe('RUNNING');
      expect(again[6]).toContain(out[2]);
      await session.close();
    } finally {
      await a.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('moves a running pipe to another receiver with nothing lost; refuses a bad change and leaves the pipe as it was', async () => {
    const a = await node();
    const b = await node();
    const c = await node();
    await a.session.executeStatement('insert into root.db.d(time, s) values (1, 1)');
    await a.session.executeStatement(createPipeSql('p', 'iotdb-thrift-sink', b.node.port));
    await a.session.executeStatement('start pipe p');
    await eventually(async () => (await rows(b.session, 'select s from root.db.d')).length === 1, 'B to get history');
    await a.session.executeStatement(`alter pipe p modify connector ('connector.port'='${c.node.port}')`);
    await a.session.executeStatement('insert into root.db.d(time, s) values (2, 2)');
    await eventually(
      async () => (await rows(c.session, 'select s from root.db.d')).length === 1,
      'C to get the new point',
    );
    // Progress was kept: C gets what came after the change, not the history again.
    expect(await rows(c.session, 'select s from root.db.d')).toEqual([['2', '2']]);
    expect(await rows(b.session, 'select s from root.db.d')).toEqual([['1', '1']]);

    await expect(a.session.executeStatement("alter pipe p modify sink ('sink.nonsense'='1')")).rejects.toThrow(
      "unknown parameter 'sink.nonsense'",
    );
    await expect(a.session.executeStatement("alter pipe q modify sink ('sink.port'='1')")).rejects.toThrow(
      'Failed to alter pipe q, the pipe does not exist',
    );
    await a.session.executeStatement("alter pipe if exists q modify sink ('sink.port'='1')");
    const shown = (await rows(a.session, 'show pipe p'))[0]!;
    expect(shown[3]).toBe('RUNNING');
    expect(shown[6]).toContain(`connector.port=${c.node.port}`);
    await a.session.executeStatement('stop pipe p');
    await a.session.executeStatement("alter pipe p modify source ('source.pattern'='root.db.e')");
    expect((await rows(a.session, 'show pipe p'))[0]![3]).toBe('STOPPED');
  }, 60_000);
});
