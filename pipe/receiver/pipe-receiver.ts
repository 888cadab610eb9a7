import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, StatusCode } from '../../engine/errors.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import { PayloadError } from '../../protocol/payload-error.js';
import { decodePipeTransferReq, encodeFilePieceResp } from '../../protocol/pipe/pipe-requests.js';
import type { TPipeTransferReq, TPipeTransferResp, TSStatus } from '../../protocol/rpc-types.js';

function status(code: number, message = ''): TSStatus {
  return { code, message };
}

/** The status a failure is answered with: IoTDB's code where the error carries one. */
function failure(error: unknown): TSStatus {
  if (error instanceof EngineError) return status(error.code, error.message);
  if (error instanceof PayloadError) return status(error.statusCode, error.message);
  return status(StatusCode.PIPE_ERROR, error instanceof Error ? error.message : String(error));
}

/** A file name as the sender gave it, reduced to a safe single path component. */
function stagedName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  if (safe === '' || safe === '.' || safe === '..') throw new PayloadError(`illegal file name '${name}'`);
  return safe;
}

/**
 * The receiving end of IoTDB's pipe protocol on this node. Every request is validated;
 * tablets go through the engine's write path (schema checks, WAL, arrival order), file
 * pieces are staged and resumable by offset, and a sealed file is loaded through the
 * engine. Requests of one connection are applied in the order they come.
 */
export class PipeReceiver {
  private readonly handshaken = new Set<string>();

  constructor(
    private readonly engine: StorageEngine,
    private readonly stagingDir: string,
  ) {
    mkdirSync(stagingDir, { recursive: true });
  }

  /** Forgets a connection (its handshake); staged files stay for a resumed transfer. */
  disconnected(client: string): void {
    this.handshaken.delete(client);
  }

  async receive(req: TPipeTransferReq, client: string): Promise<TPipeTransferResp> {
    try {
      const request = decodePipeTransferReq(req);
      if (request.kind === 'handshake-v1' || request.kind === 'handshake-v2') {
        const precision = this.engine.config.timestampPrecision;
        if (request.timestampPrecision !== precision) {
          return {
            status: status(
              StatusCode.PIPE_HANDSHAKE_ERROR,
              `timestamp precision mismatch: the sender uses ${request.timestampPrecision}, this receiver ${precision}`,
            ),
          };
        }
        this.handshaken.add(client);
        return { status: status(StatusCode.SUCCESS_STATUS) };
      }
      if (!this.handshaken.has(client)) {
        return {
          status: status(StatusCode.PIPE_HANDSHAKE_ERROR, 'the sender must handshake before transferring data'),
        };
      }
      switch (request.kind) {
        case 'tablet-raw':
          await this.engine.write(request.tablet);
          return { status: status(StatusCode.SUCCESS_STATUS) };
        case 'tsfile-piece':
          return this.piece(request.fileName, request.startWritingOffset, request.bytes);
        case 'tsfile-seal':
          return await this.seal(request.fileName, request.fileLength);
        default:
          return {
            status: status(StatusCode.PIPE_TYPE_ERROR, `request type ${req.type} is not supported by this receiver`),
          };
      }
    } catch (error) {
      return { status: failure(error) };
    }
  }

  private piece(fileName: string, offset: number | bigint, bytes: Uint8Array): TPipeTransferResp {
    const path = join(this.stagingDir, stagedName(fileName));
    const have = existsSync(path) ? statSync(path).size : 0;
    const at = Number(offset);
    if (at !== have) {
      // The sender resumes where the staged copy ends.
      return encodeFilePieceResp(
        status(StatusCode.PIPE_TRANSFER_FILE_OFFSET_RESET, `expected offset ${have}, got ${at}`),
        BigInt(have),
      );
    }
    const fd = openSync(path, at === 0 ? 'w' : 'a');
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    } finally {
      closeSync(fd);
    }
    return encodeFilePieceResp(status(StatusCode.SUCCESS_STATUS), BigInt(at + bytes.length));
  }

  private async seal(fileName: string, fileLength: number | bigint): Promise<TPipeTransferResp> {
    const path = join(this.stagingDir, stagedName(fileName));
    const have = existsSync(path) ? statSync(path).size : -1;
    if (have !== Number(fileLength)) {
      return {
        status: status(
          StatusCode.PIPE_TRANSFER_FILE_ERROR,
          `file ${fileName} is sealed at ${fileLength} bytes but ${have < 0 ? 'no piece' : `${have} bytes`} arrived`,
        ),
      };
    }
    try {
      await this.engine.load(path);
    } finally {
      rmSync(path, { force: true });
    }
    return { status: status(StatusCode.SUCCESS_STATUS) };
  }
}
