import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { StatusCode } from '../../engine/errors.js';
import { RpcConnection } from '../../protocol/client/rpc-connection.js';
import type { SocketFactory } from '../../protocol/client/socket-factory.js';
import { StoreError } from '../../protocol/client/trust-store.js';
import { HandshakeKey } from '../../protocol/pipe/pipe-request-type.js';
import {
  decodeFilePieceResp,
  decodeHandshakeResp,
  encodeConfigPlan,
  encodeDeleteData,
  encodeFilePiece,
  encodeHandshakeV1,
  encodeSchemaPlan,
  encodeSenderHandshake,
  encodeTabletBatch,
  encodeTabletRaw,
  encodeTsFileSeal,
  filePieceBodyBytes,
  PipeRequestType,
} from '../../protocol/pipe/pipe-requests.js';
import type { TPipeTransferReq, TPipeTransferResp } from '../../protocol/rpc-types.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { TransferMeter } from '../pipe-counters.js';
import { deletionContents, fileContents, type RequestContents, tabletContents } from './ignored-data.js';
import { pieceBuffers } from './piece-buffers.js';
import {
  ConnectorClosedError,
  PermanentTransferError,
  type PipeConnector,
  type PipeDeletion,
  type PipeSchemaPlan,
} from './pipe-connector.js';
import { ReceiverRefusal, type RefusalOptions } from './receiver-status-handler.js';
import { TransferRetry } from './transfer-retry.js';
import { type LoadBalanceStrategy, TargetOrder } from './transport/load-balance.js';
import type { OutboundLayer } from './transport/outbound-layers.js';

export interface ThriftSyncConnectorOptions {
  readonly targets: readonly { readonly host: string; readonly port: number }[];
  readonly timeoutMs: number;
  readonly timestampPrecision: string;
  /** This node's id, the `clusterID` of the v2 handshake. */
  readonly clusterId: string;
  /** `sink.user` / `sink.password` (default root/root): who the receiver runs this pipe's requests as. */
  readonly user?: string;
  readonly password?: string;
  /** How connections are made: plain TCP when absent, TLS for `sink.ssl.enable`. */
  readonly sockets?: SocketFactory;
  /** `sink.exception.data.convert-on-type-mismatch` (default true), told to the receiver in the handshake. */
  readonly convertOnTypeMismatch?: boolean;
  readonly log: (message: string) => void;
  /** Bytes per TsFile piece. */
  readonly pieceBytes?: number;
  /** The connection's index in its pool (round-robin connections of a pool start at different receivers). */
  readonly firstTarget?: number;
  /** `sink.load-balance-strategy`; round-robin when absent. */
  readonly loadBalance?: LoadBalanceStrategy;
  /** The compressor and rate-limiter layers every request but the handshake passes on its way out. */
  readonly outbound?: OutboundLayer;
  /** Hears the bytes of each request sent and each retry (metrics). */
  readonly meter?: TransferMeter;
  /** `sink.exception.conflict.*` / `others.*`: what a refused request does; IoTDB's defaults when absent. */
  readonly refusals?: RefusalOptions;
}

const PIECE_BYTES = 8 * 1024 * 1024;
/** File pieces sent before the answer to the first of them has come. */
const PIECES_AHEAD = 2;

/**
 * IoTDB's iotdb-thrift-(sync-)connector: one blocking connection to the receiver, a
 * handshake, then one `pipeTransfer` per tablet and TsFile pieces plus a seal per file,
 * each acknowledged before the next. A lost connection or an unreachable receiver is
 * retried with backoff (the same request again after a new handshake), so nothing is lost
 * or skipped; a refused request goes by the sink's `exception.*` options (TransferRetry),
 * and a refused handshake stops the pipe with the receiver's message.
 */
export class ThriftSyncConnector implements PipeConnector {
  readonly filesInFlightMax = 2;
  receiverId: string | undefined = undefined;
  /**
   * Connections by the origin of the data they carry ('' for this node's own): the
   * receiver learns a connection's origin from its handshake. Calls are acknowledged one
   * at a time (files: sealed in order), so order holds across them.
   */
  private readonly connections = new Map<string, RpcConnection>();
  /** Settles when the last file handed to `transferFile` is sealed (or has failed). */
  private lastSeal: Promise<void> = Promise.resolve();
  private readonly connecting = new Map<string, Promise<RpcConnection>>();
  private closed = false;
  private readonly order: TargetOrder;
  private readonly retry: TransferRetry;

  constructor(private readonly options: ThriftSyncConnectorOptions) {
    const { targets, loadBalance, firstTarget } = options;
    this.order = new TargetOrder(loadBalance ?? 'round-robin', targets.length, firstTarget ?? 0);
    this.retry = new TransferRetry(options.log, options.meter, options.refusals);
  }

  async handshake(): Promise<void> {
    await this.withRetry(async () => {
      await this.connected('');
    });
  }

  async transferTablet(tablet: Tablet, origin = ''): Promise<void> {
    const req = encodeTabletRaw(tablet);
    await this.withRetry(
      async () => this.expectSuccess(await this.send(req, origin), `tablet of ${tablet.device}`),
      () => tabletContents([tablet]),
    );
  }

  /** Tablets in one batch request (IoTDB's PipeTransferTabletBatchReq), acknowledged together. */
  async transferTablets(tablets: readonly Tablet[], origin = ''): Promise<void> {
    const req = encodeTabletBatch(tablets);
    const what = `batch of ${tablets.length} tablets`;
    await this.withRetry(
      async () => this.expectSuccess(await this.send(req, origin), what),
      () => tabletContents(tablets),
    );
  }

  async transferFile(path: string, origin = ''): Promise<void> {
    const name = basename(path);
    const length = statSync(path).size;
    const pieceBytes = this.options.pieceBytes ?? PIECE_BYTES;
    // Files may be in flight together, but each is sealed (loaded) only after the one before.
    const previous = this.lastSeal;
    let sealed = () => {};
    this.lastSeal = new Promise<void>((resolve) => {
      sealed = resolve;
    });
    try {
      await this.transferFileAfter(previous, path, name, length, pieceBytes, origin);
    } finally {
      sealed();
    }
  }

  private async transferFileAfter(
    previous: Promise<void>,
    path: string,
    name: string,
    length: number,
    pieceBytes: number,
    origin: string,
  ): Promise<void> {
    await this.withRetry(
      async () => {
        const fd = openSync(path, 'r');
        try {
          // Each piece is read straight into a request body, which goes to the socket as it is.
          const piece = (at: number) => {
            const size = Math.min(pieceBytes, length - at);
            const body = pieceBuffers.take(filePieceBodyBytes(name, size));
            let n = 0;
            const fill = (into: Buffer) => {
              n = readSync(fd, into, 0, into.length, at);
              return n;
            };
            const req = encodeFilePiece(PipeRequestType.TRANSFER_TS_FILE_PIECE, name, at, size, fill, body);
            return { at, end: at + n, body, req };
          };
          // Pieces go out ahead of their answers on the one connection, which the receiver
          // reads in order, so it always has the next piece at hand while it writes one.
          const sent: { at: number; body: Buffer; answer: Promise<TPipeTransferResp> }[] = [];
          let next = 0;
          while (next < length || sent.length > 0) {
            while (sent.length < PIECES_AHEAD && next < length) {
              const p = piece(next);
              const answer = this.send(p.req, origin);
              answer.catch(() => {});
              sent.push({ at: p.at, body: p.body, answer });
              next = p.end;
            }
            const head = sent.shift()!;
            const resp = await head.answer;
            // Answered: the socket has sent the body. (A body whose piece failed is dropped.)
            pieceBuffers.give(head.body);
            if (resp.status.code === StatusCode.PIPE_TRANSFER_FILE_OFFSET_RESET) {
              // The receiver holds a different prefix of the file (a resumed transfer): what was
              // sent after this piece is answered the same way; continue from the receiver's end.
              for (const later of sent.splice(0)) await later.answer;
              next = Number(decodeFilePieceResp(resp).endWritingOffset);
              continue;
            }
            this.expectSuccess(resp, `piece of ${name} at ${head.at}`);
          }
        } finally {
          closeSync(fd);
        }
        await previous;
        this.expectSuccess(await this.send(encodeTsFileSeal(name, length), origin), `seal of ${name}`);
      },
      () => fileContents(path),
    );
  }

  /** As IoTDB 1.3 sends a deletion: its DeleteDataNode in a schema-plan request. */
  async transferDeletion(deletion: PipeDeletion, origin = ''): Promise<void> {
    const req = encodeDeleteData([deletion.pattern], deletion.start, deletion.end);
    await this.withRetry(
      async () => this.expectSuccess(await this.send(req, origin), `deletion of ${deletion.pattern}`),
      () => deletionContents(deletion),
    );
  }

  /** As IoTDB 1.3's config-region pipe sends a plan: its bytes in a TRANSFER_CONFIG_PLAN request. */
  async transferConfigPlan(req: TPipeTransferReq, what: string): Promise<void> {
    await this.withRetry(
      async () => this.expectSuccess(await this.send(req, ''), what),
      () => ({ text: what, points: 0 }),
    );
  }

  /** As IoTDB 1.3's schema-region and config-region pipes send them: types 100 and 200. */
  async transferSchema(plan: PipeSchemaPlan, origin = ''): Promise<void> {
    const req = plan.request === 'schema' ? encodeSchemaPlan(plan.plan) : encodeConfigPlan(plan.plan);
    await this.withRetry(async () =>
      this.expectSuccess(await this.send(req, origin), `schema change ${plan.plan.kind}`),
    );
  }

  close(): void {
    this.closed = true;
    this.dropConnections();
    this.retry.close();
  }

  private dropConnections(): void {
    for (const c of this.connections.values()) c.end();
    this.connections.clear();
  }

  /** The connection for data of `origin`, opened and handshaken once for all requests that wait for it. */
  private connected(origin: string): Promise<RpcConnection> {
    const open = this.connections.get(origin);
    if (open !== undefined) return Promise.resolve(open);
    let connecting = this.connecting.get(origin);
    if (connecting === undefined) {
      connecting = this.connect(origin).finally(() => this.connecting.delete(origin));
      this.connecting.set(origin, connecting);
    }
    return connecting;
  }

  private async connect(origin: string): Promise<RpcConnection> {
    const target = this.options.targets[this.order.take()]!;
    const { sockets } = this.options;
    const connection = await RpcConnection.open(target.host, target.port, {
      timeoutMs: this.options.timeoutMs,
      ...(sockets === undefined ? {} : { sockets }),
    }).catch((error: unknown) => {
      // A trust store that cannot be read will not become readable by retrying.
      throw error instanceof StoreError ? new PermanentTransferError(error.message) : error;
    });
    try {
      const resp = await this.shakeHands(connection, origin);
      this.expectSuccess(resp, `handshake with ${target.host}:${target.port}`);
      this.receiverId = this.receiverIdOf(resp);
    } catch (error) {
      connection.end();
      // A refused handshake (login, precision, a loop) stops the pipe, as IoTDB's sender
      // stops it once its handshakes fail; a busy receiver is waited for.
      if (error instanceof ReceiverRefusal && error.refusal !== 'temporary') {
        throw new PermanentTransferError(error.message);
      }
      throw error;
    }
    if (this.closed) {
      connection.end();
      throw new ConnectorClosedError('the connector is closed');
    }
    this.order.connected();
    this.connections.set(origin, connection);
    return connection;
  }

  /**
   * IoTDB 1.3.3's handshake: v2 with this node's cluster id, the sink's user and password
   * (and the data's origin when it is another node's); a receiver that does not know v2
   * (IoTDB 1.2) gets v1, as IoTDB's sender falls back. Forwarded data needs v2: v1 cannot
   * say where it came from.
   */
  private async shakeHands(connection: RpcConnection, origin: string): Promise<TPipeTransferResp> {
    const { timestampPrecision, clusterId, user = 'root', password = 'root', convertOnTypeMismatch } = this.options;
    const handshake = encodeSenderHandshake(
      { clusterId, timestampPrecision, username: user, password, convertOnTypeMismatch },
      origin === '' ? [] : [[HandshakeKey.ORIGIN_CLUSTER_ID, origin]],
    );
    const resp = await connection.call((rpc) => rpc.pipeTransfer(handshake));
    if (resp.status.code !== StatusCode.PIPE_TYPE_ERROR || origin !== '') return resp;
    return connection.call((rpc) => rpc.pipeTransfer(encodeHandshakeV1(this.options.timestampPrecision)));
  }

  private receiverIdOf(resp: TPipeTransferResp): string | undefined {
    try {
      return decodeHandshakeResp(resp);
    } catch (error) {
      this.options.log(`event=handshake-answer-unreadable error="${(error as Error).message}"`);
      return undefined;
    }
  }

  private async send(req: TPipeTransferReq, origin: string): Promise<TPipeTransferResp> {
    const connection = await this.connected(origin);
    const wire = this.options.outbound === undefined ? req : await this.options.outbound(req);
    // On the wire: after compression, so the count is what crosses the link.
    this.options.meter?.sent(wire.body.length);
    return connection.call((rpc) => rpc.pipeTransfer(wire));
  }

  private expectSuccess(resp: TPipeTransferResp, what: string): void {
    const { code, message } = resp.status;
    if (code === StatusCode.SUCCESS_STATUS || code === StatusCode.REDIRECTION_RECOMMEND) return;
    throw new ReceiverRefusal(code, message ?? '', what);
  }

  /**
   * Runs `attempt` until it succeeds, is refused for good, is given up on a refusal, or the
   * connector is closed; `contents` says what the request carries.
   */
  private withRetry(attempt: () => Promise<void>, contents?: () => RequestContents): Promise<void> {
    return this.retry.run(attempt, () => this.dropConnections(), contents);
  }
}
