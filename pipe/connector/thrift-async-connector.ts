import type { TPipeTransferReq } from '../../protocol/rpc-types.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { ConnectorClosedError, type PipeConnector, type PipeDeletion, type PipeSchemaPlan } from './pipe-connector.js';
import { ThriftSyncConnector, type ThriftSyncConnectorOptions } from './thrift-sync-connector.js';

export interface ThriftAsyncConnectorOptions extends ThriftSyncConnectorOptions {
  /** `pipe_async_connector_core_client_number`: connections opened at the handshake. */
  readonly coreClients: number;
  /** `pipe_async_connector_max_client_number`: connections (and transfers in flight) at most. */
  readonly maxClients: number;
}

/**
 * TsFiles in flight at once. Each has pieces of megabytes on the wire and in the receiver's
 * memory: two keep the receiver loading one file while the next arrives; more made two
 * cores slower (at 16 the history transfer took twice as long as at 2).
 */
const FILES_IN_FLIGHT_MAX = 2;

/**
 * IoTDB's iotdb-thrift-async-connector: a pool of receiver connections, each a sync
 * connection with its own handshake, retries and backoff, so several transfers are in
 * flight at once (no order between them). The pool opens `coreClients` connections at the
 * handshake and grows to `maxClients` while all are busy (TsFiles use at most
 * FILES_IN_FLIGHT_MAX of them); connections start at different
 * `node-urls` so a multi-receiver target shares the load.
 */
export class ThriftAsyncConnector implements PipeConnector {
  readonly inFlightMax: number;
  readonly filesInFlightMax: number;
  private readonly clients: ThriftSyncConnector[] = [];
  private readonly idle: ThriftSyncConnector[] = [];
  private readonly waiting: { resolve: (c: ThriftSyncConnector) => void; reject: (e: Error) => void }[] = [];
  private closed = false;

  constructor(private readonly options: ThriftAsyncConnectorOptions) {
    this.inFlightMax = Math.max(1, options.maxClients);
    this.filesInFlightMax = Math.min(this.inFlightMax, FILES_IN_FLIGHT_MAX);
  }

  async handshake(): Promise<void> {
    const core = Math.max(1, Math.min(this.options.coreClients, this.inFlightMax));
    while (this.clients.length < core) this.idle.push(this.open());
    // One handshake proves the receiver is there; the other connections handshake on first use.
    await this.idle[0]!.handshake();
  }

  /** The receiver's id, from the first connection's handshake. */
  get receiverId(): string | undefined {
    return this.clients.find((c) => c.receiverId !== undefined)?.receiverId;
  }

  transferTablet(tablet: Tablet, origin?: string): Promise<void> {
    return this.withClient((c) => c.transferTablet(tablet, origin));
  }

  transferTablets(tablets: readonly Tablet[], origin?: string): Promise<void> {
    return this.withClient((c) => c.transferTablets(tablets, origin));
  }

  transferFile(path: string, origin?: string): Promise<void> {
    return this.withClient((c) => c.transferFile(path, origin));
  }

  transferDeletion(deletion: PipeDeletion, origin?: string): Promise<void> {
    return this.withClient((c) => c.transferDeletion(deletion, origin));
  }

  transferConfigPlan(req: TPipeTransferReq, what: string): Promise<void> {
    return this.withClient((c) => c.transferConfigPlan(req, what));
  }

  transferSchema(plan: PipeSchemaPlan, origin?: string): Promise<void> {
    return this.withClient((c) => c.transferSchema(plan, origin));
  }

  close(): void {
    this.closed = true;
    for (const c of this.clients) c.close();
    for (const w of this.waiting.splice(0)) w.reject(new ConnectorClosedError('the connector is closed'));
  }

  private open(): ThriftSyncConnector {
    const client = new ThriftSyncConnector({ ...this.options, firstTarget: this.clients.length });
    this.clients.push(client);
    return client;
  }

  private async withClient(transfer: (c: ThriftSyncConnector) => Promise<void>): Promise<void> {
    const client = await this.acquire();
    try {
      await transfer(client);
    } finally {
      this.release(client);
    }
  }

  private acquire(): Promise<ThriftSyncConnector> {
    if (this.closed) return Promise.reject(new ConnectorClosedError('the connector is closed'));
    const client = this.idle.pop() ?? (this.clients.length < this.inFlightMax ? this.open() : undefined);
    if (client !== undefined) return Promise.resolve(client);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(client: ThriftSyncConnector): void {
    const next = this.waiting.shift();
    if (next !== undefined) next.resolve(client);
    else this.idle.push(client);
  }
}
