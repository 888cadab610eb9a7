import { afterEach, describe, expect, it } from 'vitest';
import { IoTDBError } from '../../../protocol/client/iotdb-error.js';
import { Session } from '../../../protocol/client/session.js';
import type { TSInsertTabletReq, TSInsertTabletsReq } from '../../../protocol/rpc-types.js';
import { statusStruct } from '../../../protocol/rpc-types.js';
import { decodeTablet } from '../../../protocol/tablet-codec.js';
import { Compression } from '../../../tsfile/compression-type.js';
import { DataType } from '../../../tsfile/data-type.js';
import { Encoding } from '../../../tsfile/encoding-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { hex } from '../hex.js';
import { FAKE_SESSION_ID, type FakeNode, i64, startFakeNode } from './fake-node.js';

/** Rows out of time order, row with time 1 null. */
const UNSORTED: Tablet = {
  device: 'root.sg.d1',
  measurements: ['s1'],
  dataTypes: [DataType.INT32],
  times: BigInt64Array.of(3n, 1n, 2n),
  columns: [Int32Array.of(30, 0, 20)],
  nulls: [Uint8Array.of(0, 1, 0)],
  rowCount: 3,
  aligned: false,
};

let node: FakeNode | null = null;
let session: Session | null = null;
afterEach(async () => {
  await session?.close();
  await node?.close();
  session = null;
  node = null;
});

async function open(overrides = {}): Promise<Session> {
  node = await startFakeNode({ overrides });
  session = await Session.open({ port: node.port });
  return session;
}

function lastArgs(method: string): unknown[] {
  const calls = node!.callsOf(method);
  expect(calls.length).toBeGreaterThan(0);
  return calls[calls.length - 1]!;
}

describe('Session writes and schema calls', () => {
  it('sorts an out-of-order tablet before sending it, as IoTDB’s Session does (golden bytes)', async () => {
    const s = await open();
    await s.insertTablet(UNSORTED);
    const [req] = lastArgs('insertTablet') as [TSInsertTabletReq];
    expect(i64(req.sessionId)).toBe(FAKE_SESSION_ID);
    expect(req).toMatchObject({
      prefixPath: 'root.sg.d1',
      measurements: ['s1'],
      types: [1],
      size: 3,
      isAligned: false,
    });
    expect(req.timestamps.toString('hex')).toBe(
      hex('0000000000000001 0000000000000002 0000000000000003').toString('hex'),
    );
    expect(req.values.toString('hex')).toBe(
      hex(`
        00000000 00000014 0000001e   # s1: (null), 20, 30
        01 01                        # s1 has a bitmap: row 0 null
      `).toString('hex'),
    );
    // The caller's tablet is left as it was.
    expect(UNSORTED.times).toEqual(BigInt64Array.of(3n, 1n, 2n));
  });

  it('sends a tablet as it is when the caller says it is sorted', async () => {
    const s = await open();
    await s.insertTablet(UNSORTED, { sorted: true });
    const [req] = lastArgs('insertTablet') as [TSInsertTabletReq];
    expect(decodeTablet(req).times).toEqual(BigInt64Array.of(3n, 1n, 2n));
  });

  it('sends several tablets in one insertTablets call, and refuses mixed alignment', async () => {
    const s = await open();
    const aligned = { ...UNSORTED, device: 'root.sg.d2', aligned: true };
    await s.insertTablets([aligned, { ...aligned, device: 'root.sg.d3' }]);
    const [req] = lastArgs('insertTablets') as [TSInsertTabletsReq];
    expect(req.prefixPaths).toEqual(['root.sg.d2', 'root.sg.d3']);
    expect(req.sizeList).toEqual([3, 3]);
    expect(req.isAligned).toBe(true);
    expect(
      decodeTablet({
        ...req,
        prefixPath: 'x',
        measurements: ['s1'],
        values: req.valuesList[1]!,
        timestamps: req.timestampsList[1]!,
        types: req.typesList[1]!,
        size: 3,
      }).times,
    ).toEqual(BigInt64Array.of(1n, 2n, 3n));
    await expect(s.insertTablets([UNSORTED, aligned])).rejects.toThrow(RangeError);
  });

  it('encodes typed records (golden bytes) and string records', async () => {
    const s = await open();
    await s.insertRecords([
      {
        device: 'root.sg.d1',
        time: 5n,
        measurements: ['a', 'b', 'c'],
        dataTypes: [DataType.INT64, DataType.TEXT, DataType.BOOLEAN],
        values: [-2n, null, true],
      },
      { device: 'root.sg.d2', time: 6, measurements: ['x'], dataTypes: [DataType.FLOAT], values: [1.5] },
    ]);
    const [req] = lastArgs('insertRecords') as [Record<string, unknown>];
    expect(req.prefixPaths).toEqual(['root.sg.d1', 'root.sg.d2']);
    expect(req.measurementsList).toEqual([['a', 'b', 'c'], ['x']]);
    expect((req.valuesList as Buffer[]).map((b) => b.toString('hex'))).toEqual([
      hex('02 fffffffffffffffe | fe | 00 01').toString('hex'),
      hex('03 3fc00000').toString('hex'),
    ]);
    expect((req.timestamps as unknown[]).map(i64)).toEqual([5n, 6n]);
    expect(req.isAligned).toBe(false);

    await s.insertRecord(
      { device: 'root.sg.d1', time: 7, measurements: ['a'], dataTypes: [DataType.INT32], values: [9] },
      true,
    );
    const [one] = lastArgs('insertRecord') as [Record<string, unknown>];
    expect((one.values as Buffer).toString('hex')).toBe('0100000009');
    expect(i64(one.timestamp)).toBe(7n);
    expect(one.isAligned).toBe(true);

    await s.insertStringRecords([{ device: 'root.sg.d3', time: 8n, measurements: ['t'], values: ['1.5'] }]);
    const [strings] = lastArgs('insertStringRecords') as [Record<string, unknown>];
    expect(strings).toMatchObject({ prefixPaths: ['root.sg.d3'], measurementsList: [['t']], valuesList: [['1.5']] });
    expect((strings.timestamps as unknown[]).map(i64)).toEqual([8n]);
  });

  it('creates and deletes databases, series and data', async () => {
    const s = await open();
    await s.createDatabase('root.sg');
    expect(lastArgs('setStorageGroup').slice(1)).toEqual(['root.sg']);
    await s.createTimeseries('root.sg.d1.s1', DataType.DOUBLE);
    expect(lastArgs('createTimeseries')[0]).toMatchObject({
      path: 'root.sg.d1.s1',
      dataType: DataType.DOUBLE,
      encoding: Encoding.GORILLA,
      compressor: Compression.LZ4,
      tags: null,
      measurementAlias: null,
    });
    await s.createTimeseries('root.sg.d1.s2', DataType.INT64, {
      encoding: Encoding.PLAIN,
      compressor: Compression.SNAPPY,
      alias: 'temp',
      tags: { unit: 'c' },
      attributes: { owner: 'x' },
    });
    expect(lastArgs('createTimeseries')[0]).toMatchObject({
      encoding: Encoding.PLAIN,
      compressor: Compression.SNAPPY,
      measurementAlias: 'temp',
      tags: { unit: 'c' },
      attributes: { owner: 'x' },
    });
    await s.deleteData(['root.sg.d1.s1'], 10, 2n ** 62n);
    const [del] = lastArgs('deleteData') as [Record<string, unknown>];
    expect(del.paths).toEqual(['root.sg.d1.s1']);
    expect(i64(del.startTime)).toBe(10n);
    expect(i64(del.endTime)).toBe(2n ** 62n);
    await s.deleteTimeseries(['root.sg.d1.s1']);
    expect(lastArgs('deleteTimeseries').slice(1)).toEqual([['root.sg.d1.s1']]);
    await s.deleteDatabases(['root.sg']);
    expect(lastArgs('deleteStorageGroups').slice(1)).toEqual([['root.sg']]);
    await s.setTimeZone('+08:00');
    expect(lastArgs('setTimeZone')[0]).toMatchObject({ timeZone: '+08:00' });
    expect(s.zoneId).toBe('+08:00');
  });

  it('maps failing statuses to IoTDBError: code, message, sub-statuses; 400 counts as success', async () => {
    const s = await open({
      setStorageGroup: (_id: unknown, name: string) =>
        name === 'root.redirect'
          ? { code: 400, message: 'go elsewhere' }
          : { code: 903, message: `${name} has already been created as database` },
      insertRecords: () =>
        statusStruct({
          code: 302,
          message: 'multiple errors',
          subStatus: [
            { code: 200 },
            { code: 507, message: 'root.sg.d2.x: data type mismatch', needRetry: true },
            { code: 400 },
            { code: 606, message: 'no space', needRetry: true },
          ],
        }),
      insertTablet: () => statusStruct({ code: 302, subStatus: [{ code: 200 }, { code: 400 }] }),
    });
    await expect(s.createDatabase('root.redirect')).resolves.toBeUndefined();
    const error = await s.createDatabase('root.sg').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IoTDBError);
    expect(error).toMatchObject({
      code: 903,
      statusMessage: 'root.sg has already been created as database',
      message: '903: root.sg has already been created as database',
      retriable: false,
    });
    const batch = (await s
      .insertRecords([{ device: 'd', time: 1, measurements: [], dataTypes: [], values: [] }])
      .catch((e: unknown) => e)) as IoTDBError;
    expect(batch.code).toBe(302);
    expect(batch.message).toBe('302: root.sg.d2.x: data type mismatch; no space');
    expect(batch.subStatus.map((x) => x.code)).toEqual([200, 507, 400, 606]);
    expect(batch.retriable).toBe(true);
    // A 302 whose parts all succeeded has nothing to report.
    await expect(s.insertTablet({ ...UNSORTED, rowCount: 0, times: new BigInt64Array(0) })).resolves.toBeUndefined();
  });
});
