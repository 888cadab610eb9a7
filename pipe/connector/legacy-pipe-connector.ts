import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { StatusCode } from '../../engine/errors.js';
import { ConnectionError, IoTDBError } from '../../protocol/client/iotdb-error.js';
import { RpcConnection } from '../../protocol/client/rpc-connection.js';
import { Session } from '../../protocol/client/session.js';
import { SERIAL_NUMBER_NONE } from '../../protocol/legacy-sync/legacy-sync-format.js';
import { encodePipeData, type LegacyPipeData } from '../../protocol/legacy-sync/pipe-data-codec.js';
import { fileMeta, parseRedirectIndex, syncIdentity } from '../../protocol/legacy-sync/sync-messages.js';
import { TSProtocolVersion, type TSStatus } from '../../protocol/rpc-types.js';
import type { Tablet } from '../../tsfile/tablet.js';
import {
  ConnectorClosedError,
  PermanentTransferError,
  type PipeConnector,
  type PipeDeletion,
} from './pipe-connector.js';
import { TransferRetry } from './transfer-retry.js';

export interface LegacyPipeConnectorOptions {
  readonly host: string;
  readonly port: number;
  /** The receiver's user that tablets are written as (`connector.user`, `connector.password`). */
  readonly user: string;
  readonly password: string;
  /** `connector.version`: the version named in the handshake, which the receiver checks. */
  readonly version: string;
  /** The pipe's name and creation time: the sender's identity in the handshake. */
  readonly pipeName: string;
  readonly creationTime: number;
  readonly timeoutMs: number;
  readonly log: (message: string) => void;
  /** Bytes per `sendFile` piece. */
  readonly pieceBytes?: number;
}

/** IoTDB's pipe_connector_read_file_buffer_size. */
const PIECE_BYTES = 8 * 1024 * 1024;

/** The receiver's two channels: the sync protocol, and a session for tablets. */
interface Channels {
  readonly sync: RpcConnection;
  readonly session: Session;
}

/**
 * IoTDB's iotdb-legacy-pipe-connector, for receivers that speak the pre-1.2 sync protocol
 * (IoTDB 1.1, and this node). It introduces its pipe with `handshake`, ships a sealed
 * TsFile as `sendFile` pieces followed by a TsFile PipeData in `sendPipeData`, and a
 * deletion as a deletion PipeData. Tablets have no PipeData of their own: as IoTDB does,
 * they go through an ordinary session (`insertTablet`), logged in as `user`. Everything is
 * acknowledged before the next transfer; a lost connection or a receiver that cannot
 * write now is retried with backoff after a new handshake, a refusal stops the pipe.
 */
export class LegacyPipeConnector implements PipeConnector {
  private channels: Channels | null = null;
  private closed = false;
  private readonly retry: TransferRetry;
  private readonly where: string;

  constructor(private readonly options: LegacyPipeConnectorOptions) {
    this.retry = new TransferRetry(options.log);
    this.where = `${options.host}:${options.port}`;
  }

  async handshake(): Promise<void> {
    await this.withRetry(async () => {
      await this.connected();
    });
  }

  async transferTablet(tablet: Tablet): Promise<void> {
    await this.withRetry(async () => {
      const { session } = await this.connected();
      try {
        await session.insertTablet(tablet);
      } catch (error) {
        throw this.sessionFailure(error, `tablet of ${tablet.device}`);
      }
    });
  }

  async transferFile(path: string): Promise<void> {
    const name = basename(path);
    const pieceBytes = this.options.pieceBytes ?? PIECE_BYTES;
    await this.withRetry(async () => {
      const { sync } = await this.connected();
      const length = statSync(path).size;
      const fd = openSync(path, 'r');
      try {
        const buffer = Buffer.allocUnsafe(Math.min(pieceBytes, Math.max(length, 1)));
        let position = 0;
        while (position < length) {
          const n = readSync(fd, buffer, 0, Math.min(buffer.length, length - position), position);
          if (n === 0) throw new Error(`${path} ended at ${position} of its ${length} bytes`);
          const status = await sync.call((rpc) => rpc.sendFile(fileMeta(name, position), buffer.subarray(0, n)));
          position = this.nextPosition(status, name, position, n, length);
        }
      } finally {
        closeSync(fd);
      }
      await this.sendPipeData(sync, {
        kind: 'tsfile',
        serialNumber: SERIAL_NUMBER_NONE,
        parentDirPath: '',
        fileName: name,
      });
    });
  }

  /** As IoTDB 1.1's sender did: a deletion PipeData, which IoTDB's legacy receivers apply. */
  async transferDeletion(deletion: PipeDeletion): Promise<void> {
    await this.withRetry(async () => {
      const { sync } = await this.connected();
      await this.sendPipeData(sync, {
        kind: 'deletion',
        serialNumber: SERIAL_NUMBER_NONE,
        database: null,
        path: deletion.pattern,
        start: deletion.start,
        end: deletion.end,
      });
    });
  }

  close(): void {
    this.closed = true;
    this.disconnect();
    this.retry.close();
  }

  private withRetry(attempt: () => Promise<void>): Promise<void> {
    return this.retry.run(attempt, () => this.disconnect());
  }

  private disconnect(): void {
    const channels = this.channels;
    this.channels = null;
    channels?.sync.end();
    channels?.session.close().catch(() => {});
  }

  private async logIn(sync: RpcConnection): Promise<void> {
    const { user, password } = this.options;
    const open = await sync.call((rpc) =>
      rpc.openSession({
        client_protocol: TSProtocolVersion.IOTDB_SERVICE_PROTOCOL_V3,
        zoneId: 'UTC',
        username: user,
        password,
        configuration: { version: 'V_1_0' },
      }),
    );
    if (open.status.code !== StatusCode.SUCCESS_STATUS) {
      throw new PermanentTransferError(
        `the receiver ${this.where} refused the login of user ${user}: ${open.status.code} ${open.status.message ?? ''}`.trim(),
      );
    }
  }

  /** The open channels, or new ones after a handshake and a login. */
  private async connected(): Promise<Channels> {
    if (this.channels !== null) return this.channels;
    const { options } = this;
    const sync = await RpcConnection.open(options.host, options.port, { timeoutMs: options.timeoutMs });
    let session: Session;
    try {
      // The sync protocol carries no credentials: a session on the same connection tells
      // the receiver who the handshake and the files that follow are from.
      await this.logIn(sync);
      const identity = syncIdentity(options.pipeName, options.creationTime, options.version);
      const status = await sync.call((rpc) => rpc.handshake(identity));
      if (status.code !== StatusCode.SUCCESS_STATUS) {
        throw new PermanentTransferError(
          `the receiver ${this.where} refused the handshake: ${status.code} ${status.message ?? ''}`.trim(),
        );
      }
      session = await Session.open({
        host: options.host,
        port: options.port,
        user: options.user,
        password: options.password,
        timeoutMs: options.timeoutMs,
      }).catch((error: unknown) => {
        throw this.sessionFailure(error, `login of user ${options.user}`);
      });
    } catch (error) {
      sync.end();
      throw error;
    }
    if (this.closed) {
      sync.end();
      await session.close().catch(() => {});
      throw new ConnectorClosedError('the connector is closed');
    }
    this.channels = { sync, session };
    return this.channels;
  }

  /**
   * Where the next piece of `name` starts after the answer to the piece [position,
   * position + n): past it on success, where the receiver's staged copy ends on a
   * redirect (a resumed transfer), and a retry when the receiver could not store it.
   */
  private nextPosition(status: TSStatus, name: string, position: number, n: number, length: number): number {
    switch (status.code) {
      case StatusCode.SUCCESS_STATUS:
        return position + n;
      case StatusCode.SYNC_FILE_REDIRECTION_ERROR: {
        let index: number;
        try {
          index = parseRedirectIndex(status.message);
        } catch (error) {
          throw new PermanentTransferError(`the receiver ${this.where}: ${(error as Error).message}`);
        }
        // A redirect to the offset just sent, or past the end, would loop or lose bytes.
        if (index === position || index > length) {
          throw new PermanentTransferError(
            `the receiver ${this.where} asks for ${name} from offset ${index}, but the piece at ${position} was sent and the file has ${length} bytes`,
          );
        }
        this.options.log(`pipe transfer of ${name} resumes at offset ${index}, where ${this.where} holds it`);
        return index;
      }
      case StatusCode.SYNC_FILE_ERROR:
        throw new ConnectionError(`the receiver ${this.where} could not store a piece of ${name}: ${status.message}`);
      default:
        throw new PermanentTransferError(
          `the receiver ${this.where} refused the piece of ${name} at ${position}: ${status.code} ${status.message ?? ''}`.trim(),
        );
    }
  }

  private async sendPipeData(sync: RpcConnection, data: LegacyPipeData): Promise<void> {
    const status = await sync.call((rpc) => rpc.sendPipeData(encodePipeData(data)));
    if (status.code === StatusCode.SUCCESS_STATUS) return;
    const what = data.kind === 'tsfile' ? `file ${data.fileName}` : `deletion of ${data.path}`;
    throw new PermanentTransferError(
      `the receiver ${this.where} refused the ${what}: ${status.code} ${status.message ?? ''}`.trim(),
    );
  }

  /** A failed session call: retried when the receiver may accept it later, permanent otherwise. */
  private sessionFailure(error: unknown, what: string): Error {
    if (!(error instanceof IoTDBError)) return error instanceof Error ? error : new Error(String(error));
    if (
      error.retriable ||
      error.code === StatusCode.WRITE_PROCESS_REJECT ||
      error.code === StatusCode.DISK_SPACE_INSUFFICIENT
    ) {
      return new ConnectionError(`${what}: the receiver ${this.where} is busy: ${error.message}`);
    }
    return new PermanentTransferError(`the receiver ${this.where} refused the ${what}: ${error.message}`);
  }
}
