import { afterEach, describe, expect, it } from 'vitest';
import type { QueryResult } from '../../../protocol/client/query-result.js';
import { Session } from '../../../protocol/client/session.js';
import type { ResultBlock } from '../../../protocol/result-block.js';
import type { TSOpenSessionReq } from '../../../protocol/rpc-types.js';
import { DataType } from '../../../tsfile/data-type.js';
import { FAKE_SESSION_ID, FAKE_STATEMENT_ID, type FakeNode, i64, startFakeNode } from './fake-node.js';

const enc = new TextEncoder();

/** 5 rows: INT64 s1 (row 2 null), TEXT s2, DOUBLE s3. */
const ROWS: ResultBlock = {
  times: BigInt64Array.of(1n, 2n, 3n, 4n, 5n),
  columns: [
    {
      type: DataType.INT64,
      values: BigInt64Array.of(10n, 20n, 0n, 40n, -(2n ** 63n)),
      nulls: Uint8Array.of(0, 0, 1, 0, 0),
    },
    { type: DataType.TEXT, values: ['a', 'b', 'c', 'd', 'é'].map((s) => enc.encode(s)), nulls: null },
    { type: DataType.DOUBLE, values: Float64Array.of(0.5, 1.5, 2.5, 3.5, 4.5), nulls: null },
  ],
  rowCount: 5,
};

const SELECT = {
  columns: ['root.sg.d1.s1', 'root.sg.d1.s2', 'root.sg.d1.s3'],
  dataTypes: [DataType.INT64, DataType.TEXT, DataType.DOUBLE],
  rows: ROWS,
};

let node: FakeNode | null = null;
let session: Session | null = null;
afterEach(async () => {
  await session?.close();
  await node?.close();
  session = null;
  node = null;
});

async function readAll(result: QueryResult): Promise<ResultBlock[]> {
  const blocks: ResultBlock[] = [];
  for await (const b of result) blocks.push(b);
  return blocks;
}

describe('Session against a fake node', () => {
  for (const compact of [false, true]) {
    it(`opens and closes a session as IoTDB's Session does (${compact ? 'compact' : 'binary'} protocol)`, async () => {
      node = await startFakeNode({ precision: 'us' });
      session = await Session.open({
        port: node.port,
        user: 'alice',
        password: 'root',
        zoneId: 'Asia/Shanghai',
        compact,
      });
      const [open] = node.callsOf('openSession')[0] as [TSOpenSessionReq];
      expect(open).toMatchObject({
        client_protocol: 2,
        zoneId: 'Asia/Shanghai',
        username: 'alice',
        password: 'root',
        configuration: { version: 'V_1_0' },
      });
      expect(i64(node.callsOf('requestStatementId')[0]![0])).toBe(FAKE_SESSION_ID);
      expect(i64(session.sessionId)).toBe(FAKE_SESSION_ID);
      expect(i64(session.statementId)).toBe(FAKE_STATEMENT_ID);
      expect(session.timestampPrecision).toBe('us');
      expect(session.zoneId).toBe('Asia/Shanghai');
      await session.close();
      expect(session.isOpen).toBe(false);
      expect(node.calls.map((c) => c.method)).toEqual(['openSession', 'requestStatementId', 'closeSession']);
      await expect(session.executeStatement('show databases')).rejects.toThrow('the session is closed');
    });
  }

  it('answers null for a statement without rows', async () => {
    node = await startFakeNode();
    session = await Session.open({ port: node.port });
    expect(await session.executeStatement('create database root.sg')).toBeNull();
    const [req] = node.callsOf('executeStatementV2')[0] as [Record<string, unknown>];
    expect(req).toMatchObject({ statement: 'create database root.sg', fetchSize: 5000 });
    expect(i64(req.sessionId)).toBe(FAKE_SESSION_ID);
    expect(i64(req.statementId)).toBe(FAKE_STATEMENT_ID);
    await expect(session.executeQuery('create database root.sg')).rejects.toThrow('no result set');
  });

  it('pages a result through fetchResultsV2 until moreData is false, decoding every value', async () => {
    node = await startFakeNode({ statements: { 'select * from root.sg.d1': SELECT } });
    session = await Session.open({ port: node.port, fetchSize: 2 });
    const result = await session.executeQuery('select * from root.sg.d1');
    expect(result.columnNames).toEqual(SELECT.columns);
    expect(result.dataTypes).toEqual(SELECT.dataTypes);
    expect(result.ignoreTimeStamp).toBe(false);
    const blocks = await readAll(result);
    expect(blocks.map((b) => b.rowCount)).toEqual([2, 2, 1]);
    expect(blocks.flatMap((b) => [...b.times])).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(blocks.flatMap((b) => [...(b.columns[0]!.values as BigInt64Array)])).toEqual([
      10n,
      20n,
      0n,
      40n,
      -(2n ** 63n),
    ]);
    expect(blocks.flatMap((b) => [...(b.columns[0]!.nulls ?? new Uint8Array(b.rowCount))])).toEqual([0, 0, 1, 0, 0]);
    const dec = new TextDecoder();
    expect(blocks.flatMap((b) => (b.columns[1]!.values as Uint8Array[]).map((v) => dec.decode(v)))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'é',
    ]);
    expect(blocks.flatMap((b) => [...(b.columns[2]!.values as Float64Array)])).toEqual([0.5, 1.5, 2.5, 3.5, 4.5]);
    const fetches = node.callsOf('fetchResultsV2').map(([req]) => req as Record<string, unknown>);
    expect(fetches).toHaveLength(2);
    for (const f of fetches) {
      expect(f).toMatchObject({ statement: 'select * from root.sg.d1', fetchSize: 2, isAlign: true });
      expect(i64(f.queryId)).toBe(100n);
    }
    // The node closed the query with its last page: no closeOperation round trip.
    expect(node.callsOf('closeOperation')).toHaveLength(0);
    expect(node.openQueryCount()).toBe(0);
    expect(() => result.blocks()).toThrow('only once');
  });

  it('takes a per-statement fetch size and reads a single-page result without fetching', async () => {
    node = await startFakeNode({ statements: { q: SELECT } });
    session = await Session.open({ port: node.port, fetchSize: 2 });
    const blocks = await readAll(await session.executeQuery('q', { fetchSize: 10, timeoutMs: 1500 }));
    expect(blocks.map((b) => b.rowCount)).toEqual([5]);
    const [req] = node.callsOf('executeStatementV2')[0] as [Record<string, unknown>];
    expect(req.fetchSize).toBe(10);
    expect(i64(req.timeout)).toBe(1500n);
    expect(node.callsOf('fetchResultsV2')).toHaveLength(0);
  });

  it('releases the query on the node when iteration stops early', async () => {
    node = await startFakeNode({ statements: { q: { ...SELECT, rows: { ...ROWS } } } });
    session = await Session.open({ port: node.port, fetchSize: 1 });
    const result = await session.executeQuery('q');
    for await (const block of result) {
      expect(block.rowCount).toBe(1);
      break;
    }
    const [close] = node.callsOf('closeOperation')[0] as [Record<string, unknown>];
    expect(i64(close.queryId)).toBe(100n);
    expect(i64(close.statementId)).toBe(FAKE_STATEMENT_ID);
    expect(i64(close.sessionId)).toBe(FAKE_SESSION_ID);
    expect(node.openQueryCount()).toBe(0);
    // The session goes on.
    expect((await session.query('q')).blocks).toHaveLength(5);
  });

  it('releases a result that is never read', async () => {
    node = await startFakeNode({ statements: { q: SELECT } });
    session = await Session.open({ port: node.port, fetchSize: 2 });
    const result = await session.executeQuery('q');
    expect(node.openQueryCount()).toBe(1);
    await result.close();
    await result.close();
    expect(node.callsOf('closeOperation')).toHaveLength(1);
    expect(node.openQueryCount()).toBe(0);
  });

  it("reads IoTDB's layout where a repeated column travels once (columnNameIndexMap)", async () => {
    node = await startFakeNode({
      statements: {
        'select s1, s1, s3 from root.sg.d1': {
          columns: ['root.sg.d1.s1', 'root.sg.d1.s1', 'root.sg.d1.s3'],
          dataTypes: [DataType.INT64, DataType.INT64, DataType.DOUBLE],
          rows: ROWS,
          blockColumns: [0, 2],
          columnNameIndexMap: { 'root.sg.d1.s1': 0, 'root.sg.d1.s3': 1 },
          pageRows: 3,
        },
      },
    });
    session = await Session.open({ port: node.port });
    const { blocks } = await session.query('select s1, s1, s3 from root.sg.d1');
    expect(blocks.map((b) => b.rowCount)).toEqual([3, 2]);
    for (const b of blocks) {
      expect(b.columns).toHaveLength(3);
      expect(b.columns[1]).toBe(b.columns[0]);
      expect(b.columns[2]!.type).toBe(DataType.DOUBLE);
    }
    expect([...(blocks[1]!.columns[2]!.values as Float64Array)]).toEqual([3.5, 4.5]);
  });

  it('reports ignoreTimeStamp and logical types (STRING, BLOB, DATE, TIMESTAMP)', async () => {
    const rows: ResultBlock = {
      times: BigInt64Array.of(0n),
      columns: [
        { type: DataType.STRING, values: [enc.encode('x')], nulls: null },
        { type: DataType.BLOB, values: [Uint8Array.of(0xca, 0xfe)], nulls: null },
        { type: DataType.DATE, values: Int32Array.of(20240229), nulls: null },
        { type: DataType.TIMESTAMP, values: BigInt64Array.of(86_400_000n), nulls: null },
      ],
      rowCount: 1,
    };
    node = await startFakeNode({
      statements: {
        show: {
          columns: ['a', 'b', 'c', 'd'],
          dataTypes: [DataType.STRING, DataType.BLOB, DataType.DATE, DataType.TIMESTAMP],
          ignoreTimeStamp: true,
          rows,
        },
      },
    });
    session = await Session.open({ port: node.port });
    const { result, blocks } = await session.query('show');
    expect(result.ignoreTimeStamp).toBe(true);
    expect(blocks[0]!.columns.map((c) => c.type)).toEqual([
      DataType.STRING,
      DataType.BLOB,
      DataType.DATE,
      DataType.TIMESTAMP,
    ]);
    expect(blocks[0]!.columns[2]!.values).toEqual(Int32Array.of(20240229));
  });

  it('runs calls concurrently on one connection, each answer reaching its caller', async () => {
    node = await startFakeNode({ statements: { a: SELECT, b: { ...SELECT, rows: { ...ROWS, rowCount: 2 } } } });
    session = await Session.open({ port: node.port, fetchSize: 2 });
    const [a, b] = await Promise.all([session.query('a'), session.query('b')]);
    expect(a.blocks.reduce((n, x) => n + x.rowCount, 0)).toBe(5);
    expect(b.blocks.reduce((n, x) => n + x.rowCount, 0)).toBe(2);
  });
});
