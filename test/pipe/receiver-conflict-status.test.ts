import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import {
  encodeHandshakeV2,
  encodeTabletBatch,
  encodeTsFilePiece,
  encodeTsFileSeal,
} from '../../protocol/pipe/pipe-requests.js';
import { DataType } from '../../tsfile/data-type.js';
import { type RawClient, startTestNode, type TestNode } from '../server/node-harness.js';
import { rows } from './pipe-test-kit.js';
import { writeTsFile } from './plugin/plugin-fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A receiver node and a connection that shook hands as an IoTDB 1.3.3 sender with conversion off. */
async function strictSender(): Promise<{ session: Session; client: RawClient }> {
  const node: TestNode = await startTestNode();
  cleanups.push(() => node.close());
  const client = await node.connect();
  cleanups.push(() => client.end());
  const session = await Session.open({ port: node.port });
  cleanups.push(() => session.close());
  const hello = await client.rpc.pipeTransfer(
    encodeHandshakeV2({ timestampPrecision: 'ms', clusterID: 'sender', convertOnTypeMismatch: 'false' }),
  );
  expect(hello.status.code).toBe(200);
  return { session, client };
}

describe('what the receiver answers for a type it does not convert', () => {
  it('writes the other columns of a batch and answers 1810 (user conflict) naming each series and its points', async () => {
    const { session, client } = await strictSender();
    await session.executeStatement('create timeseries root.db.d.i with datatype=INT32');
    const batch = encodeTabletBatch([
      {
        device: 'root.db.d',
        aligned: false,
        rowCount: 2,
        measurements: ['i', 'j'],
        dataTypes: [DataType.INT64, DataType.INT64],
        times: BigInt64Array.of(1n, 2n),
        columns: [BigInt64Array.of(10n, 20n), BigInt64Array.of(1n, 2n)],
        nulls: [null, null],
      },
      {
        device: 'root.db.d',
        aligned: false,
        rowCount: 1,
        measurements: ['i'],
        dataTypes: [DataType.INT64],
        times: BigInt64Array.of(3n),
        columns: [BigInt64Array.of(30n)],
        nulls: [null],
      },
    ]);
    const answer = await client.rpc.pipeTransfer(batch);
    expect(answer.status).toMatchObject({
      code: 1810,
      message:
        'data type of root.db.d.i is not consistent, registered type INT32, inserting type INT64 (3 points not written)',
    });
    expect(await rows(session, 'select i, j from root.db.d')).toEqual([
      ['1', 'null', '1'],
      ['2', 'null', '2'],
    ]);
  });

  it('loads the other series of a sealed file and answers 1810 for the series typed otherwise', async () => {
    const { session, client } = await strictSender();
    await session.executeStatement('create timeseries root.sg.d1.v with datatype=INT64');
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-conflict-file-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'f.tsfile');
    writeTsFile(file, 5);
    const bytes = readFileSync(file);
    expect((await client.rpc.pipeTransfer(encodeTsFilePiece('f.tsfile', 0, bytes))).status.code).toBe(200);
    const sealed = await client.rpc.pipeTransfer(encodeTsFileSeal('f.tsfile', bytes.length));
    expect(sealed.status).toMatchObject({
      code: 1810,
      message:
        'data type of root.sg.d1.v is not consistent, registered type INT64, inserting type DOUBLE (5 points not written)',
    });
    expect(await rows(session, 'select a, b from root.sg.al')).toEqual([
      ['1', '10', 'x'],
      ['2', 'null', 'y'],
      ['3', '30', 'z'],
    ]);
    expect(await rows(session, 'select v from root.sg.d1')).toEqual([]);
  });
});

describe('the sink.exception options are declared', () => {
  it('lists them with IoTDB’s defaults in SHOW PIPEPLUGINS and refuses a bad value naming the key', async () => {
    const { session } = await strictSender();
    const sink = (await rows(session, 'show pipeplugins')).find((r) => r[1] === 'IOTDB-THRIFT-ASYNC-CONNECTOR')!;
    for (const declared of [
      'exception.conflict.resolve-strategy:string=retry{retry|ignore}',
      'exception.conflict.retry-max-time-seconds:integer=60',
      'exception.conflict.record-ignored-data:boolean=true',
      'exception.others.retry-max-time-seconds:integer=-1',
      'exception.others.record-ignored-data:boolean=true',
    ]) {
      expect(sink.at(-1)).toContain(declared);
    }
    const create = (option: string) =>
      session.executeStatement(
        `create pipe p with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='1', ${option})`,
      );
    await expect(create("'connector.exception.conflict.resolve-strategy'='skip'")).rejects.toThrow(
      "invalid value 'skip' of 'connector.exception.conflict.resolve-strategy': expected retry, ignore",
    );
    await expect(create("'sink.exception.others.retry-max-time-seconds'='soon'")).rejects.toThrow(
      "invalid value 'soon' of 'sink.exception.others.retry-max-time-seconds': expected an integer",
    );
    await create(
      "'sink.exception.conflict.resolve-strategy'='IGNORE', 'connector.exception.others.record-ignored-data'='false'",
    );
    expect((await rows(session, 'show pipe p'))[0]![6]).toContain('exception.conflict.resolve-strategy=IGNORE');
  });
});
