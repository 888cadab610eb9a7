import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, IoTDBError } from '../../../protocol/client/iotdb-error.js';
import { Session } from '../../../protocol/client/session.js';
import { encodeFrame } from '../../../protocol/frame-decoder.js';
import { deadPort, type FakeNode, startFakeNode } from './fake-node.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function fake(options: Parameters<typeof startFakeNode>[0] = {}): Promise<FakeNode> {
  const node = await startFakeNode(options);
  closers.push(() => node.close());
  return node;
}

/** A server that answers every chunk with `reply` (null: hangs up at once). */
async function rawServer(reply: Buffer | null): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.on('data', () => (reply === null ? socket.destroy() : socket.write(reply)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

describe('Session failures are clean rejections', () => {
  it('rejects with ConnectionError naming the address when nothing listens (ECONNREFUSED)', async () => {
    const port = await deadPort();
    const error = await Session.open({ port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toMatch(
      new RegExp(`^cannot connect to 127\\.0\\.0\\.1:${port}: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`),
    );
    expect((error as ConnectionError).retriable).toBe(true);
  });

  it('rejects a wrong password with the node’s 801', async () => {
    const node = await fake();
    const error = await Session.open({ port: node.port, password: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IoTDBError);
    expect(error).toMatchObject({ code: 801, message: '801: Authentication failed.' });
    expect(node.callsOf('requestStatementId')).toHaveLength(0);
  });

  it('rejects waiting and later calls when the node goes away; close() still resolves', async () => {
    const node = await fake({ overrides: { executeStatementV2: () => new Promise(() => {}) } });
    const session = await Session.open({ port: node.port });
    const waiting = session.executeStatement('select * from root.**');
    await new Promise((resolve) => setTimeout(resolve, 20));
    node.dropConnections();
    await expect(waiting).rejects.toThrow(ConnectionError);
    await expect(waiting).rejects.toThrow(/^connection to 127\.0\.0\.1:\d+ (closed|failed: read ECONNRESET)$/);
    await expect(session.createDatabase('root.sg')).rejects.toBeInstanceOf(ConnectionError);
    expect(session.isOpen).toBe(false);
    await expect(session.close()).resolves.toBeUndefined();
  });

  it('gives up a call that gets no answer within timeoutMs', async () => {
    const node = await fake({ overrides: { executeStatementV2: () => new Promise(() => {}) } });
    const session = await Session.open({ port: node.port, timeoutMs: 150 });
    await expect(session.executeStatement('flush')).rejects.toThrow(
      new RegExp(`^no answer from 127\\.0\\.0\\.1:${node.port} within 150 ms$`),
    );
    await session.close();
  });

  it('turns a handler failure (TApplicationException) into a rejection and stays usable', async () => {
    const node = await fake({
      overrides: {
        setStorageGroup: () => {
          throw new Error('boom');
        },
      },
    });
    const session = await Session.open({ port: node.port });
    await expect(session.createDatabase('root.sg')).rejects.toThrow('boom');
    expect(await session.executeStatement('flush')).toBeNull();
    await session.close();
  });

  it('reports a node that hangs up before answering', async () => {
    const port = await rawServer(null);
    await expect(Session.open({ port })).rejects.toThrow(/^connection to 127\.0\.0\.1:\d+ (closed|failed: .*)$/);
  });

  it('reports an answer that is not Thrift as a malformed answer', async () => {
    const port = await rawServer(encodeFrame(Buffer.from('hello, not thrift')));
    const error = await Session.open({ port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/^malformed answer from 127\.0\.0\.1:\d+: /);
  });

  it('reports a frame over the size bound as a malformed answer', async () => {
    const huge = Buffer.alloc(8);
    huge.writeInt32BE(0x7fffffff, 0);
    const port = await rawServer(huge);
    await expect(Session.open({ port })).rejects.toThrow(/malformed answer .*exceeds the limit/);
  });
});
