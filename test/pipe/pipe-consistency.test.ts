import { describe, expect, it } from 'vitest';
import type { Session } from '../../protocol/client/session.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

/** Every row of `select ** from root` as one text, for comparing two nodes. */
async function everything(session: Session): Promise<string> {
  const { result, blocks } = await session.query('select ** from root');
  const lines = [result.columnNames.join(',')];
  for (const b of blocks as ResultBlock[]) {
    for (let i = 0; i < b.rowCount; i++) {
      lines.push(
        [
          b.times[i],
          ...b.columns.map((c) => (c.nulls?.[i] === 1 ? 'null' : String((c.values as ArrayLike<unknown>)[i]))),
        ].join(','),
      );
    }
  }
  return lines.join('\n');
}

/** A small random program of writes over few points, so later writes overwrite earlier ones. */
function randomStatements(seed: number, count: number): string[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor(state / 65536) % n;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const t = next(40);
    const roll = next(100);
    if (roll < 5) out.push('flush');
    else if (roll < 12)
      out.push(`delete from root.db.${next(2) === 0 ? 'plain' : 'al'}.* where time >= ${t} and time <= ${t + next(5)}`);
    else if (roll < 56) out.push(`insert into root.db.plain(time, a, b) values (${t}, ${seed + k}, '${k}')`);
    else out.push(`insert into root.db.al(time, a, b) aligned values (${t}, ${seed + k}, ${next(2) === 0})`);
  }
  return out;
}

async function eventuallyEqual(a: Session, b: Session): Promise<void> {
  const until = Date.now() + 20_000;
  let want = await everything(a);
  while (Date.now() < until) {
    if ((await everything(b)) === want) return;
    await new Promise((r) => setTimeout(r, 100));
    want = await everything(a);
  }
  expect(await everything(b)).toBe(want);
}

describe('pipe order and consistency', () => {
  it('gives B the final state of A for interleaved writes and deletions of the same points', async () => {
    const { session: a } = await node();
    const { node: receiverNode, session: b } = await node();
    const port = receiverNode.port;
    for (const sql of randomStatements(7, 150)) await a.executeStatement(sql);
    await a.executeStatement(
      `create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${port}')`,
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
      `create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${port}')`,
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
      `create pipe a2b with extractor ('extractor.pattern'='root.db.d1') with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${receiverNode.port}')`,
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
      `create pipe a2b with extractor ('extractor.history.enable'='false') with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${port}')`,
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
