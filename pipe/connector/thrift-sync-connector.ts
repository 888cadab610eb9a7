import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { StatusCode } from '../../engine/errors.js';
import { ConnectionError } from '../../protocol/client/iotdb-error.js';
import { RpcConnection } from '../../protocol/client/rpc-connection.js';
import {
  decodeFilePieceResp,
  encodeDeleteData,
  encodeFilePiece,
  encodeHandshakeV1,
  encodeTabletRaw,
  encodeTsFileSeal,
  filePieceBodyBytes,
  PipeRequestType,
} from '../../protocol/pipe/pipe-requests.js';
import type { TPipeTransferReq, TPipeTransferResp } from '../../protocol/rpc-types.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { pieceBuffers } from './piece-buffers.js';
import {
  ConnectorClosedError,
  PermanentTransferError,
  type PipeConnector,
  type PipeDeletion,
} from './pipe-connector.js';
import { TransferRetry } from './transfer-retry.js';

export interface ThriftSyncConnectorOptions {
  readonly targets: readonly { readonly host: string; readonly port: number }[];
  readonly timeoutMs: number;
  readonly timestampPrecision: string;
  readonly log: (message: string) => void;
  /** Bytes per TsFile piece. */
  readonly pieceBytes?: number;
  /** The index in `targets` of the first receiver to try (connections of a pool spread out). */
  readonly firstTarget?: number;
}

const PIECE_BYTES = 8 * 1024 * 1024;
/** File pieces sent before the answer to the first of them has come. */
const PIECES_AHEAD = 2;

/**
 * IoTDB's iotdb-thrift-(sync-)connector: one blocking connection to the receiver, a
 * handshake, then one `pipeTransfer` per tablet and TsFile pieces plus a seal per file,
 * each acknowledged before the next. A lost connection or an unreachable receiver is
 * retried with backoff (the same request again after a new handshake), so nothing is lost
 * or skipped; a refusal is permanent and stops the pipe with the receiver's message.
 */
export class ThriftSyncConnector implements PipeConnector {
  readonly filesInFlightMax = 2;
  private connection: RpcConnection | null = null;
  /** Settles when the last file handed to `transferFile` is sealed (or has failed). */
  private lastSeal: Promise<void> = Promise.resolve();
  private connecting: Promise<RpcConnection> | null = null;
  private closed = false;
  private next: number;
  private readonly retry: TransferRetry;

  constructor(private readonly options: ThriftSyncConnectorOptions) {
    this.next = options.firstTarget ?? 0;
    this.retry = new TransferRetry(options.log);
  }

  async handshake(): Promise<void> {
    await this.withRetry(async () => {
      await this.connected();
    });
  }

  async transferTablet(tablet: Tablet): Promise<void> {
    const req = encodeTabletRaw(tablet);
    await this.withRetry(async () => this.expectSuccess(await this.send(req), `tablet of ${tablet.device}`));
  }

  async transferFile(path: string): Promise<void> {
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
      await this.transferFileAfter(previous, path, name, length, pieceBytes);
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
  ): Promise<void> {
    await this.withRetry(async () => {
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
            const answer = this.send(p.req);
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
      this.expectSuccess(await this.send(encodeTsFileSeal(name, length)), `seal of ${name}`);
    });
  }

  /** As IoTDB 1.3 sends a deletion: its DeleteDataNode in a schema-plan request. */
  async transferDeletion(deletion: PipeDeletion): Promise<void> {
    const req = encodeDeleteData([deletion.pattern], deletion.start, deletion.end);
    await this.withRetry(async () => this.expectSuccess(await this.send(req), `deletion of ${deletion.pattern}`));
  }

  close(): void {
    this.closed = true;
    this.connection?.end();
    this.connection = null;
    this.retry.close();
  }

  /** The connection, opened and handshaken once for all requests that wait for it. */
  private connected(): Promise<RpcConnection> {
    if (this.connection !== null) return Promise.resolve(this.connection);
    if (this.connecting === null) {
      this.connecting = this.connect().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async connect(): Promise<RpcConnection> {
    const target = this.options.targets[this.next % this.options.targets.length]!;
    this.next++;
    const connection = await RpcConnection.open(target.host, target.port, { timeoutMs: this.options.timeoutMs });
    try {
      const resp = await connection.call((rpc) => rpc.pipeTransfer(encodeHandshakeV1(this.options.timestampPrecision)));
      this.expectSuccess(resp, `handshake with ${target.host}:${target.port}`);
    } catch (error) {
      connection.end();
      throw error;
    }
    if (this.closed) {
      connection.end();
      throw new ConnectorClosedError('the connector is closed');
    }
    this.connection = connection;
    return connection;
  }

  private async send(req: TPipeTransferReq): Promise<TPipeTransferResp> {
    const connection = await this.connected();
    return connection.call((rpc) => rpc.pipeTransfer(req));
  }

  private expectSuccess(resp: TPipeTransferResp, what: string): void {
    const { code, message } = resp.status;
    if (code === StatusCode.SUCCESS_STATUS || code === StatusCode.REDIRECTION_RECOMMEND) return;
    if (code === StatusCode.WRITE_PROCESS_REJECT) throw new ConnectionError(`${what}: receiver busy: ${message}`);
    throw new PermanentTransferError(`the receiver refused the ${what}: ${code} ${message ?? ''}`.trim());
  }

  /** Runs `attempt` until it succeeds, is refused for good, or the connector is closed. */
  private withRetry(attempt: () => Promise<void>): Promise<void> {
    return this.retry.run(attempt, () => {
      this.connection?.end();
      this.connection = null;
    });
  }
}
