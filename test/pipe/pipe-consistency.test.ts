import { describe, expect, it } from 'vitest';
import { eventually, eventuallyEqual, everything, pipeNodes, randomStatements, rows } from './pipe-test-kit.js';

const node = pipeNodes();

describe('pipe order and consistency', () => {
  it('gives B the final state of A for interleaved writes and deletions of the same points', async () => {
    const { session: a } = await node();
    const { node: receiverNode, session: b } = await node();
    const port = receiverNode.port;
    for (const sql of randomStatements(7, 150)) await a.executeStatement(sql);
    await a.executeStatement(
      `create pipe a2b with source ('source.inclusion'='data') with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${port}')`,
    );
    await a.executeStatement('start pipe a2b');
    for (const sql of randomStatements(11, 300)) await a.executeStatement(sql);
    await eventuallyEqual(a, b);
    expect((await everything(b)).split('\n').length).toBeGreaterThan(10);
  }, 60_000);

  it('keeps writes made while history is still being shipped, in order', async () => {
    const { session: a } = await node();
    const { node: receiverNode, session: b } = await node();
    const port = receiverNode.port;
    // Many small history files keep the history phase busy for a while.
    for (let f = 0; f < 30; f++) {
      for (const sql of randomStatements(100 + f, 20)) await a.executeStatement(sql);
      await a.executeStatement('flush');
    }
    await a.executeStatement(
      `create pipe a2b with source ('source.inclusion'='data') with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${port}')`,
    );
    await a.executeStatement('start pipe a2b');
    const writes = randomStatements(999, 400);
    for (const sql of writes) await a.executeStatement(sql);
    await eventuallyEqual(a, b);
  }, 60_000);

  it('clears on B the data of a series dropped on A under a pattern that splits a node', async () => {
    const { session: a } = await node();
    const { node: receiverNode, session: b } = await node();
    await a.executeStatement(
      `create pipe a2b with extractor ('extractor.pattern'='root.db.d1', 'extractor.inclusion'='data') with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${receiverNode.port}')`,
    );
    await a.executeStatement('start pipe a2b');
    for (const device of ['d1', 'd10', 'e']) {
      await a.executeStatement(`insert into root.db.${device}(time, s, t) values (1, 1, 2)`);
    }
    const count = async (path: string) => (await rows(b, `select count(*) from ${path}`))[0]?.slice(1).join(',') ?? '';
    await eventually(async () => (await count('root.db.d10')) === '1,1', 'd10 on B');
    // The pipe reads the deletion after the series is gone from A's schema.
    await a.executeStatement('stop pipe a2b');
    await a.executeStatement('delete timeseries root.db.*.s');
    await a.executeStatement('insert into root.db.d1(time, t) values (2, 3)');
    await a.executeStatement('start pipe a2b');
    await eventually(async () => (await count('root.db.d1')) === '0,2', 'd1.s cleared on B');
    expect(await count('root.db.d10')).toBe('0,1');
    expect(await rows(b, 'select count(*) from root.db.e')).toEqual([]);
  }, 60_000);

  it('ships the sealed files of flushes a lagging pipe is behind, and still ends equal', async () => {
    const { session: a } = await node();
    const { node: receiverNode, session: b } = await node();
    const receiver = receiverNode.node.engine;
    const port = receiverNode.port;
    await a.executeStatement(
      `create pipe a2b with extractor ('extractor.history.enable'='false', 'extractor.inclusion'='data') with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${port}')`,
    );
    await a.executeStatement('start pipe a2b');
    await a.executeStatement("insert into root.db.plain(time, a, b) values (1, 1, '1')");
    await eventuallyEqual(a, b);
    await a.executeStatement('stop pipe a2b');
    // Flushes without a deletion go as files, the others as tablets; both while the pipe is behind.
    for (const sql of randomStatements(5, 200)) if (!sql.startsWith('delete')) await a.executeStatement(sql);
    await a.executeStatement('flush');
    for (const sql of randomStatements(6, 200)) await a.executeStatement(sql);
    await a.executeStatement('flush');
    for (const sql of randomStatements(8, 50)) await a.executeStatement(sql);
    await a.executeStatement('start pipe a2b');
    await eventuallyEqual(a, b);
    expect(receiver.sealedFiles().some((f) => f.loaded)).toBe(true);
  }, 60_000);
});
