import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, IoTDBError } from '../../protocol/client/iotdb-error.js';
import { Session } from '../../protocol/client/session.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { DataType } from '../../tsfile/data-type.js';
import { startTestNode, type TestNode } from './node-harness.js';

let node: TestNode | null = null;
afterEach(async () => {
  await node?.close();
  node = null;
});

function count(blocks: readonly ResultBlock[]): number {
  return blocks.reduce((n, b) => n + b.rowCount, 0);
}

describe('the project Session client against a node', () => {
  it('writes tablets and string records, runs statements, and pages queries to the end', async () => {
    node = await startTestNode();
    const session = await Session.open({ port: node.port, fetchSize: 300 });
    expect(session.timestampPrecision).toBe('ms');
    const n = 1000;
    const times = BigInt64Array.from({ length: n }, (_, i) => BigInt(i));
    await session.insertTablet({
      device: 'root.sg.d1',
      measurements: ['s1'],
      dataTypes: [DataType.INT64],
      times,
      columns: [times.slice()],
      nulls: [null],
      rowCount: n,
      aligned: false,
    });
    await session.insertStringRecords([{ device: 'root.sg.d2', time: 5, measurements: ['a'], values: ['1.5'] }]);
    const { result, blocks } = await session.query('select s1 from root.sg.d1');
    expect(result.columnNames).toEqual(['root.sg.d1.s1']);
    expect(blocks.map((b) => b.rowCount)).toEqual([300, 300, 300, 100]);
    expect(count(blocks)).toBe(n);
    expect(await session.executeStatement('flush')).toBeNull();
    const { blocks: d2 } = await session.query('select a from root.sg.d2');
    expect(d2[0]!.columns[0]!.values).toEqual(Float64Array.of(1.5));
    await session.close();
  });

  it('rejects failing statements with IoTDB codes and a stopped query releases it on the node', async () => {
    node = await startTestNode();
    const session = await Session.open({ port: node.port, fetchSize: 2 });
    await expect(session.executeStatement('select from')).rejects.toBeInstanceOf(IoTDBError);
    await expect(session.executeStatement('create database root')).rejects.toMatchObject({ code: 509 });
    await session.executeStatement('insert into root.sg.d(time, a) values (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)');
    const result = (await session.executeStatement('select a from root.sg.d'))!;
    for await (const _ of result.blocks()) break;
    const again = await session.query('select a from root.sg.d');
    expect(count(again.blocks)).toBe(5);
    await session.close();
  });

  it('reports an unreachable node, a wrong password and a node that goes away as clear errors', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(Session.open({ port })).rejects.toThrow(ConnectionError);
    await expect(Session.open({ port })).rejects.toThrow(/ECONNREFUSED/);

    node = await startTestNode();
    await expect(Session.open({ port: node.port, password: 'nope' })).rejects.toMatchObject({ code: 801 });
    const session = await Session.open({ port: node.port });
    await node.close();
    node = null;
    await expect(session.executeStatement('show databases')).rejects.toBeInstanceOf(ConnectionError);
  });
});
