import { describe, expect, it } from 'vitest';
import { StatusCode } from '../../engine/errors.js';
import { encodeHandshakeV1, encodeHandshakeV2, encodeTabletRaw } from '../../protocol/pipe/pipe-requests.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { createPipeSql, eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

const TABLET: Tablet = {
  device: 'root.db.d',
  measurements: ['m'],
  dataTypes: [DataType.INT64],
  times: BigInt64Array.of(1n),
  columns: [BigInt64Array.of(42n)],
  nulls: [null],
  rowCount: 1,
  aligned: false,
};

type Nodes = { a: Awaited<ReturnType<typeof node>>; b: Awaited<ReturnType<typeof node>> };

async function twoNodes(settingsOfB: Record<string, string> = {}): Promise<Nodes> {
  const a = await node();
  const b = await node(settingsOfB);
  await b.session.executeStatement("create user alice 'alice-pw'");
  return { a, b };
}

async function stoppedWith(n: Nodes, name: string): Promise<string> {
  await eventually(async () => (await rows(n.a.session, `show pipe ${name}`))[0]![3] === 'STOPPED', `${name} stopped`);
  return (await rows(n.a.session, `show pipe ${name}`))[0]![7]!;
}

/** Waits until a RUNNING pipe shows a refusal it retries on containing `text`; returns the message. */
async function retryingWith(n: Nodes, name: string, text: string): Promise<string> {
  await eventually(
    async () => (await rows(n.a.session, `show pipe ${name}`))[0]![7]!.includes(text),
    `${name} retrying`,
  );
  const shown = (await rows(n.a.session, `show pipe ${name}`))[0]!;
  expect(shown[3]).toBe('RUNNING');
  return shown[7]!;
}

describe('pipes log in to their receiver (sink.user / sink.password)', () => {
  it('delivers as a user holding the privileges, with every sink and both spellings', async () => {
    const n = await twoNodes();
    await n.b.session.executeStatement('grant write on root.db.** to user alice');
    await n.a.session.executeStatement('insert into root.db.d(time, m) values (1, 1)');
    await n.a.session.executeStatement('flush');
    await n.a.session.executeStatement('insert into root.db.e(time, m) values (2, 2)');
    const sinks: [string, string][] = [
      ['iotdb-thrift-sink', "'sink.user'='alice', 'sink.password'='alice-pw'"],
      ['iotdb-thrift-sync-sink', "'sink.username'='alice', 'sink.password'='alice-pw'"],
      ['iotdb-thrift-async-sink', "'connector.username'='alice', 'connector.password'='alice-pw'"],
      ['iotdb-legacy-pipe-sink', "'connector.user'='alice', 'connector.password'='alice-pw'"],
    ];
    for (const [i, [sink, credentials]] of sinks.entries()) {
      await n.b.session.executeStatement('delete from root.db.**');
      const name = `p${i}`;
      await n.a.session.executeStatement(createPipeSql(name, sink, n.b.node.port, `, ${credentials}`));
      await n.a.session.executeStatement(`start pipe ${name}`);
      await eventually(async () => (await rows(n.b.session, 'select m from root.db.*')).length === 2, `${sink} data`);
      await n.a.session.executeStatement(`drop pipe ${name}`);
    }
    expect(n.b.node.logs.join('\n')).not.toMatch(/refus/);
  });

  it('stops the pipe with 801 for a wrong password, writing nothing, and does not retry', async () => {
    const n = await twoNodes();
    await n.b.session.executeStatement('grant write on root.** to user alice');
    await n.a.session.executeStatement('insert into root.db.d(time, m) values (1, 1)');
    for (const sink of ['iotdb-thrift-sink', 'iotdb-thrift-async-sink']) {
      const name = sink.replaceAll('-', '_');
      await n.a.session.executeStatement(
        createPipeSql(name, sink, n.b.node.port, ", 'sink.user'='alice', 'sink.password'='wrong'"),
      );
      await n.a.session.executeStatement(`start pipe ${name}`);
      const message = await stoppedWith(n, name);
      expect(message).toContain(`the receiver refused the handshake with 127.0.0.1:${n.b.node.port}: 801`);
      expect(message).toContain("the password of 'alice' is wrong");
    }
    expect(await rows(n.b.session, 'select ** from root')).toEqual([]);
    expect(n.a.node.logs.join('\n')).not.toMatch(/retrying/);
  });

  it('retries a write refused with 803 (RUNNING, the paths in SHOW PIPES) until granted, or goes past it when told', async () => {
    const n = await twoNodes();
    await n.b.session.executeStatement('grant write_data, write_schema on root.db.a.** to user alice');
    await n.a.session.executeStatement('insert into root.db.a(time, m) values (1, 1)');
    await n.a.session.executeStatement('insert into root.db.b(time, m, n) values (1, 1, 2)');
    await n.a.session.executeStatement(
      createPipeSql('part', 'iotdb-thrift-sink', n.b.node.port, ", 'sink.user'='alice', 'sink.password'='alice-pw'"),
    );
    await n.a.session.executeStatement('start pipe part');
    // IoTDB's sink.exception.others.retry-max-time-seconds is -1: retried for ever.
    const message = await retryingWith(n, 'part', '803');
    expect(message).toContain('please add privilege WRITE_DATA on [root.db.b.m, root.db.b.n]');
    expect(await rows(n.b.session, 'select ** from root.db.b')).toEqual([]);
    await n.b.session.executeStatement('grant write_data, write_schema on root.db.b.** to user alice');
    await eventually(
      async () => (await rows(n.b.session, 'select ** from root.db.b')).length === 1,
      'the grant to help',
    );
    await eventually(async () => (await rows(n.a.session, 'show pipe part'))[0]![7] === '', 'the message to clear');
    await n.a.session.executeStatement('drop pipe part');

    // Data rights without schema rights: series that do not exist yet are refused; with
    // others.retry-max-time-seconds 0 the pipe goes past them after one retry, logging them.
    await n.b.session.executeStatement('grant write_data on root.db.c.** to user alice');
    await n.a.session.executeStatement('insert into root.db.c(time, m) values (1, 1)');
    await n.a.session.executeStatement(
      "create pipe noschema with source ('source.pattern'='root.db.c') with sink ('sink'='iotdb-thrift-sink', " +
        `'sink.ip'='127.0.0.1', 'sink.port'='${n.b.node.port}', 'sink.user'='alice', 'sink.password'='alice-pw', ` +
        "'sink.exception.others.retry-max-time-seconds'='0')",
    );
    await n.a.session.executeStatement('start pipe noschema');
    await eventually(
      async () => n.a.node.logs.some((l) => l.includes('event=transfer-ignored')),
      'the pipe to go past',
    );
    const ignored = n.a.node.logs.find((l) => l.includes('event=transfer-ignored'))!;
    expect(ignored).toContain('class=other');
    expect(ignored).toContain('root.db.c.m=1');
    expect(ignored).toContain('please add privilege WRITE_SCHEMA on [root.db.c.m]');
    expect((await rows(n.a.session, 'show pipe noschema'))[0]![3]).toBe('RUNNING');
    expect(await rows(n.b.session, 'select ** from root.db.c')).toEqual([]);
  });

  it('runs a legacy pipe’s files as its session user: 803 for a file with series it may not write', async () => {
    const n = await twoNodes();
    await n.b.session.executeStatement('grant write on root.db.a.** to user alice');
    await n.a.session.executeStatement('insert into root.db.b(time, m) values (1, 1)');
    await n.a.session.executeStatement('flush');
    await n.a.session.executeStatement(
      createPipeSql(
        'old',
        'iotdb-legacy-pipe-sink',
        n.b.node.port,
        ", 'sink.user'='alice', 'sink.password'='alice-pw'",
      ),
    );
    await n.a.session.executeStatement('start pipe old');
    const message = await stoppedWith(n, 'old');
    expect(message).toContain(
      '803 No permissions for this operation, please add privilege WRITE_DATA on [root.db.b.m]',
    );
    expect(await rows(n.b.session, 'select ** from root')).toEqual([]);
  });

  it('refuses senders without credentials on a node whose policy refuses them', async () => {
    const b = await node({ pipe_receiver_allow_anonymous: 'false' });
    const raw = await b.node.connect();
    // A transfer with no handshake at all.
    const before = await raw.rpc.pipeTransfer(encodeTabletRaw(TABLET));
    expect(before.status.code).toBe(StatusCode.PIPE_HANDSHAKE_ERROR);
    // IoTDB 1.2's handshake, and a 1.3 handshake without a user.
    for (const handshake of [
      encodeHandshakeV1('ms'),
      encodeHandshakeV2({ timestampPrecision: 'ms', clusterID: 'x' }),
    ]) {
      const answer = await raw.rpc.pipeTransfer(handshake);
      expect(answer.status.code).toBe(StatusCode.WRONG_LOGIN_PASSWORD);
      expect(answer.status.message).toContain('set pipe_receiver_allow_anonymous=true');
      const after = await raw.rpc.pipeTransfer(encodeTabletRaw(TABLET));
      expect(after.status.code).toBe(StatusCode.PIPE_HANDSHAKE_ERROR);
    }
    // The pre-1.2 sync protocol without a session.
    const legacy = await raw.rpc.handshake({ pipeName: 'p', createTime: 1, version: '1.1', database: '' });
    expect(legacy.code).toBe(StatusCode.WRONG_LOGIN_PASSWORD);
    expect(legacy.message).toContain('opened a session');
    expect(await rows(b.session, 'select ** from root')).toEqual([]);

    // With credentials the same node serves them.
    const login = await raw.rpc.pipeTransfer(
      encodeHandshakeV2({ timestampPrecision: 'ms', clusterID: 'x', username: 'root', password: 'root' }),
    );
    expect(login.status.code).toBe(StatusCode.SUCCESS_STATUS);
    expect((await raw.rpc.pipeTransfer(encodeTabletRaw(TABLET))).status.code).toBe(StatusCode.SUCCESS_STATUS);
    expect(await rows(b.session, 'select m from root.db.d')).toEqual([['1', '42']]);
  });

  it('serves senders without credentials as before on a loopback node (the default)', async () => {
    const b = await node();
    const raw = await b.node.connect();
    expect((await raw.rpc.pipeTransfer(encodeHandshakeV1('ms'))).status.code).toBe(StatusCode.SUCCESS_STATUS);
    expect((await raw.rpc.pipeTransfer(encodeTabletRaw(TABLET))).status.code).toBe(StatusCode.SUCCESS_STATUS);
    expect(await rows(b.session, 'select m from root.db.d')).toEqual([['1', '42']]);
  });
});
