import { afterEach, expect } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { encodeHandshakeV2 } from '../../protocol/pipe/pipe-requests.js';
import { type RawClient, startTestNode, type TestNode } from '../server/node-harness.js';
import { rows } from './pipe-test-kit.js';

/** A receiving node and a raw sender connection that has shaken hands with it (v2, ms). */
export interface HandshakenReceiver {
  readonly node: TestNode;
  readonly client: RawClient;
}

/**
 * Receivers for the tests of one file, closed after each test. `track` adds another client
 * to close with them.
 */
export function receiverNodes(): {
  open: (settings?: Record<string, string>) => Promise<HandshakenReceiver>;
  track: (client: RawClient) => void;
} {
  const nodes: TestNode[] = [];
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.end();
    for (const n of nodes.splice(0)) await n.close();
  });
  return {
    track: (client) => clients.push(client),
    open: async (settings = {}) => {
      const node = await startTestNode(settings);
      nodes.push(node);
      const client = await node.connect();
      clients.push(client);
      const hello = await client.rpc.pipeTransfer(
        encodeHandshakeV2(
          new Map([
            ['timestampPrecision', 'ms'],
            ['clusterID', 'sender-cluster'],
          ]),
        ),
      );
      expect(hello.status.code).toBe(200);
      return { node, client };
    },
  };
}

/** The rows of `sql` on `node`, as text, over a session of its own. */
export async function queryNode(node: TestNode, sql: string): Promise<string[][]> {
  const session = await Session.open({ port: node.port });
  try {
    return await rows(session, sql);
  } finally {
    await session.close();
  }
}
