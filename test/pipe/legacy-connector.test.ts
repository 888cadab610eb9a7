import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LegacyPipeConnector } from '../../pipe/connector/legacy-pipe-connector.js';
import { PermanentTransferError } from '../../pipe/connector/pipe-connector.js';
import { fileMeta, syncIdentity } from '../../protocol/legacy-sync/sync-messages.js';
import { DataType } from '../../tsfile/data-type.js';
import { createPipeSql, eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

const LEGACY = 'iotdb-legacy-pipe-connector';

function connectorTo(port: number, logs: string[], overrides: { password?: string; version?: string } = {}) {
  return new LegacyPipeConnector({
    host: '127.0.0.1',
    port,
    user: 'root',
    password: overrides.password ?? 'root',
    version: overrides.version ?? '1.1',
    pipeName: 'direct',
    creationTime: 1700000000000,
    timeoutMs: 10_000,
    log: (m) => logs.push(m),
    pieceBytes: 64,
  });
}

describe('the legacy pipe connector, from node A to node B', () => {
  it('ships history files, realtime tablets and a deletion; B ends with A’s data', async () => {
    const a = await node();
    const b = await node();
    await a.session.executeStatement("insert into root.db.d(time, m, t) values (1, 1, 'x'), (2, 2, null)");
    await a.session.executeStatement('insert into root.db.e(time, m) aligned values (3, 3)');
    await a.session.executeStatement('flush');
    await a.session.executeStatement('insert into root.db.d(time, m) values (4, 4)');
    await a.session.executeStatement(createPipeSql('a2b', LEGACY, b.node.port, '', "'source.inclusion'='data'"));
    await a.session.executeStatement('start pipe a2b');
    // History first, so that the deletion below cannot turn its files into tablets.
    await eventually(async () => (await rows(b.session, 'select ** from root')).length === 4, 'history on B');
    // History went as whole files, through sendFile and a TsFile PipeData.
    expect(b.node.node.engine.sealedFiles().filter((f) => f.loaded)).toHaveLength(2);
    await a.session.executeStatement('insert into root.db.d(time, m) values (5, 5), (6, 6)');
    await a.session.executeStatement('insert into root.db.e(time, m) aligned values (7, 7)');
    await a.session.executeStatement('delete from root.db.d.m where time >= 2 and time <= 5');
    await a.session.executeStatement('insert into root.db.d(time, m) values (8, 8)');
    const expected = await rows(a.session, 'select ** from root');
    // Rows 2 and 4 are left with nothing but nulls once m is deleted there.
    expect(expected.map((r) => r[0])).toEqual(['1', '3', '6', '7', '8']);
    await eventually(
      async () => JSON.stringify(await rows(b.session, 'select ** from root')) === JSON.stringify(expected),
      'B to hold A’s data',
    );
    expect((await rows(b.session, 'show devices')).map((r) => [r[1], r[2]])).toEqual([
      ['root.db.d', 'false'],
      ['root.db.e', 'true'],
    ]);
    expect((await rows(a.session, 'show pipe a2b'))[0]![3]).toBe('RUNNING');
    const plugins = (await rows(a.session, 'show pipeplugins')).map((r) => r[1]);
    expect(plugins).toContain('IOTDB-LEGACY-PIPE-CONNECTOR');
  });

  it('stops the pipe with the receiver’s message for a wrong password or another version', async () => {
    const a = await node();
    const b = await node();
    const stopped = async (name: string, extra: string, message: RegExp) => {
      await a.session.executeStatement(createPipeSql(name, 'iotdb-legacy-pipe-sink', b.node.port, extra));
      await a.session.executeStatement(`start pipe ${name}`);
      await eventually(
        async () => (await rows(a.session, `show pipe ${name}`))[0]![3] === 'STOPPED',
        `${name} stopped`,
      );
      expect((await rows(a.session, `show pipe ${name}`))[0]![7]).toMatch(message);
    };
    await stopped('badpw', ", 'sink.password'='nope'", /refused the login of user root: 801/);
    await stopped('v12', ", 'connector.version'='1.2'", /version mismatch: the sender <1\.2>, the receiver <1\.1>/);
  });

  it('refuses a legacy pipe that points at the node itself, or names no receiver', async () => {
    const a = await node();
    await expect(a.session.executeStatement(createPipeSql('self', LEGACY, a.node.port))).rejects.toThrow(
      'points at this node itself',
    );
    await expect(
      a.session.executeStatement(`create pipe none with connector ('connector'='${LEGACY}')`),
    ).rejects.toThrow("needs 'connector.ip'");
    expect(await rows(a.session, 'show pipes')).toEqual([]);
  });

  it('resumes a file where the receiver’s staged copy ends', async () => {
    const a = await node();
    const b = await node();
    await a.session.executeStatement('insert into root.db.d(time, m) values (1, 1), (2, 2)');
    await a.session.executeStatement('flush');
    const path = a.node.node.engine.sealedFiles()[0]!.path;
    // An earlier connection of the same pipe got the first 100 bytes across.
    const earlier = await b.node.connect();
    expect((await earlier.rpc.handshake(syncIdentity('direct', 1700000000000, '1.1'))).code).toBe(200);
    const status = await earlier.rpc.sendFile(fileMeta(basename(path), 0), readFileSync(path).subarray(0, 100));
    expect(status.code).toBe(200);
    earlier.end();
    const logs: string[] = [];
    const connector = connectorTo(b.node.port, logs);
    try {
      await connector.handshake();
      await connector.transferFile(path);
    } finally {
      connector.close();
    }
    expect(logs.some((l) => l.includes('resumes at offset 100'))).toBe(true);
    expect(await rows(b.session, 'select ** from root')).toEqual([
      ['1', '1'],
      ['2', '2'],
    ]);
  });

  it('retries while the receiver is down and delivers once it is back; a refusal throws at once', async () => {
    const b = await node();
    const port = b.node.port;
    const dir = b.node.dir;
    await b.session.close();
    await b.node.node.stop();
    const logs: string[] = [];
    const connector = connectorTo(port, logs);
    const done = connector.handshake();
    await eventually(async () => logs.some((l) => l.includes('retrying')), 'a retry');
    const again = await node({ rpc_port: String(port), data_dirs: `${dir}/data` });
    await done;
    await connector.transferTablet({
      device: 'root.db.d',
      measurements: ['m'],
      dataTypes: [DataType.INT64],
      times: BigInt64Array.of(2n, 1n),
      columns: [BigInt64Array.of(20n, 10n)],
      nulls: [null],
      rowCount: 2,
      aligned: false,
    });
    connector.close();
    expect(await rows(again.session, 'select ** from root')).toEqual([
      ['1', '10'],
      ['2', '20'],
    ]);
    const refused = connectorTo(port, [], { version: '2.0' });
    await expect(refused.handshake()).rejects.toBeInstanceOf(PermanentTransferError);
    refused.close();
  });
});
