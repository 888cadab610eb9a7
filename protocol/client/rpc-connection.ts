import thrift from 'thrift';
import type { ClientRpcClient } from '../rpc-types.js';
import { ClientRpcService, TBinaryProtocol, TCompactProtocol, TFramedTransport } from '../rpc-types.js';
import { ConnectionError } from './iotdb-error.js';

/**
 * A framed Thrift connection to a node's client RPC. `call` races a request against the
 * connection ending, so a lost node rejects pending and later calls with ConnectionError
 * instead of leaving them unanswered.
 */
export class RpcConnection {
  private ended = false;

  private constructor(
    private readonly connection: ReturnType<typeof thrift.createConnection>,
    readonly rpc: ClientRpcClient,
    private readonly lost: Promise<never>,
  ) {}

  static async open(
    host: string,
    port: number,
    options: { compact?: boolean; timeoutMs?: number } = {},
  ): Promise<RpcConnection> {
    const connection = thrift.createConnection(host, port, {
      transport: TFramedTransport,
      protocol: options.compact === true ? TCompactProtocol : TBinaryProtocol,
      connect_timeout: options.timeoutMs ?? 10_000,
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    });
    let lastError: Error | null = null;
    connection.on('error', (error: Error) => {
      lastError = error;
    });
    const lost = new Promise<never>((_, reject) => {
      const gone = () =>
        reject(new ConnectionError(`connection to ${host}:${port} closed${lastError ? `: ${lastError.message}` : ''}`));
      connection.on('close', gone);
      connection.on('timeout', () => {
        lastError = new Error(`no answer within ${options.timeoutMs} ms`);
        connection.end();
      });
    });
    lost.catch(() => {});
    await Promise.race([new Promise<void>((resolve) => connection.once('connect', () => resolve())), lost]).catch(
      (error: Error) => {
        throw new ConnectionError(`cannot connect to ${host}:${port}: ${lastError?.message ?? error.message}`);
      },
    );
    return new RpcConnection(connection, thrift.createClient(ClientRpcService.Client, connection), lost);
  }

  call<T>(request: (rpc: ClientRpcClient) => Promise<T>): Promise<T> {
    if (this.ended) return Promise.reject(new ConnectionError('the connection is closed'));
    return Promise.race([request(this.rpc), this.lost]);
  }

  end(): void {
    this.ended = true;
    this.connection.end();
  }
}
