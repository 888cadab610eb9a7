import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pointsOf } from '../../engine/engine-counters.js';
import { EngineError, StatusCode } from '../../engine/errors.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import { PayloadError } from '../../protocol/payload-error.js';
import { HandshakeKey } from '../../protocol/pipe/pipe-request-type.js';
import {
  decodePipeTransferReq,
  encodeFilePieceResp,
  encodeHandshakeResp,
  type PipeRequest,
  type SealedFile,
} from '../../protocol/pipe/pipe-requests.js';
import type { TPipeTransferReq, TPipeTransferResp, TSStatus } from '../../protocol/rpc-types.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { applyAuthorPlan } from '../auth/apply-author-plan.js';
import type { AuthApplier } from '../auth/auth-sync.js';
import { applyConfigPlan } from './apply-config-plan.js';
import type { ApplyProbe } from './apply-probe.js';
import { applySchemaPlan } from './apply-schema-plan.js';
import { tabletsOfFile } from './converted-load.js';
import { readIoTDBMods } from './iotdb-mods.js';
import {
  ANONYMOUS_REFUSED,
  checkDeletion,
  checkFileWrite,
  checkSchemaWrite,
  checkSeriesWrite,
  OPEN_RECEIVER,
  type ReceiverAuth,
} from './receiver-auth.js';
import { ReceiverCounters } from './receiver-counters.js';
import { onStagedFile, stagedLength, writePiece } from './staged-piece.js';
import { convertTablet } from './type-conversion.js';
import { type RefusedColumn, typeConflictStatus, withoutMismatches } from './type-mismatch.js';

function status(code: number, message = ''): TSStatus {
  return { code, message };
}

/** Engine codes IoTDB's receiver answers as "temporarily unavailable" (its senders retry them for ever). */
const TEMPORARY_CODES: ReadonlySet<number> = new Set([
  StatusCode.SYSTEM_READ_ONLY,
  StatusCode.WRITE_PROCESS_REJECT,
  StatusCode.DISK_SPACE_INSUFFICIENT,
]);

/**
 * The status a failure is answered with: IoTDB's code where the error carries one, in the
 * classes IoTDB's receiver answers so that its senders (and ours) know what to do: a full,
 * read-only or busy node is temporarily unavailable (1808), a type mismatch is a conflict
 * (1810); the message is the engine's.
 */
function failure(error: unknown): TSStatus {
  if (error instanceof EngineError) {
    if (TEMPORARY_CODES.has(error.code)) {
      return status(StatusCode.PIPE_RECEIVER_TEMPORARY_UNAVAILABLE_EXCEPTION, error.message);
    }
    if (error.code === StatusCode.DATA_TYPE_MISMATCH) {
      return status(StatusCode.PIPE_RECEIVER_USER_CONFLICT_EXCEPTION, error.message);
    }
    return status(error.code, error.message);
  }
  if (error instanceof PayloadError) return status(error.statusCode, error.message);
  return status(StatusCode.PIPE_ERROR, error instanceof Error ? error.message : String(error));
}

/** Success, or the conflict of the columns left unwritten for their types. */
function written(refused: readonly RefusedColumn[]): TPipeTransferResp {
  return { status: refused.length === 0 ? status(StatusCode.SUCCESS_STATUS) : typeConflictStatus(refused) };
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
  /**
   * Connections that shook hands: the user their requests run as, and the origin of the
   * data they send: the node where it was first written, from the v2 handshake ('' when
   * the sender did not say, as in v1).
   */
  private readonly handshaken = new Map<
    string,
    { readonly user: string; readonly origin: string; readonly convert: boolean }
  >();
  /** What it applied, for metrics. */
  readonly counters = new ReceiverCounters();

  constructor(
    private readonly engine: StorageEngine,
    private readonly stagingDir: string,
    private readonly auth: ReceiverAuth = OPEN_RECEIVER,
    /** Stamps each applied tablet (`pipe_receiver_apply_probe_file`), for lag measurements. */
    private readonly probe: ApplyProbe | null = null,
    /** Applies received user plans (auth sync); null: they are refused. */
    private readonly users: AuthApplier | null = null,
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
        const origin =
          request.kind === 'handshake-v2'
            ? (request.params.get(HandshakeKey.ORIGIN_CLUSTER_ID) ?? request.clusterId ?? '')
            : '';
        const self = this.engine.nodeId;
        if (request.kind === 'handshake-v2' && (request.clusterId === self || origin === self)) {
          return {
            status: status(
              StatusCode.PIPE_HANDSHAKE_ERROR,
              `Receiver and sender are from the same cluster ${request.clusterId === self ? request.clusterId : `${origin} (the data's origin)`}.`,
            ),
          };
        }
        const user = await this.login(request);
        if (typeof user !== 'string') return { status: user };
        // IoTDB's receiver converts unless the sender's handshake says not to.
        const convert =
          request.kind !== 'handshake-v2' ||
          request.params.get(HandshakeKey.CONVERT_ON_TYPE_MISMATCH)?.toLowerCase() !== 'false';
        this.handshaken.set(client, { user, origin, convert });
        return encodeHandshakeResp(status(StatusCode.SUCCESS_STATUS), self);
      }
      const connection = this.handshaken.get(client);
      if (connection === undefined) {
        return {
          status: status(StatusCode.PIPE_HANDSHAKE_ERROR, 'the sender must handshake before transferring data'),
        };
      }
      const { user, origin, convert } = connection;
      switch (request.kind) {
        case 'tablet-raw':
        case 'tablet-batch':
        case 'tablet-insert-node':
        case 'tablet-binary': {
          const tablets = request.kind === 'tablet-raw' ? [request.tablet] : request.tablets;
          checkSeriesWrite(this.auth, user, this.engine, tablets);
          // In the order the sender put them; a retried request rewrites the same points.
          const refused = await this.apply(tablets, origin, convert);
          this.applied(tablets, refused);
          return written(refused);
        }
        case 'delete-data':
          checkDeletion(this.auth, user, request.paths);
          for (const path of request.paths) await this.engine.delete(path, request.start, request.end, { origin });
          return { status: status(StatusCode.SUCCESS_STATUS) };
        case 'schema-plan': {
          const { plan } = request;
          checkSchemaWrite(
            this.auth,
            user,
            plan.kind === 'delete-timeseries'
              ? plan.patterns
              : (plan.kind === 'create-timeseries' ? [plan.series] : plan.series).map(
                  (s) => `${plan.device}.${s.measurement}`,
                ),
          );
          await applySchemaPlan(this.engine, plan, origin);
          return { status: status(StatusCode.SUCCESS_STATUS) };
        }
        case 'config-plan':
          await applyConfigPlan(request.plan, { engine: this.engine, auth: this.auth, user, origin });
          return { status: status(StatusCode.SUCCESS_STATUS) };
        case 'tsfile-piece':
        case 'tsfile-piece-with-mod':
          return await this.piece(request.fileName, request.startWritingOffset, request.bytes);
        case 'tsfile-seal':
          return await this.seal(connection, [{ fileName: request.fileName, fileLength: request.fileLength }]);
        case 'tsfile-seal-with-mod':
          return await this.seal(connection, request.files);
        case 'author-plan':
          await applyAuthorPlan(this.users, request.plan, user);
          return { status: status(StatusCode.SUCCESS_STATUS) };
        default:
          return {
            status: status(StatusCode.PIPE_TYPE_ERROR, `request type ${req.type} is not supported by this receiver`),
          };
      }
    } catch (error) {
      return { status: failure(error) };
    }
  }

  private applied(tablets: readonly Tablet[], refused: readonly RefusedColumn[]): void {
    this.counters.requests++;
    for (const t of tablets) this.counters.points += pointsOf(t);
    for (const r of refused) this.counters.points -= r.points;
  }

  /**
   * The user a handshake logs in as, or the refusal: IoTDB 1.3.3+ senders send a user and
   * password (checked once, here); a sender that sends none is served as the anonymous
   * user only where the node allows it.
   */
  private async login(request: PipeRequest & { kind: 'handshake-v1' | 'handshake-v2' }): Promise<string | TSStatus> {
    const params = request.kind === 'handshake-v2' ? request.params : new Map<string, string>();
    const user = params.get(HandshakeKey.USERNAME);
    if (user === undefined) {
      return this.auth.allowAnonymous
        ? this.auth.anonymousUser
        : status(StatusCode.WRONG_LOGIN_PASSWORD, ANONYMOUS_REFUSED);
    }
    const refused = await this.auth.login(user, params.get(HandshakeKey.PASSWORD) ?? '');
    return refused === null ? user : status(refused.code, refused.message);
  }

  /**
   * Writes tablets in order, sharing one WAL commit. Columns of series typed otherwise here
   * are converted to their type (`convert`), or else left out and returned, the rest
   * written (IoTDB's partial insert).
   */
  private async apply(tablets: readonly Tablet[], origin: string, convert: boolean): Promise<readonly RefusedColumn[]> {
    if (convert) {
      await this.engine.writeAll(tablets, { origin, adapt: (t) => this.converted(t) });
      this.probe?.record(tablets);
      return [];
    }
    const refused: RefusedColumn[] = [];
    const kept: Tablet[] = [];
    for (const sent of tablets) {
      const series = this.engine.schema.device(sent.device)?.measurements;
      const split =
        series === undefined ? { tablet: sent, refused: [] } : withoutMismatches(sent, (m) => series.get(m)?.dataType);
      refused.push(...split.refused);
      if (split.tablet !== null) kept.push(split.tablet);
    }
    if (kept.length > 0) {
      await this.engine.writeAll(kept, { origin });
      this.probe?.record(kept);
    }
    return refused;
  }

  /** The tablet with the columns of series typed otherwise here converted to their type. */
  private converted(sent: Tablet): Tablet {
    const series = this.engine.schema.device(sent.device)?.measurements;
    return series === undefined ? sent : convertTablet(sent, (m) => series.get(m)?.dataType);
  }

  private async piece(fileName: string, offset: number | bigint, bytes: Uint8Array): Promise<TPipeTransferResp> {
    const path = join(this.stagingDir, stagedName(fileName));
    return onStagedFile(path, async () => {
      const have = stagedLength(path);
      const at = Number(offset);
      if (at !== have) {
        // The sender resumes where the staged copy ends.
        return encodeFilePieceResp(
          status(StatusCode.PIPE_TRANSFER_FILE_OFFSET_RESET, `expected offset ${have}, got ${at}`),
          BigInt(have),
        );
      }
      await writePiece(path, at, bytes);
      return encodeFilePieceResp(status(StatusCode.SUCCESS_STATUS), BigInt(at + bytes.length));
    });
  }

  /**
   * Loads a sealed file: `files` is the TsFile alone, or IoTDB's mods file and then the
   * TsFile, whose deletions are applied to that file's points.
   */
  private async seal(
    { user, origin, convert }: { readonly user: string; readonly origin: string; readonly convert: boolean },
    files: readonly SealedFile[],
  ): Promise<TPipeTransferResp> {
    if (files.length < 1 || files.length > 2) {
      return { status: status(StatusCode.ILLEGAL_PARAMETER, `a seal names 1 or 2 files, not ${files.length}`) };
    }
    const paths = files.map((f) => join(this.stagingDir, stagedName(f.fileName)));
    return onStagedFile(paths.at(-1)!, async () => {
      for (let i = 0; i < files.length; i++) {
        const have = existsSync(paths[i]!) ? statSync(paths[i]!).size : -1;
        const { fileName, fileLength } = files[i]!;
        if (have !== Number(fileLength)) {
          return {
            status: status(
              StatusCode.PIPE_TRANSFER_FILE_ERROR,
              `file ${fileName} is sealed at ${fileLength} bytes but ${have < 0 ? 'no piece' : `${have} bytes`} arrived`,
            ),
          };
        }
      }
      const refused: RefusedColumn[] = [];
      try {
        checkFileWrite(this.auth, user, this.engine, paths.at(-1)!);
        const deletions = files.length === 2 ? readIoTDBMods(readFileSync(paths[0]!, 'utf8')) : [];
        try {
          await this.engine.load(paths.at(-1)!, { deletions, move: true, origin });
        } catch (error) {
          if (!(error instanceof EngineError) || error.code !== StatusCode.DATA_TYPE_MISMATCH) throw error;
          // Series typed otherwise here: the file's points go as tablets instead, converted,
          // or (not converting) those series' points are left out and the rest written.
          for (const tablet of tabletsOfFile(paths.at(-1)!, deletions)) {
            refused.push(...(await this.apply([tablet], origin, convert)));
          }
        }
        this.counters.filesLoaded++;
      } finally {
        for (const path of paths) rmSync(path, { force: true });
      }
      return written(refused);
    });
  }
}
