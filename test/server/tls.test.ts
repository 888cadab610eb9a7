import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Session, type SessionOptions } from '../../protocol/client/session.js';
import { loadNodeConfig } from '../../server/config/node-config.js';
import { createPipeSql, eventually, pipeNodes, rows } from '../pipe/pipe-test-kit.js';
import { startTestNode, type TestNode } from './node-harness.js';
import { makeTestCerts, type TestCerts } from './tls-certs.js';

const BIN = new URL('../../bin/iotdb-lite.js', import.meta.url).pathname;
const node = pipeNodes();
let certs: TestCerts;

beforeAll(() => {
  certs = makeTestCerts();
}, 60_000);
afterAll(() => certs.remove());

const secureNodes: TestNode[] = [];
afterEach(async () => {
  for (const n of secureNodes.splice(0)) await n.close();
});

/** A node whose RPC port speaks TLS with the given key store (`.node` like pipeNodes' nodes). */
async function tlsNode(keyStore: string, password = 'store-pw'): Promise<{ node: TestNode }> {
  const n = await startTestNode({ enable_thrift_ssl: 'true', key_store_path: keyStore, key_store_pwd: password });
  secureNodes.push(n);
  return { node: n };
}

async function tlsSession(port: number, extra: Partial<SessionOptions> = {}): Promise<Session> {
  return Session.open({ port, useSsl: true, trustStore: certs.trustP12, trustStorePwd: 'trust-pw', ...extra });
}

async function refusal(open: Promise<Session>): Promise<string> {
  try {
    const s = await open;
    await s.close();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the connection was not refused');
}

/** `iotdb-lite <command> ARGS` as a child process. */
function run(
  command: 'cli' | 'pipes',
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, command, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end('');
  });
}

describe('TLS on the client RPC port (enable_thrift_ssl)', () => {
  it('reads IoTDB’s settings, dn_ spellings included, and refuses TLS without a key store', () => {
    const dir = certs.dir;
    const file = join(dir, 'tls.properties');
    writeFileSync(file, `dn_enable_thrift_ssl=true\ndn_key_store_path=node.p12\ndn_key_store_pwd=store-pw\n`);
    const config = loadNodeConfig({ configFile: file, baseDir: dir, env: {} });
    expect(config.thriftSsl).toEqual({ keyStorePath: certs.nodeP12, keyStorePassword: 'store-pw' });
    expect(() => loadNodeConfig({ baseDir: dir, env: {}, overrides: { enable_thrift_ssl: 'true' } })).toThrow(
      'enable_thrift_ssl=true needs key_store_path',
    );
  });

  it('serves sessions over TLS with a PKCS12 or a PEM key store, trusting a Java PKCS12 or a PEM trust store', async () => {
    for (const keyStore of [certs.nodeP12, certs.nodePem]) {
      const b = await tlsNode(keyStore, keyStore.endsWith('.pem') ? '' : 'store-pw');
      for (const trust of [{ trustStore: certs.trustP12, trustStorePwd: 'trust-pw' }, { trustStore: certs.caPem }]) {
        const s = await tlsSession(b.node.port, trust);
        await s.executeStatement('insert into root.tls.d(time, m) values (1, 1)');
        expect(await rows(s, 'select m from root.tls.d')).toEqual([['1', '1']]);
        await s.close();
      }
      expect(b.node.logs.some((l) => l.includes('(TLS)'))).toBe(true);
    }
  });

  it('ends a plaintext client on a TLS port, and a TLS client on a plaintext port, with a reason on both sides', async () => {
    const secure = await tlsNode(certs.nodeP12);
    const plain = await refusal(Session.open({ port: secure.node.port }));
    expect(plain).toBe(
      '305: this node speaks TLS on this port (enable_thrift_ssl=true): connect with TLS (-usessl true, sink.ssl.enable=true)',
    );
    expect(secure.node.logs.join('\n')).toMatch(
      /127\.0\.0\.1:\d+: closing the connection: not a TLS client \(plaintext on a TLS port\)/,
    );

    const open = await node();
    const tlsToPlain = await refusal(tlsSession(open.node.port));
    expect(tlsToPlain).toContain('TLS handshake failed: the node closed the connection');
    expect(open.node.logs.some((l) => l.includes('a TLS client on a plaintext port'))).toBe(true);

    // Both nodes keep serving.
    const s = await tlsSession(secure.node.port);
    await s.close();
    expect(await rows(open.session, 'show databases')).toEqual([]);
  });

  it('refuses an unknown CA, another host’s certificate and an expired one, naming why', async () => {
    // A Node client closes without an alert, so the node can only say that the client left.
    const left = /^127\.0\.0\.1:\d+: TLS handshake failed: the client closed the connection during the handshake/;
    const cases: [string, RegExp][] = [
      [
        certs.otherCaP12,
        /TLS handshake failed: self-signed certificate in certificate chain \(SELF_SIGNED_CERT_IN_CHAIN\)/,
      ],
      [certs.wrongHostP12, /TLS handshake failed: Hostname\/IP does not match certificate's altnames/],
      [certs.expiredP12, /TLS handshake failed: certificate has expired \(CERT_HAS_EXPIRED\)/],
    ];
    for (const [keyStore, client] of cases) {
      const b = await tlsNode(keyStore);
      expect(await refusal(tlsSession(b.node.port))).toMatch(client);
      await eventually(async () => b.node.logs.some((l) => /TLS handshake failed: /.test(l)), 'the node’s log line');
      expect(b.node.logs.find((l) => /TLS handshake failed: /.test(l))).toMatch(left);
      // The node goes on: the next client gets the same answer, not a refused connection.
      expect(await refusal(tlsSession(b.node.port))).toMatch(client);
    }
    // A client that trusts the other CA is served by that node.
    const stranger = await tlsNode(certs.otherCaP12);
    const s = await tlsSession(stranger.node.port, { trustStore: join(certs.dir, 'other-ca.pem') });
    expect(await rows(s, 'show databases')).toEqual([]);
    await s.close();
    const wrongPassword = await refusal(
      tlsSession((await tlsNode(certs.nodeP12)).node.port, { trustStorePwd: 'nope' }),
    );
    expect(wrongPassword).toContain(`cannot read trust store ${certs.trustP12} as PKCS12 or PEM: wrong password`);
  });

  it('carries pipes over TLS: the ssl sink, sink.ssl.enable on the sync and async sinks', async () => {
    const a = await node();
    const b = await tlsNode(certs.nodeP12);
    const s = await tlsSession(b.node.port);
    await a.session.executeStatement('insert into root.db.d(time, m) values (1, 1)');
    await a.session.executeStatement('flush');
    await a.session.executeStatement('insert into root.db.d(time, m) values (2, 2)');
    const sinks: [string, string][] = [
      [
        'iotdb-thrift-ssl-sink',
        `, 'sink.ssl.trust-store-path'='${certs.trustP12}', 'sink.ssl.trust-store-pwd'='trust-pw'`,
      ],
      ['iotdb-thrift-sink', `, 'sink.ssl.enable'='true', 'sink.ssl.trust-store-path'='${certs.caPem}'`],
      ['iotdb-thrift-async-sink', `, 'sink.ssl.enable'='true', 'sink.ssl.trust-store-path'='${certs.caPem}'`],
    ];
    for (const [i, [sink, extra]] of sinks.entries()) {
      await s.executeStatement('delete from root.db.**');
      await a.session.executeStatement(createPipeSql(`tls${i}`, sink, b.node.port, extra));
      await a.session.executeStatement(`start pipe tls${i}`);
      await eventually(async () => (await rows(s, 'select m from root.db.d')).length === 2, `${sink} over TLS`);
      await a.session.executeStatement(`drop pipe tls${i}`);
    }
    await s.close();

    // A sink without TLS is told so by the node and stops.
    await a.session.executeStatement(createPipeSql('plain', 'iotdb-thrift-sink', b.node.port));
    await a.session.executeStatement('start pipe plain');
    await eventually(async () => (await rows(a.session, 'show pipe plain'))[0]![3] === 'STOPPED', 'plain stopped');
    expect((await rows(a.session, 'show pipe plain'))[0]![7]).toContain('305 this node speaks TLS on this port');

    // A trust store that cannot be read stops the pipe with the reason.
    await a.session.executeStatement(
      createPipeSql(
        'badtrust',
        'iotdb-thrift-ssl-sink',
        b.node.port,
        `, 'sink.ssl.trust-store-path'='${certs.dir}/none.p12'`,
      ),
    );
    await a.session.executeStatement('start pipe badtrust');
    await eventually(
      async () => (await rows(a.session, 'show pipe badtrust'))[0]![3] === 'STOPPED',
      'badtrust stopped',
    );
    expect((await rows(a.session, 'show pipe badtrust'))[0]![7]).toContain('cannot read trust store');
  });

  it('runs the CLI over TLS with -usessl true -ts -tpw', async () => {
    const b = await tlsNode(certs.nodeP12);
    const port = String(b.node.port);
    const ok = await run('cli', [
      '-p',
      port,
      '-usessl',
      'true',
      '-ts',
      certs.trustP12,
      '-tpw',
      'trust-pw',
      '-e',
      'show version',
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Version');
    const plain = await run('cli', ['-p', port, '-e', 'show version']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('this node speaks TLS on this port (enable_thrift_ssl=true)');
  });

  it('shows the pipes of a TLS node with iotdb-lite pipes -usessl true -ts -tpw', async () => {
    const b = await tlsNode(certs.nodeP12);
    const port = String(b.node.port);
    const session = await tlsSession(b.node.port);
    try {
      await session.executeStatement(createPipeSql('securewatch', 'iotdb-thrift-sync-connector', 1));
    } finally {
      await session.close();
    }
    const ok = await run('pipes', ['-p', port, '-usessl', 'true', '-ts', certs.trustP12, '-tpw', 'trust-pw', '--once']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('securewatch');
    const plain = await run('pipes', ['-p', port, '--once']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('this node speaks TLS on this port (enable_thrift_ssl=true)');
  });
});
