import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, StatusCode } from '../../engine/errors.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import { LEGACY_SYNC_VERSION, majorVersion } from '../../protocol/legacy-sync/legacy-sync-format.js';
import { decodePipeData, type LegacyPipeData } from '../../protocol/legacy-sync/pipe-data-codec.js';
import { redirectMessage } from '../../protocol/legacy-sync/sync-messages.js';
import {
  i64ToBigInt,
  type TSStatus,
  type TSyncIdentityInfo,
  type TSyncTransportMetaInfo,
} from '../../protocol/rpc-types.js';
import { readIoTDBMods } from './iotdb-mods.js';
import {
  checkDeletion,
  checkFileWrite,
  LEGACY_ANONYMOUS_REFUSED,
  OPEN_RECEIVER,
  type ReceiverAuth,
} from './receiver-auth.js';
import { ReceiverCounters } from './receiver-counters.js';
import { onStagedFile, stagedLength, writePiece } from './staged-piece.js';

/**
 * A `sendFile` or `sendPipeData` on a connection that has not handshaken. IoTDB answers it
 * with a Thrift exception rather than a status (its senders then reconnect and handshake
 * again), and so does this node: the RPC layer turns the throw into one.
 */
export class SyncConnectionNotAlive extends Error {
  override readonly name = 'SyncConnectionNotAlive';
  constructor() {
    super('Thrift connection is not alive.');
  }
}

/** Who a connection said it is in its handshake, and where its file pieces are staged. */
interface SyncIdentity {
  readonly pipeName: string;
  readonly dir: string;
  /** The user its requests run as: its connection's session user, or the anonymous user. */
  readonly user: string;
}

/** Pieces are staged under the file's name with this suffix until their PipeData loads them. */
const PATCH_SUFFIX = '.patch';

/** Files an IoTDB 1.1 sender ships beside a TsFile: its deletions are applied, its resource is not needed. */
const MODS_SUFFIX = '.mods';
const RESOURCE_SUFFIX = '.resource';

function status(code: number, message = ''): TSStatus {
  return { code, message };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A name that is one path component: no separators, no `.`/`..`, no NUL, not too long for a file system. */
function isPlainName(name: string): boolean {
  return (
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !/[/\\\0]/.test(name) &&
    Buffer.byteLength(name) + PATCH_SUFFIX.length + MODS_SUFFIX.length <= 255
  );
}

/** The sender's address without its port, as a folder-name part (`::1` and IPv4-mapped forms included). */
function remoteHost(client: string): string {
  const colon = client.lastIndexOf(':');
  const host = colon < 0 ? client : client.slice(0, colon);
  return host.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * The receiving end of the pre-1.2 sync protocol (`handshake`, `sendFile`,
 * `sendPipeData`) on this node, as IoTDB's legacy receiver answers it:
 *
 * - `handshake` checks the pipe name and that the sender's version has the major version
 *   of this protocol (1.1, as IoTDB 1.1's receiver does), and remembers the sender for
 *   its connection;
 * - `sendFile` appends a piece to the staged copy of the file, kept per pipe (name,
 *   creation time, sender address) under `stagingDir`; a piece that does not start where
 *   the copy ends is answered with SYNC_FILE_REDIRECTION_ERROR naming that offset. The
 *   copy survives reconnections and restarts, so a sender resumes where it stopped;
 * - `sendPipeData` loads a staged TsFile through the engine (with the deletions of a
 *   staged IoTDB mods file beside it) or applies a deletion.
 *
 * Tablets do not come this way: legacy senders write them through a session. Bytes that
 * do not follow the format are answered with a status and never reach the engine.
 */
export class LegacyPipeReceiver {
  private readonly identities = new Map<string, SyncIdentity>();
  /** Files it loaded, for metrics (tablets of legacy senders arrive as ordinary writes). */
  readonly counters = new ReceiverCounters();

  constructor(
    private readonly engine: StorageEngine,
    private readonly stagingDir: string,
    private readonly log: (message: string) => void = () => {},
    private readonly auth: ReceiverAuth = OPEN_RECEIVER,
  ) {
    mkdirSync(stagingDir, { recursive: true });
  }

  /**
   * `sessionUser` is the user of a session opened on the same connection: the protocol has
   * no credentials of its own, so a sender that wants to be known logs in first.
   */
  handshake(info: TSyncIdentityInfo, client: string, sessionUser?: string): TSStatus {
    this.identities.delete(client);
    if (sessionUser === undefined && !this.auth.allowAnonymous) {
      return status(StatusCode.WRONG_LOGIN_PASSWORD, LEGACY_ANONYMOUS_REFUSED);
    }
    const user = sessionUser ?? this.auth.anonymousUser;
    const pipeName = info.pipeName ?? '';
    if (!isPlainName(pipeName)) {
      return status(StatusCode.ILLEGAL_PARAMETER, `illegal pipe name '${pipeName.slice(0, 80)}'`);
    }
    const version = info.version ?? '';
    const major = majorVersion(version);
    if (major === null || major !== majorVersion(LEGACY_SYNC_VERSION)) {
      return status(
        StatusCode.PIPESERVER_ERROR,
        `version mismatch: the sender <${version}>, the receiver <${LEGACY_SYNC_VERSION}>`,
      );
    }
    // A required field, but a hand-written client may leave it out.
    const createTime = info.createTime === null || info.createTime === undefined ? 0n : i64ToBigInt(info.createTime);
    const dir = join(this.stagingDir, `${pipeName}-${createTime}-${remoteHost(client)}`);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      return status(StatusCode.PIPESERVER_ERROR, `cannot stage files of pipe ${pipeName}: ${messageOf(error)}`);
    }
    this.identities.set(client, { pipeName, dir, user });
    this.log(`legacy sync: pipe ${pipeName} (version ${version}) handshaken from ${client}`);
    return status(StatusCode.SUCCESS_STATUS);
  }

  /** Forgets a connection's handshake; its staged pieces stay for a resumed transfer. */
  disconnected(client: string): void {
    this.identities.delete(client);
  }

  async sendFile(meta: TSyncTransportMetaInfo, piece: Buffer, client: string): Promise<TSStatus> {
    const identity = this.identityOf(client);
    const name = meta.fileName ?? '';
    if (!isPlainName(name)) return status(StatusCode.SYNC_FILE_ERROR, `illegal file name '${name.slice(0, 80)}'`);
    const startIndex = meta.startIndex === null || meta.startIndex === undefined ? -1n : i64ToBigInt(meta.startIndex);
    const path = join(identity.dir, name + PATCH_SUFFIX);
    return onStagedFile(path, async () => {
      try {
        const staged = stagedLength(path);
        if (startIndex !== BigInt(staged)) {
          // The sender continues from where the staged copy ends.
          return status(StatusCode.SYNC_FILE_REDIRECTION_ERROR, redirectMessage(staged));
        }
        await writePiece(path, staged, piece);
      } catch (error) {
        return status(StatusCode.SYNC_FILE_ERROR, `cannot store a piece of ${name}: ${messageOf(error)}`);
      }
      return status(StatusCode.SUCCESS_STATUS);
    });
  }

  async sendPipeData(bytes: Buffer, client: string): Promise<TSStatus> {
    const identity = this.identityOf(client);
    let data: LegacyPipeData;
    try {
      data = decodePipeData(bytes);
      if (data.kind === 'tsfile' && !isPlainName(data.fileName)) {
        throw new Error(`illegal file name '${data.fileName.slice(0, 80)}'`);
      }
    } catch (error) {
      return status(StatusCode.PIPESERVER_ERROR, `Pipe data transport error, ${messageOf(error)}`);
    }
    try {
      if (data.kind === 'tsfile') {
        await this.loadStaged(identity, data.fileName);
      } else {
        checkDeletion(this.auth, identity.user, [data.path]);
        await this.engine.delete(data.path, data.start, data.end);
      }
    } catch (error) {
      if (error instanceof EngineError && error.code === StatusCode.NO_PERMISSION) {
        return status(error.code, error.message);
      }
      return status(StatusCode.PIPESERVER_ERROR, `Fail to load pipeData because ${messageOf(error)}`);
    }
    return status(StatusCode.SUCCESS_STATUS);
  }

  private identityOf(client: string): SyncIdentity {
    const identity = this.identities.get(client);
    if (identity === undefined) throw new SyncConnectionNotAlive();
    return identity;
  }

  /** Loads the staged copy of `name` (and applies a staged mods file of it), then drops what was staged for it. */
  private async loadStaged(identity: SyncIdentity, name: string): Promise<void> {
    const staged = (suffix: string) => join(identity.dir, name + suffix + PATCH_SUFFIX);
    const file = staged('');
    if (!existsSync(file)) throw new EngineError(StatusCode.LOAD_FILE_ERROR, `no piece of ${name} has arrived`);
    try {
      const mods = staged(MODS_SUFFIX);
      checkFileWrite(this.auth, identity.user, this.engine, file);
      const deletions = existsSync(mods) ? readIoTDBMods(readFileSync(mods, 'utf8')) : [];
      await this.engine.load(file, { deletions, move: true });
      this.counters.filesLoaded++;
    } finally {
      for (const suffix of ['', MODS_SUFFIX, RESOURCE_SUFFIX]) rmSync(staged(suffix), { force: true });
    }
  }
}
