import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { loadNodeConfig } from '../../server/config/node-config.js';
import { IoTDBNode } from '../../server/node.js';
import { eventually, pipeNodes, rows } from './pipe-test-kit.js';

const EXAMPLE = resolve('examples/plugins/down-sampling-processor.mjs');

const node = pipeNodes();

function insertRows(device: string, times: readonly number[]): string {
  return `insert into ${device}(time, s) values ${times.map((t) => `(${t}, ${t})`).join(', ')}`;
}

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.ceil((to - from) / step) }, (_, i) => from + i * step);

describe('user pipe plugins between two nodes', () => {
  it('a processor loaded with CREATE PIPEPLUGIN changes what arrives on B', async () => {
    const a = await node();
    const b = await node();
    // History: a sealed file, then rows still in the memtable (CREATE PIPE flushes them).
    await a.session.executeStatement(insertRows('root.db.d', range(0, 100)));
    await a.session.executeStatement('flush');
    await a.session.executeStatement(insertRows('root.db.d', range(100, 120)));

    await a.session.executeStatement(
      `create pipeplugin down_sampling as 'DownSamplingProcessor' using uri '${EXAMPLE}'`,
    );
    const plugins = await rows(a.session, 'show pipeplugins');
    expect(plugins.at(-1)).toEqual([
      expect.any(String),
      'DOWN_SAMPLING',
      'External',
      'DownSamplingProcessor',
      'down-sampling-processor.mjs',
      'interval:integer=1000',
    ]);
    expect(plugins.find((r) => r[1] === 'IOTDB-EXTRACTOR')![5]).toContain('pattern:string=root');

    await a.session.executeStatement(
      `create pipe a2b with processor ('processor'='down_sampling', 'processor.interval'='10') with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe a2b');
    await a.session.executeStatement(insertRows('root.db.d', range(120, 160)));

    const expected = range(0, 160, 10).map((t) => [String(t), String(t)]);
    await eventually(
      async () => (await rows(b.session, 'select s from root.db.d')).length === expected.length,
      'B to hold one point per window',
    );
    expect(await rows(b.session, 'select s from root.db.d')).toEqual(expected);
    // A keeps everything; only what was sent changed.
    expect(await rows(a.session, 'select count(s) from root.db.d')).toEqual([['0', '160']]);

    await expect(a.session.executeStatement('drop pipeplugin down_sampling')).rejects.toMatchObject({
      code: 1601,
      statusMessage: "PipePlugin 'DOWN_SAMPLING' is already used by Pipe 'a2b' as a processor.",
    });
    await a.session.executeStatement('drop pipe a2b');
    await a.session.executeStatement('drop pipeplugin down_sampling');
    expect((await rows(a.session, 'show pipeplugins')).filter((r) => r[2] === 'External')).toEqual([]);
  });

  it('a processor that throws stops its pipe with its message, and the node keeps serving', async () => {
    const a = await node();
    const b = await node();
    const file = join(a.node.dir, 'thrower.mjs');
    writeFileSync(
      file,
      `export class Thrower {
        static role = 'processor';
        process(event) {
          if (event.kind === 'tablet-insertion') throw new Error('cannot handle ' + event.tablet.device);
        }
      }\n`,
    );
    await a.session.executeStatement(`create pipeplugin thrower as 'Thrower' using uri 'file://${file}'`);
    await a.session.executeStatement(
      `create pipe doomed with processor ('processor'='thrower') with sink ('sink'='iotdb-thrift-sink', 'sink.node-urls'='127.0.0.1:${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe doomed');
    await a.session.executeStatement('insert into root.db.d(time, s) values (1, 1)');
    await eventually(async () => (await rows(a.session, 'show pipe doomed'))[0]![3] === 'STOPPED', 'the pipe to stop');
    const [shown] = await rows(a.session, 'show pipe doomed');
    expect(shown![7]).toBe('processor THROWER failed 5 times; last error: cannot handle root.db.d');
    expect(a.node.logs.some((l) => l.includes('retrying in'))).toBe(true);
    // The node is fine: it takes writes and answers queries; B got nothing.
    await a.session.executeStatement('insert into root.db.d(time, s) values (2, 2)');
    expect(await rows(a.session, 'select s from root.db.d')).toEqual([
      ['1', '1'],
      ['2', '2'],
    ]);
    expect(await rows(b.session, 'show timeseries')).toEqual([]);
  });

  it('a user connector replaces the built-in one; its own validation refuses clearly', async () => {
    const a = await node();
    const file = join(a.node.dir, 'jsonl-connector.mjs');
    const out = join(a.node.dir, 'out.jsonl');
    writeFileSync(
      file,
      `import { appendFileSync } from 'node:fs';
      export class JsonLines {
        static role = 'connector';
        static parameters = [{ name: 'file', type: 'string', doc: 'where lines go' }];
        validate(parameters) {
          if (!parameters.has('file')) throw new Error("'connector.file' is required");
        }
        customize(parameters) { this.file = parameters.string('file'); }
        transfer(event) {
          const t = event.tablet;
          appendFileSync(this.file, JSON.stringify({ kind: event.kind, device: t?.device, times: t ? [...t.times].map(String) : [] }) + '\\n');
        }
      }
      export class Source { static role = 'extractor'; static parameters = [{ name: 'rate', type: 'integer' }]; supply() { return null; } }\n`,
    );
    await a.session.executeStatement(`create pipeplugin jsonl as 'JsonLines' using uri '${file}'`);
    await a.session.executeStatement(`create pipeplugin my_source as 'Source' using uri '${file}'`);
    await expect(a.session.executeStatement("create pipe bad with connector ('connector'='jsonl')")).rejects.toThrow(
      "connector plugin 'JSONL' refused its parameters: 'connector.file' is required",
    );
    await expect(
      a.session.executeStatement(
        "create pipe bad with source ('source'='my_source', 'source.rate'='fast') with sink ('sink'='jsonl', 'sink.file'='x')",
      ),
    ).rejects.toThrow("invalid value 'fast' of 'source.rate': expected an integer");
    expect(await rows(a.session, 'show pipes')).toEqual([]);

    await a.session.executeStatement(
      `create pipe tofile with connector ('connector'='jsonl', 'connector.file'='${out}')`,
    );
    await a.session.executeStatement('start pipe tofile');
    await a.session.executeStatement('insert into root.db.d(time, s) values (1, 1), (2, 2)');
    await eventually(async () => existsSync(out), 'the connector to write');
    expect(
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([{ kind: 'tablet-insertion', device: 'root.db.d', times: ['1', '2'] }]);
  });

  it('needs the pipe plugin privileges of IoTDB 1.2 or 1.3', async () => {
    const a = await node();
    await a.session.executeStatement("create user plugger 'secret1'");
    const plugger = await Session.open({ port: a.node.port, user: 'plugger', password: 'secret1' });
    onTestFinished(() => plugger.close());
    const create = `create pipeplugin ds as 'DownSamplingProcessor' using uri '${EXAMPLE}'`;
    await expect(plugger.executeStatement(create)).rejects.toMatchObject({ code: 803 });
    await expect(plugger.executeStatement('show pipeplugins')).rejects.toMatchObject({ code: 803 });
    await a.session.executeStatement('grant user plugger privileges CREATE_PIPEPLUGIN');
    await plugger.executeStatement(create);
    await expect(plugger.executeStatement('drop pipeplugin ds')).rejects.toMatchObject({ code: 803 });
    await a.session.executeStatement('grant USE_PIPE on root.** to user plugger');
    await plugger.executeStatement('drop pipeplugin ds');
  });

  it('a node restarted loads its plugins again and resumes a pipe that uses one', async () => {
    const b = await node();
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-plugin-restart-'));
    const start = () =>
      IoTDBNode.start({
        config: { ...loadNodeConfig({ baseDir: dir, env: {}, overrides: { wal_mode: 'SYNC' } }), rpcPort: 0 },
      });
    let a = await start();
    try {
      let session = await Session.open({ port: a.port });
      await session.executeStatement(
        `create pipeplugin down_sampling as 'DownSamplingProcessor' using uri '${EXAMPLE}'`,
      );
      await session.executeStatement(
        `create pipe a2b with processor ('processor'='down_sampling', 'processor.interval'='10') with sink ('sink'='iotdb-thrift-sink', 'sink.node-urls'='127.0.0.1:${b.node.port}')`,
      );
      await session.executeStatement('start pipe a2b');
      await session.executeStatement(insertRows('root.db.d', range(0, 20)));
      await eventually(
        async () => (await rows(b.session, 'select s from root.db.d')).length === 2,
        'the first windows on B',
      );
      await session.close();
      await a.stop();

      a = await start();
      session = await Session.open({ port: a.port });
      expect((await rows(session, 'show pipeplugins')).at(-1)!.slice(1, 3)).toEqual(['DOWN_SAMPLING', 'External']);
      expect((await rows(session, 'show pipe a2b'))[0]![3]).toBe('RUNNING');
      await session.executeStatement(insertRows('root.db.d', range(20, 40)));
      await eventually(
        async () => (await rows(b.session, 'select s from root.db.d')).length === 4,
        'the later windows on B',
      );
      expect((await rows(b.session, 'select s from root.db.d')).map((r) => r[0])).toEqual(['0', '10', '20', '30']);
      await session.close();
    } finally {
      await a.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a user extractor supplies what the pipe sends', async () => {
    const a = await node();
    const b = await node();
    const file = join(a.node.dir, 'counter-source.mjs');
    writeFileSync(
      file,
      `export class Counter {
        static role = 'extractor';
        static parameters = [{ name: 'count', type: 'integer', default: '3' }];
        customize(parameters) { this.left = Number(parameters.integer('count')); this.next = 0n; }
        supply() {
          if (this.left === 0) return null;
          this.left--;
          const t = this.next++;
          return { kind: 'tablet-insertion', tablet: { device: 'root.src.d', measurements: ['s'], dataTypes: [2],
            times: BigInt64Array.of(t), columns: [BigInt64Array.of(t * 10n)], nulls: [null], rowCount: 1, aligned: false } };
        }
      }
      export class Broken { static role = 'extractor'; supply() { return { kind: 'tablet-insertion', tablet: {} }; } }\n`,
    );
    await a.session.executeStatement(`create pipeplugin counter as 'Counter' using uri '${file}'`);
    await a.session.executeStatement(`create pipeplugin broken as 'Broken' using uri '${file}'`);
    await a.session.executeStatement(
      `create pipe counted with source ('source'='counter', 'source.count'='4') with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe counted');
    await eventually(async () => (await rows(b.session, 'select s from root.src.d')).length === 4, 'the supplied rows');
    expect(await rows(b.session, 'select s from root.src.d')).toEqual([
      ['0', '0'],
      ['1', '10'],
      ['2', '20'],
      ['3', '30'],
    ]);
    await a.session.executeStatement(
      `create pipe bad with source ('source'='broken') with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe bad');
    await eventually(
      async () => (await rows(a.session, 'show pipe bad'))[0]![3] === 'STOPPED',
      'the broken pipe to stop',
    );
    expect((await rows(a.session, 'show pipe bad'))[0]![7]).toContain('extractor BROKEN supplied a malformed event');
    expect((await rows(a.session, 'show pipe counted'))[0]![3]).toBe('RUNNING');
  });
});
