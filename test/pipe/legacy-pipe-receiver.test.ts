import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { encodePipeData } from '../../protocol/legacy-sync/pipe-data-codec.js';
import { fileMeta, syncIdentity } from '../../protocol/legacy-sync/sync-messages.js';
import { type RawClient, startTestNode, type TestNode } from '../server/node-harness.js';
import { queryNode } from './receiver-kit.js';

const nodes: TestNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

async function node(): Promise<TestNode> {
  const n = await startTestNode();
  nodes.push(n);
  return n;
}

/** A raw connection to `receiver` that has introduced itself as pipe `pipe` of version 1.1. */
async function sender(receiver: TestNode, pipe = 'p'): Promise<RawClient> {
  const client = await receiver.connect();
  const status = await client.rpc.handshake(syncIdentity(pipe, 1700000000000, '1.1'));
  expect(status.code).toBe(200);
  return client;
}

/** A sealed TsFile of `points` (time, value) in root.db.d.s, written by another node. */
async function sealedFile(points: [number, number][]): Promise<{ name: string; bytes: Buffer }> {
  const source = await node();
  const session = await Session.open({ port: source.port });
  const values = points.map(([t, v]) => `(${t}, ${v})`).join(', ');
  await session.executeStatement(`insert into root.db.d(time, s) values ${values}`);
  await session.executeStatement('flush');
  await session.close();
  const path = source.node.engine.sealedFiles()[0]!.path;
  return { name: basename(path), bytes: readFileSync(path) };
}

const tsfileData = (fileName: string) =>
  encodePipeData({ kind: 'tsfile', serialNumber: -1n, parentDirPath: '', fileName });

describe('the legacy sync receiver', () => {
  it("refuses a sender of another major version with IoTDB's message, and accepts 1.1.x", async () => {
    const n = await node();
    const client = await n.connect();
    const refused = await client.rpc.handshake(syncIdentity('p', 1, '1.2'));
    expect(refused).toMatchObject({ code: 1108, message: 'version mismatch: the sender <1.2>, the receiver <1.1>' });
    expect((await client.rpc.handshake(syncIdentity('p', 1, 'UNKNOWN'))).code).toBe(1108);
    // A refused handshake leaves the connection without one.
    await expect(client.rpc.sendPipeData(tsfileData('f.tsfile'))).rejects.toThrow('Thrift connection is not alive.');
    expect((await client.rpc.handshake(syncIdentity('p', 1, '1.1.2'))).code).toBe(200);
    const badName = await client.rpc.handshake(syncIdentity('../up', 1, '1.1'));
    expect(badName).toMatchObject({ code: 303, message: "illegal pipe name '../up'" });
  });

  it('answers calls before a handshake with a Thrift exception, as IoTDB does, and keeps serving', async () => {
    const n = await node();
    const client = await n.connect();
    await expect(client.rpc.sendFile(fileMeta('f.tsfile', 0), Buffer.from('x'))).rejects.toThrow(
      'Thrift connection is not alive.',
    );
    expect((await client.rpc.handshake(syncIdentity('p', 1, '1.1'))).code).toBe(200);
    expect((await client.rpc.sendFile(fileMeta('f.tsfile', 0), Buffer.from('x'))).code).toBe(200);
  });

  it('loads a file sent in pieces, redirecting a piece at the wrong index to where the staged copy ends', async () => {
    const file = await sealedFile([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    const n = await node();
    const client = await sender(n);
    const cut = 100;
    const skipped = await client.rpc.sendFile(fileMeta(file.name, cut), file.bytes.subarray(cut));
    expect(skipped).toMatchObject({ code: 1104, message: '0' });
    expect((await client.rpc.sendFile(fileMeta(file.name, 0), file.bytes.subarray(0, cut))).code).toBe(200);
    const again = await client.rpc.sendFile(fileMeta(file.name, 0), file.bytes.subarray(0, cut));
    expect(again).toMatchObject({ code: 1104, message: String(cut) });
    // A new connection of the same pipe resumes where the staged copy ends.
    client.end();
    const resumed = await sender(n);
    const redirect = await resumed.rpc.sendFile(fileMeta(file.name, 0), file.bytes);
    expect(redirect).toMatchObject({ code: 1104, message: String(cut) });
    expect((await resumed.rpc.sendFile(fileMeta(file.name, cut), file.bytes.subarray(cut))).code).toBe(200);
    expect(await resumed.rpc.sendPipeData(tsfileData(file.name))).toMatchObject({ code: 200 });
    expect(await queryNode(n, 'select s from root.db.d')).toEqual([
      ['1', '10'],
      ['2', '20'],
      ['3', '30'],
    ]);
    // The staged copy is gone once loaded: the same name starts again at 0.
    expect((await resumed.rpc.sendFile(fileMeta(file.name, 0), Buffer.from('x'))).code).toBe(200);
  });

  it('applies the IoTDB mods file an IoTDB 1.1 sender ships beside a TsFile', async () => {
    const file = await sealedFile([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    const n = await node();
    const client = await sender(n);
    const mods = Buffer.from('DELETION,root.db.d.s,9223372036854775807,2,2\n');
    expect((await client.rpc.sendFile(fileMeta(`${file.name}.mods`, 0), mods)).code).toBe(200);
    expect((await client.rpc.sendFile(fileMeta(file.name, 0), file.bytes)).code).toBe(200);
    expect((await client.rpc.sendPipeData(tsfileData(file.name))).code).toBe(200);
    expect(await queryNode(n, 'select s from root.db.d')).toEqual([
      ['1', '10'],
      ['3', '30'],
    ]);
  });

  it('applies a deletion PipeData to the data already there', async () => {
    const n = await node();
    const session = await Session.open({ port: n.port });
    await session.executeStatement('insert into root.db.d(time, s) values (1, 1), (2, 2), (3, 3)');
    await session.close();
    const client = await sender(n);
    const deletion = encodePipeData({
      kind: 'deletion',
      serialNumber: -1n,
      database: null,
      path: 'root.db.**',
      start: 2n,
      end: 9n,
    });
    expect(await client.rpc.sendPipeData(deletion)).toMatchObject({ code: 200, message: '' });
    expect(await queryNode(n, 'select s from root.db.d')).toEqual([['1', '1']]);
  });

  it("answers corrupt or unloadable pipe data with IoTDB's status and messages, and the node goes on", async () => {
    const n = await node();
    const client = await sender(n);
    const cases: [Buffer, string][] = [
      [Buffer.alloc(0), 'Pipe data transport error, pipe data is empty'],
      [Buffer.from([9, 0, 0]), 'Pipe data transport error, unknown pipe data type 9'],
      [tsfileData('f.tsfile').subarray(0, 20), 'Pipe data transport error, tsfile pipe data: file name: length 8'],
      [tsfileData('..'), "Pipe data transport error, illegal file name '..'"],
      [tsfileData('never-sent.tsfile'), 'Fail to load pipeData because no piece of never-sent.tsfile has arrived'],
    ];
    for (const [bytes, message] of cases) {
      const status = await client.rpc.sendPipeData(bytes);
      expect(status.code).toBe(1108);
      expect(status.message).toContain(message);
    }
    // Bytes that are not a TsFile are refused at load, and their staged copy dropped.
    expect((await client.rpc.sendFile(fileMeta('junk.tsfile', 0), Buffer.from('not a tsfile'))).code).toBe(200);
    const junk = await client.rpc.sendPipeData(tsfileData('junk.tsfile'));
    expect(junk.code).toBe(1108);
    expect(junk.message).toMatch(/^Fail to load pipeData because .*junk\.tsfile.* is not a valid TsFile/);
    expect(await client.rpc.sendFile(fileMeta('junk.tsfile', 5), Buffer.from('x'))).toMatchObject({
      code: 1104,
      message: '0',
    });
    const badPath = encodePipeData({
      kind: 'deletion',
      serialNumber: -1n,
      database: null,
      path: 'root..x',
      start: 0n,
      end: 1n,
    });
    const refused = await client.rpc.sendPipeData(badPath);
    expect(refused.code).toBe(1108);
    expect(refused.message).toMatch(/^Fail to load pipeData because /);
    expect(await client.rpc.sendFile(fileMeta('a/b', 0), Buffer.from('x'))).toMatchObject({
      code: 1105,
      message: "illegal file name 'a/b'",
    });
    expect(await queryNode(n, 'show databases')).toEqual([]);
  });
});
