import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecordValues } from '../../../protocol/record-values-codec.js';
import type { ResultBlock } from '../../../protocol/result-block.js';
import { TAggregationType, TBinaryProtocol, TFramedTransport, Thrift } from '../../../protocol/rpc-types.js';
import { encodeTablet } from '../../../protocol/tablet-codec.js';
import { decodeTsBlock } from '../../../protocol/tsblock-codec.js';
import { Compression } from '../../../tsfile/compression-type.js';
import { DataType } from '../../../tsfile/data-type.js';
import { Encoding } from '../../../tsfile/encoding-type.js';
import { startTestNode, type TestNode } from '../node-harness.js';

let node: TestNode | null = null;
afterEach(async () => {
  await node?.close();
  node = null;
});

function cells(blocks: readonly Buffer[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const b of blocks.map((x) => decodeTsBlock(x)) as ResultBlock[]) {
    for (let i = 0; i < b.rowCount; i++) {
      rows.push([
        b.times[i],
        ...b.columns.map((c) => (c.nulls?.[i] === 1 ? null : (c.values as ArrayLike<unknown>)[i])),
      ]);
    }
  }
  return rows;
}

describe('the structured RPCs', () => {
  it('create, write, query, aggregate, delete and drop through their own methods', async () => {
    node = await startTestNode();
    const c = await node.connect();
    const sessionId = await c.login();
    const statementId = await c.rpc.requestStatementId(sessionId);
    const ok = (status: { code: number; message?: string | null }) =>
      expect(status, status.message ?? '').toMatchObject({ code: 200 });

    ok(await c.rpc.setStorageGroup(sessionId, 'root.sg'));
    ok(
      await c.rpc.createTimeseries({
        sessionId,
        path: 'root.sg.d1.s1',
        dataType: DataType.INT32,
        encoding: Encoding.RLE,
        compressor: Compression.SNAPPY,
      }),
    );
    ok(
      await c.rpc.createMultiTimeseries({
        sessionId,
        paths: ['root.sg.d1.s2', 'root.sg.d1.s3'],
        dataTypes: [DataType.DOUBLE, DataType.TEXT],
        encodings: [Encoding.GORILLA, Encoding.PLAIN],
        compressors: [Compression.LZ4, Compression.LZ4],
      }),
    );
    ok(
      await c.rpc.createAlignedTimeseries({
        sessionId,
        prefixPath: 'root.sg.a1',
        measurements: ['x', 'y'],
        dataTypes: [DataType.FLOAT, DataType.BOOLEAN],
        encodings: [Encoding.PLAIN, Encoding.RLE],
        compressors: [Compression.LZ4, Compression.LZ4],
      }),
    );
    const badCode = await c.rpc.createTimeseries({
      sessionId,
      path: 'root.sg.d1.s9',
      dataType: 99,
      encoding: 0,
      compressor: 0,
    });
    expect(badCode.code).toBe(303);

    const values = [1, 2, 3].map((i) =>
      encodeRecordValues(
        [DataType.INT32, DataType.DOUBLE, DataType.TEXT],
        [i, i / 2, new TextEncoder().encode(`t${i}`)],
      ),
    );
    ok(
      await c.rpc.insertRecordsOfOneDevice({
        sessionId,
        prefixPath: 'root.sg.d1',
        measurementsList: [1, 2, 3].map(() => ['s1', 's2', 's3']),
        valuesList: values,
        timestamps: [1, 2, 3],
      }),
    );
    ok(
      await c.rpc.insertStringRecordsOfOneDevice({
        sessionId,
        prefixPath: 'root.sg.d1',
        measurementsList: [['s1', 's3']],
        valuesList: [['4', 'four']],
        timestamps: [4],
      }),
    );
    const aligned = encodeTablet({
      device: 'root.sg.a1',
      aligned: true,
      measurements: ['x', 'y'],
      dataTypes: [DataType.FLOAT, DataType.BOOLEAN],
      times: BigInt64Array.of(1n, 2n),
      columns: [Float32Array.of(0.5, 1.5), Uint8Array.of(1, 0)],
      nulls: [null, Uint8Array.of(0, 1)],
      rowCount: 2,
    });
    ok(
      await c.rpc.insertTablets({
        sessionId,
        prefixPaths: [aligned.prefixPath],
        measurementsList: [aligned.measurements],
        valuesList: [aligned.values],
        timestampsList: [aligned.timestamps],
        typesList: [aligned.types],
        sizeList: [aligned.size],
        isAligned: true,
      }),
    );
    ok(await c.rpc.testInsertTablet({ sessionId, ...aligned }));

    const raw = await c.rpc.executeRawDataQueryV2({
      sessionId,
      paths: ['root.sg.d1.s1', 'root.sg.d1.s3'],
      startTime: 2,
      endTime: 4,
      statementId,
    });
    expect(raw.columns).toEqual(['root.sg.d1.s1', 'root.sg.d1.s3']);
    expect(cells(raw.queryResult!).map((r) => [r[0], r[1], new TextDecoder().decode(r[2] as Uint8Array)])).toEqual([
      [2n, 2, 't2'],
      [3n, 3, 't3'],
    ]);
    const tablet = await c.rpc.executeRawDataQueryV2({
      sessionId,
      paths: ['root.sg.a1.x', 'root.sg.a1.y'],
      startTime: 0,
      endTime: 10,
      statementId,
    });
    expect(cells(tablet.queryResult!)).toEqual([
      [1n, 0.5, 1],
      [2n, 1.5, null],
    ]);

    const last = await c.rpc.executeLastDataQueryV2({
      sessionId,
      paths: ['root.sg.d1.s1', 'root.sg.d1.s2'],
      time: 0,
      statementId,
    });
    expect(last.columns).toEqual(['Timeseries', 'Value', 'DataType']);
    expect(
      cells(last.queryResult!).map((r) => [r[0], ...r.slice(1).map((v) => new TextDecoder().decode(v as Uint8Array))]),
    ).toEqual([
      [4n, 'root.sg.d1.s1', '4', 'INT32'],
      [3n, 'root.sg.d1.s2', '1.5', 'DOUBLE'],
    ]);

    const agg = await c.rpc.executeAggregationQueryV2({
      sessionId,
      statementId,
      paths: ['root.sg.d1.s1', 'root.sg.d1.s2'],
      aggregations: [TAggregationType.COUNT, TAggregationType.MAX_VALUE],
    });
    expect(agg.ignoreTimeStamp).toBe(true);
    expect(agg.columns).toEqual(['count(root.sg.d1.s1)', 'max_value(root.sg.d1.s2)']);
    expect(cells(agg.queryResult!)).toEqual([[0n, 4n, 1.5]]);
    const windows = await c.rpc.executeAggregationQueryV2({
      sessionId,
      statementId,
      paths: ['root.sg.d1.s1'],
      aggregations: [TAggregationType.COUNT],
      startTime: 1,
      endTime: 5,
      interval: 2,
    });
    expect(windows.ignoreTimeStamp).toBe(false);
    expect(cells(windows.queryResult!)).toEqual([
      [1n, 2n],
      [3n, 2n],
    ]);

    ok(
      await c.rpc.executeBatchStatement({
        sessionId,
        statements: ['insert into root.sg.d1(time, s1) values (9, 9)', 'flush'],
      }),
    );
    const batch = await c.rpc.executeBatchStatement({ sessionId, statements: ['flush', 'selec 1'] });
    expect(batch.code).toBe(302);
    expect(batch.subStatus!.map((s) => s.code)).toEqual([200, 700]);

    ok(await c.rpc.deleteData({ sessionId, paths: ['root.sg.d1.*'], startTime: 0, endTime: 3 }));
    const afterDelete = await c.rpc.executeQueryStatementV2({
      sessionId,
      statement: 'select s1 from root.sg.d1',
      statementId,
      fetchSize: 10,
    });
    expect(cells(afterDelete.queryResult!)).toEqual([
      [4n, 4],
      [9n, 9],
    ]);
    expect((await c.rpc.fetchMetadata({ sessionId, type: 'COLUMN', columnPath: 'root.sg.d1.s2' })).dataType).toBe(
      'DOUBLE',
    );
    const properties = await c.rpc.getProperties();
    expect(properties).toMatchObject({
      timestampPrecision: 'ms',
      supportedTimeAggregationOperations: ['max_time', 'min_time'],
    });
    ok(await c.rpc.deleteTimeseries(sessionId, ['root.sg.d1.s3']));
    ok(await c.rpc.deleteStorageGroups(sessionId, ['root.sg']));
    const none = await c.rpc.executeStatementV2({ sessionId, statement: 'count timeseries', statementId });
    expect(cells(none.queryResult!)).toEqual([[0n, 0n]]);
    ok(await c.rpc.cancelOperation({ sessionId, queryId: 12345 }));
  });

  it('answers an unknown method with a Thrift application exception and keeps the connection', async () => {
    node = await startTestNode();
    const socket = net.connect(node.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const replies: Buffer[] = [];
    socket.on('data', (d) => replies.push(d));
    const call = (name: string, seqid: number) => {
      let framed: Buffer | undefined;
      const out = new TBinaryProtocol(new TFramedTransport(undefined, (b?: Buffer) => (framed = b)));
      out.writeMessageBegin(name, Thrift.MessageType.CALL, seqid);
      out.writeStructBegin('args');
      out.writeFieldStop();
      out.writeStructEnd();
      out.writeMessageEnd();
      out.flush();
      socket.write(framed!);
    };
    call('executeFastLastDataQueryForOneDeviceV2', 7);
    call('getProperties', 8);
    for (let i = 0; i < 100 && Buffer.concat(replies).length < 8; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const all = Buffer.concat(replies);
    const first = new TBinaryProtocol(new TFramedTransport(all.subarray(4, 4 + all.readInt32BE(0))));
    expect(first.readMessageBegin()).toMatchObject({
      fname: 'executeFastLastDataQueryForOneDeviceV2',
      mtype: Thrift.MessageType.EXCEPTION,
      rseqid: 7,
    });
    const error = new Thrift.TApplicationException();
    error.read(first);
    expect(error.message).toBe('Unknown function executeFastLastDataQueryForOneDeviceV2');
    const at = 4 + all.readInt32BE(0);
    const second = new TBinaryProtocol(new TFramedTransport(all.subarray(at + 4)));
    expect(second.readMessageBegin()).toMatchObject({
      fname: 'getProperties',
      mtype: Thrift.MessageType.REPLY,
      rseqid: 8,
    });
    socket.destroy();
  });
});
