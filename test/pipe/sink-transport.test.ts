import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShapedLink } from '../../scripts/shaped-link.js';
import { eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

/** `count` rows of device `d` starting at time `from`, as one insert statement per 50 rows. */
async function write(
  session: { executeStatement(sql: string): Promise<unknown> },
  d: string,
  from: number,
  count: number,
) {
  for (let at = from; at < from + count; at += 50) {
    const values = [];
    for (let t = at; t < Math.min(at + 50, from + count); t++)
      values.push(`(${t}, ${t * 3}, ${t % 7 === 0 ? 'true' : 'false'}, 'v${t % 13}')`);
    await session.executeStatement(`insert into ${d}(time, s, b, txt) values ${values.join(', ')}`);
  }
}

const everything = (d: string) => `select s, b, txt from ${d}`;

describe('sink transport options (two nodes)', () => {
  it('every compressor, chain, batching form, format and load-balance strategy gives B the data of A', async () => {
    const a = await node();
    const b = await node();
    const port = b.node.port;
    // A receiver that is down, listed first, for the load-balance strategies to fail over from.
    const dead = 1;
    const pipes: Record<string, string> = {
      gzip: "'sink.compressor'='gzip'",
      chain: "'sink.compressor'='snappy, zstd', 'sink.compressor.zstd.level'='9'",
      lz4lzma: "'sink.compressor'='lz4,lzma2', 'sink.batch.max-delay-ms'='5', 'sink.batch.size-bytes'='2000'",
      nobatch: "'sink.batch.enable'='false', 'sink.compressor'='zstd'",
      rate: "'sink.rate-limit-bytes-per-second'='2000000'",
      tablet: "'sink.format'='tablet'",
      tsfile: "'sink.format'='tsfile'",
      priority: `'sink.load-balance-strategy'='priority'`,
      random: `'sink.load-balance-strategy'='random'`,
    };
    const names = Object.keys(pipes);
    for (const [i, name] of names.entries()) await write(a.session, `root.db.${name}`, 0, 300 + i);
    await a.session.executeStatement('flush');
    for (const [i, name] of names.entries()) {
      const sink = i % 2 === 0 ? 'iotdb-thrift-sink' : 'iotdb-thrift-async-sink';
      const urls =
        name === 'priority' || name === 'random' ? `127.0.0.1:${dead},127.0.0.1:${port}` : `127.0.0.1:${port}`;
      await a.session.executeStatement(
        `create pipe ${name} with source ('source.pattern'='root.db.${name}', 'source.inclusion'='data') with sink ('sink'='${sink}', 'sink.node-urls'='${urls}', ${pipes[name]})`,
      );
      await a.session.executeStatement(`start pipe ${name}`);
    }
    for (const [i, name] of names.entries()) await write(a.session, `root.db.${name}`, 1000, 200 + i);
    await a.session.executeStatement('delete from root.db.gzip.s where time < 20');
    await a.session.executeStatement('delete from root.db.nobatch.b where time >= 1100');
    for (const name of names) {
      const d = `root.db.${name}`;
      const want = await rows(a.session, everything(d));
      expect(want.length).toBeGreaterThan(400);
      await eventually(
        async () => JSON.stringify(await rows(b.session, everything(d)).catch(() => [])) === JSON.stringify(want),
        `B equal to A for ${name}`,
        30_000,
      );
    }
    const states = await rows(a.session, 'show pipes');
    expect(states.map((r) => [r[1], r[3]]).sort()).toEqual(names.map((n) => [n, 'RUNNING']).sort());
  }, 120_000);

  it('refuses unknown values and out-of-range numbers at CREATE PIPE, naming the key', async () => {
    const a = await node();
    const create = (extra: string) =>
      a.session.executeStatement(
        `create pipe bad with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='1', ${extra})`,
      );
    const refusals: [string, string][] = [
      ['sink.compressor', 'snappy,brotli'],
      ['sink.compressor.zstd.level', '23'],
      ['sink.batch.size-bytes', '0'],
      ['sink.batch.max-delay-seconds', '-1'],
      ['connector.rate-limit-bytes-per-second', 'fast'],
      ['sink.format', 'parquet'],
      ['sink.load-balance-strategy', 'least-loaded'],
    ];
    const why = [
      'expected a comma-separated list of snappy, gzip, lz4, zstd, lzma2',
      'expected a value in [-131072, 22]',
      'expected a value in [1, 536870912]',
      'expected a value in [0, 3600]',
      'expected a number',
      'expected hybrid, tsfile, tablet',
      'expected round-robin, random, priority',
    ];
    for (const [i, [key, value]] of refusals.entries()) {
      await expect(create(`'${key}'='${value}'`)).rejects.toThrow(`invalid value '${value}' of '${key}': ${why[i]}`);
    }
    expect(await rows(a.session, 'show pipes')).toEqual([]);
    const plugins = await rows(a.session, 'show pipeplugins');
    const sink = plugins.find((r) => r[1] === 'IOTDB-THRIFT-SINK' || r[1] === 'IOTDB-THRIFT-CONNECTOR')!;
    const parameters = sink[sink.length - 1]!;
    for (const declared of [
      'batch.enable:boolean=true',
      'batch.max-delay-seconds:integer=1[0..3600]',
      'batch.max-delay-ms:integer[0..3600000]',
      'batch.size-bytes:integer=16777216[1..536870912]',
      'compressor:string={snappy|gzip|lz4|zstd|lzma2}*',
      'compressor.zstd.level:integer=3[-131072..22]',
      'rate-limit-bytes-per-second:number=-1',
      'format:string=hybrid{hybrid|tsfile|tablet}',
      'load-balance-strategy:string=round-robin{round-robin|random|priority}',
    ]) {
      expect(parameters).toContain(declared);
    }
  });

  it('the sync sink with batching keeps A order through a slow link, with deletions in between', async () => {
    const a = await node();
    const b = await node();
    const link = await ShapedLink.open(b.node.port, { bytesPerSecond: 2_000_000, delayMs: 25 });
    try {
      await a.session.executeStatement(
        `create pipe ordered with source ('source.inclusion'='data') with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${link.port}', 'sink.compressor'='lz4')`,
      );
      await a.session.executeStatement('start pipe ordered');
      // The same points written, deleted and written again: only A's order gives A's final state.
      for (let round = 0; round < 12; round++) {
        for (let t = 0; t < 40; t += 4) {
          await a.session.executeStatement(
            `insert into root.db.o(time, s) values (${t}, ${round * 100 + t}), (${t + 1}, ${round}), (${t + 2}, ${-round})`,
          );
        }
        if (round % 3 === 1) await a.session.executeStatement(`delete from root.db.o.s where time <= ${round * 3}`);
        if (round % 4 === 2) await a.session.executeStatement('delete from root.db.o.s where time > 30');
      }
      const want = await rows(a.session, 'select s from root.db.o');
      expect(want.length).toBeGreaterThan(20);
      await eventually(
        async () =>
          JSON.stringify(await rows(b.session, 'select s from root.db.o').catch(() => [])) === JSON.stringify(want),
        'B equal to A',
        30_000,
      );
      expect(link.bytesUp).toBeGreaterThan(0);
    } finally {
      await link.close();
    }
  }, 60_000);

  it("sink.format: tsfile ships realtime as files, tablet sends history files as tablets (seen by B's apply probe)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-format-'));
    try {
      const probe = join(dir, 'probe.txt');
      const a = await node();
      const b = await node({ pipe_receiver_apply_probe_file: probe });
      await write(a.session, 'root.f.history', 0, 120);
      await a.session.executeStatement('flush');
      const sink = (format: string) =>
        `with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${b.node.port}', 'sink.format'='${format}')`;
      await a.session.executeStatement(
        `create pipe astablets with source ('source.pattern'='root.f.history') ${sink('tablet')}`,
      );
      await a.session.executeStatement(
        `create pipe asfiles with source ('source.pattern'='root.f.live', 'source.history.enable'='false') ${sink('tsfile')}`,
      );
      await a.session.executeStatement('start pipe astablets');
      await a.session.executeStatement('start pipe asfiles');
      await write(a.session, 'root.f.live', 0, 300);
      await write(a.session, 'root.f.live', 100, 50);
      for (const d of ['root.f.history', 'root.f.live']) {
        const want = await rows(a.session, everything(d));
        await eventually(
          async () => JSON.stringify(await rows(b.session, everything(d)).catch(() => [])) === JSON.stringify(want),
          `B equal to A for ${d}`,
        );
      }
      const stamped = readFileSync(probe, 'utf8')
        .split('\n')
        .map((line) => line.split(' ')[0]);
      expect(stamped).toContain('root.f.history');
      expect(stamped).not.toContain('root.f.live');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
