import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ThriftSyncConnector } from '../../pipe/connector/thrift-sync-connector.js';
import { Session } from '../../protocol/client/session.js';
import { encodeHandshakeV1, encodeTsFilePiece } from '../../protocol/pipe/pipe-requests.js';
import { startTestNode, type TestNode } from '../server/node-harness.js';
import { rows } from './pipe-test-kit.js';

const nodes: TestNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

async function node(): Promise<TestNode> {
  const n = await startTestNode();
  nodes.push(n);
  return n;
}

describe('the sync connector sending a file in pieces ahead of their answers', () => {
  it('continues from the receiver’s staged copy when the first pieces are answered with an offset reset', async () => {
    const a = await node();
    const b = await node();
    const session = await Session.open({ port: a.port });
    const values = Array.from({ length: 2000 }, (_, i) => `(${i}, ${(i * 7919) % 10007})`).join(', ');
    await session.executeStatement(`insert into root.db.d(time, s) values ${values}`);
    await session.executeStatement('flush');
    await session.close();
    const file = a.node.engine.sealedFiles()[0]!.path;
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(3000);

    // B already holds the first 2,500 bytes, as after an interrupted transfer.
    const raw = await b.connect();
    expect((await raw.rpc.pipeTransfer(encodeHandshakeV1('ms'))).status.code).toBe(200);
    const staged = await raw.rpc.pipeTransfer(encodeTsFilePiece(basename(file), 0, bytes.subarray(0, 2500)));
    expect(staged.status.code).toBe(200);
    raw.end();

    const logs: string[] = [];
    const connector = new ThriftSyncConnector({
      targets: [{ host: '127.0.0.1', port: b.port }],
      timeoutMs: 10_000,
      timestampPrecision: 'ms',
      clusterId: 'sender-node',
      log: (m) => logs.push(m),
      pieceBytes: 1000,
    });
    await connector.handshake();
    await connector.transferFile(file);
    connector.close();
    expect(logs).toEqual([]);
    const reader = await Session.open({ port: b.port });
    const got = await rows(reader, 'select count(s), sum(s) from root.db.d');
    await reader.close();
    expect(got).toEqual([
      ['0', '2000', String(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 10007).reduce((x, y) => x + y, 0))],
    ]);
  });
});
