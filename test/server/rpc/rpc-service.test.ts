import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeFilePieceResp,
  encodeHandshakeV1,
  encodeTsFilePiece,
  encodeTsFileSeal,
} from '../../../protocol/pipe/pipe-requests.js';
import { decodeQueryDataSet } from '../../../protocol/query-dataset-codec.js';
import { encodeRecordValues } from '../../../protocol/record-values-codec.js';
import type { ResultBlock } from '../../../protocol/result-block.js';
import { i64ToBigInt, TCompactProtocol, toI64 } from '../../../protocol/rpc-types.js';
import { encodeTablet } from '../../../protocol/tablet-codec.js';
import { decodeTsBlock } from '../../../protocol/tsblock-codec.js';
import { DataType, parseDataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { startTestNode, type TestNode } from '../node-harness.js';

let node: TestNode | null = null;
afterEach(async () => {
  await node?.close();
  node = null;
});

function tablet(device: string, rows: number, from = 0): Tablet {
  const times = new BigInt64Array(rows);
  const s1 = new BigInt64Array(rows);
  const s2 = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    times[i] = BigInt(from + i);
    s1[i] = BigInt((from + i) * 10);
    s2[i] = (from + i) / 2;
  }
  return {
    device,
    measurements: ['s1', 's2'],
    dataTypes: [DataType.INT64, DataType.DOUBLE],
    times,
    columns: [s1, s2],
    nulls: [null, null],
    rowCount: rows,
    aligned: false,
  };
}

/** Every row of a block list as [time, ...values] (bigint/number). */
function rowsOf(blocks: readonly ResultBlock[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const b of blocks) {
    for (let i = 0; i < b.rowCount; i++) {
      rows.push([
        b.times[i],
        ...b.columns.map((c) => (c.nulls?.[i] === 1 ? null : (c.values as ArrayLike<unknown>)[i])),
      ]);
    }
  }
  return rows;
}

describe('the node RPC service', () => {
  it('logs in with root/root and refuses a wrong password or protocol with IoTDB codes', async () => {
    node = await startTestNode();
    const c = await node.connect();
    const wrong = await c.rpc.openSession({ client_protocol: 2, zoneId: 'UTC', username: 'root', password: 'nope' });
    expect(wrong.status.code).toBe(801);
    expect(wrong.status.message).toContain('Authentication failed');
    const old = await c.rpc.openSession({ client_protocol: 1, zoneId: 'UTC', username: 'root', password: 'root' });
    expect(old.status.code).toBe(201);
    const ok = await c.rpc.openSession({
      client_protocol: 2,
      zoneId: 'Asia/Shanghai',
      username: 'root',
      password: 'root',
      configuration: { version: 'V_1_0' },
    });
    expect(ok.status.code).toBe(200);
    expect(ok.serverProtocolVersion).toBe(2);
    expect(ok.configuration).toEqual({ timestamp_precision: 'ms' });
    expect((await c.rpc.getTimeZone(ok.sessionId!)).timeZone).toBe('Asia/Shanghai');
    expect((await c.rpc.setTimeZone({ sessionId: ok.sessionId!, timeZone: 'Mars/Base' })).code).toBe(703);
    expect((await c.rpc.closeSession({ sessionId: ok.sessionId! })).code).toBe(200);
    expect((await c.rpc.closeSession({ sessionId: ok.sessionId! })).code).toBe(802);
  });

  it('answers calls without a session, or with another session id, with NOT_LOGIN', async () => {
    node = await startTestNode();
    const c = await node.connect();
    const noSession = await c.rpc.executeStatementV2({ sessionId: 1, statement: 'show databases', statementId: 0 });
    expect(noSession.status.code).toBe(802);
    const id = await c.login();
    const other = await c.rpc.insertTablet({
      sessionId: toI64(i64ToBigInt(id) + 100n),
      ...encodeTablet(tablet('root.sg.d1', 1)),
    });
    expect(other.code).toBe(802);
  });

  it('writes tablets and pages a query through fetchResultsV2 (TsBlocks) and fetchResults (data sets)', async () => {
    node = await startTestNode();
    const c = await node.connect();
    const sessionId = await c.login();
    expect((await c.rpc.insertTablet({ sessionId, ...encodeTablet(tablet('root.sg.d1', 10)) })).code).toBe(200);
    const expected = Array.from({ length: 10 }, (_, i) => [BigInt(i), BigInt(i * 10), i / 2]);

    const statementId = await c.rpc.requestStatementId(sessionId);
    const first = await c.rpc.executeQueryStatementV2({
      sessionId,
      statement: 'select * from root.sg.d1',
      statementId,
      fetchSize: 4,
    });
    expect(first.status.code).toBe(200);
    expect(first.columns).toEqual(['root.sg.d1.s1', 'root.sg.d1.s2']);
    expect(first.dataTypeList).toEqual(['INT64', 'DOUBLE']);
    expect(first.ignoreTimeStamp).toBe(false);
    expect(first.columnNameIndexMap).toEqual({ 'root.sg.d1.s1': 0, 'root.sg.d1.s2': 1 });
    expect(first.moreData).toBe(true);
    const blocks = first.queryResult!.map((b) => decodeTsBlock(b));
    let more = first.moreData;
    while (more) {
      const page = await c.rpc.fetchResultsV2({
        sessionId,
        statement: '',
        fetchSize: 4,
        queryId: first.queryId!,
        isAlign: true,
      });
      expect(page.status.code).toBe(200);
      blocks.push(...(page.queryResult ?? []).map((b) => decodeTsBlock(b)));
      more = page.moreData!;
    }
    expect(blocks.map((b) => b.rowCount)).toEqual([4, 4, 2]);
    expect(rowsOf(blocks)).toEqual(expected);
    const after = await c.rpc.fetchResultsV2({
      sessionId,
      statement: '',
      fetchSize: 4,
      queryId: first.queryId!,
      isAlign: true,
    });
    expect(after).toMatchObject({ hasResultSet: false, moreData: false });

    const v1 = await c.rpc.executeQueryStatement({
      sessionId,
      statement: 'select * from root.sg.d1',
      statementId,
      fetchSize: 6,
    });
    const types = v1.dataTypeList!.map(parseDataType);
    const sets = [decodeQueryDataSet(v1.queryDataSet!, types)];
    for (;;) {
      const page = await c.rpc.fetchResults({
        sessionId,
        statement: '',
        fetchSize: 6,
        queryId: v1.queryId!,
        isAlign: true,
      });
      if (!page.hasResultSet) break;
      sets.push(decodeQueryDataSet(page.queryDataSet!, types));
    }
    expect(sets.map((s) => s.rowCount)).toEqual([6, 4]);
    expect(rowsOf(sets)).toEqual(expected);
    expect((await c.rpc.closeOperation({ sessionId, queryId: v1.queryId!, statementId })).code).toBe(200);
  });

  it('speaks the compact protocol too', async () => {
    node = await startTestNode();
    const c = await node.connect(TCompactProtocol);
    const sessionId = await c.login();
    expect((await c.rpc.insertTablet({ sessionId, ...encodeTablet(tablet('root.sg.d1', 3)) })).code).toBe(200);
    const r = await c.rpc.executeQueryStatementV2({
      sessionId,
      statement: 'select s1 from root.sg.d1',
      statementId: 0,
      fetchSize: 100,
    });
    expect(rowsOf(r.queryResult!.map((b) => decodeTsBlock(b)))).toEqual([
      [0n, 0n],
      [1n, 10n],
      [2n, 20n],
    ]);
    expect(r.moreData).toBe(false);
  });

  it('writes typed and string records, inferring the types of new series as IoTDB does', async () => {
    node = await startTestNode();
    const c = await node.connect();
    const sessionId = await c.login();
    const values = encodeRecordValues([DataType.INT32, DataType.TEXT], [7, new TextEncoder().encode('x')]);
    expect(
      (
        await c.rpc.insertRecords({
          sessionId,
          prefixPaths: ['root.sg.r'],
          measurementsList: [['a', 'b']],
          valuesList: [values],
          timestamps: [5],
        })
      ).code,
    ).toBe(200);
    expect(
      (
        await c.rpc.insertStringRecord({
          sessionId,
          prefixPath: 'root.sg.r',
          measurements: ['a', 'c', 'd'],
          values: ['8', '1.5', 'true'],
          timestamp: 6,
        })
      ).code,
    ).toBe(200);
    const series = node.node.engine.matchSeries('root.sg.r.*').map((s) => [s.measurement, s.dataType]);
    expect(series).toEqual([
      ['a', DataType.INT32],
      ['b', DataType.TEXT],
      ['c', DataType.DOUBLE],
      ['d', DataType.BOOLEAN],
    ]);
    const mismatch = await c.rpc.insertStringRecord({
      sessionId,
      prefixPath: 'root.sg.r',
      measurements: ['a'],
      values: ['abc'],
      timestamp: 7,
    });
    expect(mismatch.code).toBe(614);
  });

  it('returns SQL errors as statuses and keeps the connection', async () => {
    node = await startTestNode();
    const c = await node.connect();
    const sessionId = await c.login();
    const bad = await c.rpc.executeStatementV2({ sessionId, statement: 'selec * from root.**', statementId: 0 });
    expect(bad.status.code).toBe(700);
    expect(bad.status.message).toMatch(/^line 1:0 /);
    const ok = await c.rpc.executeStatementV2({ sessionId, statement: 'create database root.sg', statementId: 0 });
    expect(ok.status.code).toBe(200);
    const again = await c.rpc.executeStatementV2({ sessionId, statement: 'create database root.sg', statementId: 0 });
    expect(again.status.code).toBe(501);
  });

  it('refuses unknown series when automatic schema creation is off', async () => {
    node = await startTestNode({ enable_auto_create_schema: 'false' });
    const c = await node.connect();
    const sessionId = await c.login();
    const status = await c.rpc.insertTablet({ sessionId, ...encodeTablet(tablet('root.sg.d1', 2)) });
    expect(status.code).toBe(508);
  });

  it('answers an oversized frame with status 308 and goes on serving the connection', async () => {
    node = await startTestNode({ thrift_max_frame_size: '65536' });
    const c = await node.connect();
    const sessionId = await c.login();
    const big = await c.rpc.insertTablet({ sessionId, ...encodeTablet(tablet('root.sg.d1', 10_000)) });
    expect(big.code).toBe(308);
    expect(big.message).toContain('larger than max length (65536)');
    expect((await c.rpc.insertTablet({ sessionId, ...encodeTablet(tablet('root.sg.d1', 10)) })).code).toBe(200);
  });

  it('answers a tablet whose lengths lie with ILLEGAL_PARAMETER', async () => {
    node = await startTestNode();
    const c = await node.connect();
    const sessionId = await c.login();
    const encoded = encodeTablet(tablet('root.sg.d1', 4));
    const status = await c.rpc.insertTablet({ sessionId, ...encoded, size: 40 });
    expect(status.code).toBe(303);
  });

  it('closes a connection that sends garbage and keeps serving the others', async () => {
    node = await startTestNode();
    const good = await node.connect();
    const sessionId = await good.login();
    const socket = net.connect(node.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    const r = await good.rpc.executeStatementV2({ sessionId, statement: 'show databases', statementId: 0 });
    expect(r.status.code).toBe(200);
  });

  it('checks privileges per statement for other users', async () => {
    node = await startTestNode();
    const admin = await node.connect();
    const rootSession = await admin.login();
    const run = (sessionId: unknown, statement: string) =>
      admin.rpc.executeStatementV2({ sessionId: sessionId as number, statement, statementId: 0 });
    expect(
      (await admin.rpc.insertTablet({ sessionId: rootSession, ...encodeTablet(tablet('root.sg.d1', 3)) })).code,
    ).toBe(200);
    expect((await run(rootSession, "create user alice 'secret1'")).status.code).toBe(200);

    const user = await node.connect();
    const alice = await user.login('alice', 'secret1');
    const denied = await user.rpc.executeQueryStatementV2({
      sessionId: alice,
      statement: 'select s1 from root.sg.d1',
      statementId: 0,
    });
    expect(denied.status.code).toBe(803);
    expect(denied.status.message).toContain('READ_DATA');
    const write = await user.rpc.insertTablet({ sessionId: alice, ...encodeTablet(tablet('root.sg.d1', 1)) });
    expect(write.code).toBe(803);
    expect((await run(rootSession, 'grant READ_DATA on root.sg.** to user alice')).status.code).toBe(200);
    const allowed = await user.rpc.executeQueryStatementV2({
      sessionId: alice,
      statement: 'select s1 from root.sg.d1',
      statementId: 0,
    });
    expect(allowed.status.code).toBe(200);
    const users = await run(rootSession, 'list user');
    expect(users.columns).toEqual(['User']);
    expect(
      rowsOf(users.queryResult!.map((b) => decodeTsBlock(b))).map((r) => new TextDecoder().decode(r[1] as Uint8Array)),
    ).toEqual(['alice', 'root']);
  });

  it('runs pipe statements and validates pipeTransfer requests with IoTDB pipe codes', async () => {
    node = await startTestNode();
    const c = await node.connect();
    const sessionId = await c.login();
    const r = await c.rpc.executeStatementV2({ sessionId, statement: 'show pipes', statementId: 0 });
    expect(r.status.code).toBe(200);
    expect(r.columns).toEqual([
      'ID',
      'CreationTime',
      'State',
      'PipeExtractor',
      'PipeProcessor',
      'PipeConnector',
      'ExceptionMessage',
      'RemainingEventCount',
      'EstimatedRemainingTime',
    ]);
    const early = await c.rpc.pipeTransfer(encodeTsFileSeal('x.tsfile', 10));
    expect(early.status.code).toBe(1802);
    expect((await c.rpc.pipeTransfer({ version: 9, type: 1, body: Buffer.alloc(0) })).status.code).toBe(1800);
    expect((await c.rpc.pipeTransfer({ version: 1, type: 99, body: Buffer.alloc(0) })).status.code).toBe(1801);
    expect((await c.rpc.pipeTransfer(encodeHandshakeV1('ns'))).status.code).toBe(1802);
    expect((await c.rpc.pipeTransfer(encodeHandshakeV1('ms'))).status.code).toBe(200);
    const lying = { version: 1, type: 3, body: Buffer.from('00000010', 'hex') };
    expect((await c.rpc.pipeTransfer(lying)).status.code).toBe(303);
    const notTsFile = await c.rpc.pipeTransfer(encodeTsFilePiece('x.tsfile', 0, Buffer.from('not a tsfile')));
    expect(notTsFile.status.code).toBe(200);
    const resume = await c.rpc.pipeTransfer(encodeTsFilePiece('x.tsfile', 3, Buffer.from('zz')));
    expect(resume.status.code).toBe(1803);
    expect(decodeFilePieceResp(resume).endWritingOffset).toBe(12n);
    const sealed = await c.rpc.pipeTransfer(encodeTsFileSeal('x.tsfile', 12));
    expect(sealed.status.code).toBe(1100);
  });
});
