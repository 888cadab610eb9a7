import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import thrift from 'thrift';
import type { ClientRpcClient, I64, ProtocolClass } from '../../protocol/rpc-types.js';
import { ClientRpcService, TBinaryProtocol, TFramedTransport } from '../../protocol/rpc-types.js';
import { loadNodeConfig } from '../../server/config/node-config.js';
import { IoTDBNode } from '../../server/node.js';

/** A node on a random loopback port over a temporary folder; `close` stops it and removes the folder. */
export interface TestNode {
  readonly node: IoTDBNode;
  readonly port: number;
  readonly dir: string;
  readonly logs: string[];
  /** A raw Thrift client of the node (framed, binary unless told). */
  connect(protocol?: ProtocolClass): Promise<RawClient>;
  close(): Promise<void>;
}

export interface RawClient {
  readonly rpc: ClientRpcClient;
  /** Opens a root session; returns its id. */
  login(user?: string, password?: string): Promise<I64>;
  end(): void;
  readonly closed: Promise<void>;
}

export async function startTestNode(settings: Record<string, string> = {}): Promise<TestNode> {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-node-'));
  const config = loadNodeConfig({
    baseDir: dir,
    env: {},
    overrides: { data_dirs: join(dir, 'data'), wal_mode: 'SYNC', ...settings },
  });
  const logs: string[] = [];
  const node = await IoTDBNode.start({
    config: { ...config, rpcPort: settings.rpc_port === undefined ? 0 : config.rpcPort },
    log: (m) => logs.push(m),
  });
  const clients: RawClient[] = [];
  return {
    node,
    port: node.port,
    dir,
    logs,
    async connect(protocol = TBinaryProtocol) {
      const connection = thrift.createConnection('127.0.0.1', node.port, {
        transport: TFramedTransport,
        protocol,
        connect_timeout: 5000,
      });
      connection.on('error', () => {});
      const closed = new Promise<void>((resolve) => connection.on('close', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        connection.once('connect', () => resolve());
        connection.once('error', reject);
      });
      const rpc: ClientRpcClient = thrift.createClient(ClientRpcService.Client, connection);
      const client: RawClient = {
        rpc,
        async login(user = 'root', password = 'root') {
          const open = await rpc.openSession({ client_protocol: 2, zoneId: 'UTC', username: user, password });
          if (open.status.code !== 200) throw new Error(`login failed: ${open.status.code} ${open.status.message}`);
          return open.sessionId!;
        },
        end: () => connection.end(),
        closed,
      };
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) c.end();
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
