import { describe, expect, it } from 'vitest';
import { createPipeSql, eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

describe('source.forwarding-pipe-requests and source.mode.double-living', () => {
  it('with forwarding false or double-living, B passes on only what was written on B; by default A’s data too', async () => {
    const a = await node();
    const b = await node();
    const c = await node();
    const d = await node();
    await a.session.executeStatement(createPipeSql('a2b', 'iotdb-thrift-sink', b.node.port));
    await a.session.executeStatement('start pipe a2b');
    await b.session.executeStatement(
      `create pipe b2c with source ('source.forwarding-pipe-requests'='false') with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${c.node.port}')`,
    );
    await b.session.executeStatement('start pipe b2c');
    await b.session.executeStatement(
      `create pipe b2d with source ('source.mode.double-living'='true') with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${d.node.port}')`,
    );
    await b.session.executeStatement('start pipe b2d');
    await a.session.executeStatement('insert into root.db.froma(time, s) values (1, 1)');
    await b.session.executeStatement('insert into root.db.fromb(time, s) values (1, 2)');
    await eventually(
      async () => (await rows(c.session, 'select s from root.db.fromb')).length === 1,
      'C to get B’s point',
    );
    await eventually(
      async () => (await rows(d.session, 'select s from root.db.fromb')).length === 1,
      'D to get B’s point',
    );
    await eventually(
      async () => (await rows(b.session, 'select s from root.db.froma')).length === 1,
      'B to get A’s point',
    );
    // A's point came to B through a pipe: neither pipe of B carries it.
    await b.session.executeStatement('insert into root.db.fromb(time, s) values (2, 3)');
    await eventually(
      async () => (await rows(c.session, 'select s from root.db.fromb')).length === 2,
      'C to get B’s second point',
    );
    await eventually(
      async () => (await rows(d.session, 'select s from root.db.fromb')).length === 2,
      'D to get B’s second point',
    );
    expect(await rows(c.session, 'select s from root.db.froma')).toEqual([]);
    expect(await rows(d.session, 'select s from root.db.froma')).toEqual([]);

    // The default forwards A's data on to another node.
    const e = await node();
    await b.session.executeStatement(createPipeSql('b2e', 'iotdb-thrift-sink', e.node.port));
    await b.session.executeStatement('start pipe b2e');
    await eventually(
      async () => (await rows(e.session, 'select s from root.db.froma')).length === 1,
      'E to get A’s point',
    );
  }, 60_000);

  it('a file that reaches B through a pipe after B’s pipe started goes on to C, as the inserts it holds would', async () => {
    const a = await node();
    const b = await node();
    const c = await node();
    await b.session.executeStatement(createPipeSql('b2c', 'iotdb-thrift-sink', c.node.port));
    await b.session.executeStatement('start pipe b2c');
    // b2c is past its history: B's own point reaches C as a realtime insert.
    await b.session.executeStatement('insert into root.db.fromb(time, s) values (1, 1)');
    await eventually(
      async () => (await rows(c.session, 'select s from root.db.fromb')).length === 1,
      'C to get B’s point',
    );
    // A's points are in a sealed file before a2b exists: a2b's history sends that file whole,
    // and B loads it, so the points reach B as a loaded file, not as inserts.
    await a.session.executeStatement('insert into root.db.froma(time, s) values (1, 10), (2, 20), (3, 30)');
    await a.session.executeStatement('flush');
    await a.session.executeStatement(createPipeSql('a2b', 'iotdb-thrift-sink', b.node.port));
    await a.session.executeStatement('start pipe a2b');
    await eventually(
      async () => (await rows(b.session, 'select s from root.db.froma')).length === 3,
      'B to get A’s file',
    );
    await eventually(
      async () => (await rows(c.session, 'select s from root.db.froma')).length === 3,
      'C to get A’s file through B',
    );
    expect(await rows(c.session, 'select s from root.db.froma')).toEqual([
      ['1', '10'],
      ['2', '20'],
      ['3', '30'],
    ]);
  }, 60_000);

  it('refuses forwarding-pipe-requests true beside mode.double-living, as IoTDB', async () => {
    const a = await node();
    await expect(
      a.session.executeStatement(
        "create pipe p with source ('source.mode.double-living'='true', 'source.forwarding-pipe-requests'='true') with sink ('sink'='do-nothing-sink')",
      ),
    ).rejects.toThrow('forwarding-pipe-requests can not be specified to true when double living is enabled');
  });
});
