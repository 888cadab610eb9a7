import { describe, expect, it } from 'vitest';
import { eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

/** A pipe from A to B over `root.db.<device>` with the given inclusion keys. */
function pipeSql(name: string, device: string, port: number, inclusion: string): string {
  return `create pipe ${name} with source ('source.pattern'='root.db.${device}'${inclusion}) with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${port}')`;
}

describe('source.inclusion gates inserts and deletions', () => {
  it('the default carries inserts only; data carries deletions too; data.delete alone carries no insert', async () => {
    const a = await node();
    const b = await node();
    const port = b.node.port;
    await a.session.executeStatement(pipeSql('dflt', 'dflt', port, ''));
    await a.session.executeStatement(pipeSql('both', 'both', port, ", 'source.inclusion'='data'"));
    await a.session.executeStatement(
      pipeSql(
        'excl',
        'excl',
        port,
        ", 'source.inclusion'='all', 'source.inclusion.exclusion'='schema, auth, data.delete'",
      ),
    );
    await a.session.executeStatement(pipeSql('dels', 'dels', port, ", 'extractor.inclusion'='data.delete'"));
    for (const d of ['dflt', 'both', 'excl', 'dels']) {
      // B holds its own copy of these points: only a deletion carried from A removes them.
      await b.session.executeStatement(`insert into root.db.${d}(time, s) values (1, 10), (2, 20), (3, 30)`);
      await a.session.executeStatement(`start pipe ${d}`);
    }
    for (const d of ['dflt', 'both', 'excl', 'dels']) {
      await a.session.executeStatement(`insert into root.db.${d}(time, s) values (1, 1), (2, 2), (3, 3), (4, 4)`);
      await a.session.executeStatement(`delete from root.db.${d}.s where time <= 2`);
      await a.session.executeStatement(`insert into root.db.${d}(time, s) values (5, 5)`);
    }
    const on = (d: string) => rows(b.session, `select s from root.db.${d}`);
    // The pipes carrying deletions delete B's own points 1 and 2 too.
    // B's own three points are there from the start: wait for exactly what A's pipe leaves.
    const both = JSON.stringify([
      ['3', '3'],
      ['4', '4'],
      ['5', '5'],
    ]);
    await eventually(async () => JSON.stringify(await on('both')) === both, 'inserts and the deletion of "both" on B');
    await eventually(async () => (await on('dels')).length === 1, 'the deletion of "dels" on B');
    expect(await on('dels')).toEqual([['3', '30']]);
    await eventually(async () => (await on('dflt')).length === 5, 'inserts of "dflt" on B');
    await eventually(async () => (await on('excl')).length === 5, 'inserts of "excl" on B');
    // Inserts only: A's points 1 and 2 arrived before A deleted them, and the deletion stays on A.
    for (const d of ['dflt', 'excl']) {
      expect(await on(d)).toEqual([
        ['1', '1'],
        ['2', '2'],
        ['3', '3'],
        ['4', '4'],
        ['5', '5'],
      ]);
    }
    const shown = await rows(a.session, 'show pipes');
    expect(shown.filter((r) => r[3] === 'RUNNING')).toHaveLength(4);
  }, 60_000);

  it('refuses an unknown option at CREATE PIPE naming the key, and a pipe that carries nothing', async () => {
    const a = await node();
    await expect(
      a.session.executeStatement(
        "create pipe bad with source ('source.inclusion'='data.update') with sink ('sink'='do-nothing-sink')",
      ),
    ).rejects.toThrow("invalid value 'data.update' of 'source.inclusion'");
    await expect(
      a.session.executeStatement(
        "create pipe bad with source ('source.inclusion'='data', 'source.inclusion.exclusion'='data') with sink ('sink'='do-nothing-sink')",
      ),
    ).rejects.toThrow('selects nothing');
    const plugins = await rows(a.session, 'show pipeplugins');
    const extractor = plugins.find((r) => r[1] === 'IOTDB-EXTRACTOR')!;
    const parameters = extractor[extractor.length - 1]!;
    expect(parameters).toContain('inclusion:string=data.insert');
    expect(parameters).toContain('inclusion.exclusion:string=');
  });
});
