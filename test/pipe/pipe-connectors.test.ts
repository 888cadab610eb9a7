import { describe, expect, it } from 'vitest';
import type { Session } from '../../protocol/client/session.js';
import { DataType } from '../../tsfile/data-type.js';
import { createPipeSql, eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

/** Writes `tablets` tablets of `size` rows to root.db.d.s from time `from`, flushing every few. */
async function writeSeries(session: Session, from: number, tablets: number, size: number): Promise<void> {
  for (let k = 0; k < tablets; k++) {
    const times = BigInt64Array.from({ length: size }, (_, i) => BigInt(from + k * size + i));
    await session.insertTablet({
      device: 'root.db.d',
      measurements: ['s'],
      dataTypes: [DataType.INT64],
      times,
      columns: [times.map((t) => t * 3n)],
      nulls: [null],
      rowCount: size,
      aligned: false,
    });
    if (k % 7 === 6) await session.executeStatement('flush');
  }
}

const everything = (s: Session) => rows(s, 'select ** from root');

describe('connectors', () => {
  it('the async connector gives B the same data set as A, history and realtime', async () => {
    const a = await node();
    const b = await node();
    await writeSeries(a.session, 0, 20, 1000);
    await a.session.executeStatement(createPipeSql('a2b', 'iotdb-thrift-async-connector', b.node.port));
    await a.session.executeStatement('start pipe a2b');
    await writeSeries(a.session, 20_000, 30, 500);
    await a.session.executeStatement("insert into root.db.e(time, t) aligned values (1, 'x')");
    const expected = await everything(a.session);
    await eventually(
      async () => JSON.stringify(await everything(b.session)) === JSON.stringify(expected),
      'B to hold A’s data',
    );
    expect((await rows(a.session, 'show pipe a2b'))[0]![3]).toBe('RUNNING');
  }, 60_000);

  it('pipes with the same connector attributes share one instance, one more value does not', async () => {
    const a = await node();
    const b = await node();
    const port = b.node.port;
    await a.session.executeStatement(
      `create pipe p1 with extractor ('extractor.pattern'='root.db.x') with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${port}')`,
    );
    await a.session.executeStatement(
      `create pipe p2 with extractor ('extractor.pattern'='root.db.y') with connector ( 'connector.port' = '${port}' , 'connector.ip'='127.0.0.1',  'sink'='iotdb-thrift-connector', )`,
    );
    await a.session.executeStatement(
      `create pipe p3 with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${port}', 'connector.batch.enable'='false')`,
    );
    const usedBy = async (id: string) =>
      (await rows(a.session, `show pipes where connector used by ${id}`)).map((r) => r[1]).sort();
    expect(await usedBy('p1')).toEqual(['p1', 'p2']);
    expect(await usedBy('p3')).toEqual(['p3']);
    for (const p of ['p1', 'p2', 'p3']) await a.session.executeStatement(`start pipe ${p}`);
    expect(a.node.node.pipes.connectorInstances).toBe(2);

    await a.session.executeStatement('insert into root.db.x(time, s) values (1, 1)');
    await a.session.executeStatement('insert into root.db.y(time, s) values (2, 2)');
    await eventually(async () => (await everything(b.session)).length === 2, 'rows of p1 and p2');
    await a.session.executeStatement('drop pipe p1');
    expect(a.node.node.pipes.connectorInstances).toBe(2);
    await a.session.executeStatement('insert into root.db.y(time, s) values (3, 3)');
    await eventually(async () => (await everything(b.session)).length === 3, 'p2 still delivering after p1 is dropped');
    expect((await rows(a.session, 'show pipe p2'))[0]![3]).toBe('RUNNING');
    await a.session.executeStatement('drop pipe p2');
    expect(a.node.node.pipes.connectorInstances).toBe(1);
  }, 60_000);

  it('moves to the next of connector.node-urls when a receiver is down, and loses nothing', async () => {
    const a = await node();
    const b1 = await node();
    const b2 = await node();
    await a.session.executeStatement(
      `create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.node-urls'='127.0.0.1:${b1.node.port},127.0.0.1:${b2.node.port}')`,
    );
    await a.session.executeStatement('start pipe a2b');
    await writeSeries(a.session, 0, 5, 100);
    await eventually(async () => (await everything(b1.session)).length === 500, 'the first rows on B1');
    await b1.session.close();
    await b1.node.node.stop();
    await writeSeries(a.session, 500, 5, 100);
    await eventually(async () => (await everything(b2.session)).length === 500, 'the later rows on B2');
    const union = [...(await everything(b2.session))];
    expect(union.map((r) => r[0])).toEqual(Array.from({ length: 500 }, (_, i) => String(500 + i)));
    expect((await rows(a.session, 'show pipe a2b'))[0]![3]).toBe('RUNNING');
  }, 60_000);
});
