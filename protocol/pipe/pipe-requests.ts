// Spec: protocol/FORMAT.md, section "Pipe transfer".
//
//   TPipeTransferReq := version:i8 (1)  type:i16  body:binary
//   handshake v1             (1)  := timestampPrecision:string
//   handshake v2             (51) := map
//   tablet insert node       (2)  := insertNode                            (plan form)
//   tablet raw               (3)  := tablet isAligned:u8
//   tablet batch             (6)  := count:int32be binary{count}          (WAL entries)
//                                    count:int32be insertNode{count}
//                                    count:int32be (tablet isAligned:u8){count}
//   tablet binary            (7)  := walEntry
//   TsFile piece (with mod)  (4, 8) := fileName:string startWritingOffset:int64be piece:binary
//   TsFile seal              (5)  := fileName:string fileLength:int64be
//   TsFile seal with mod     (9)  := count:int32be fileName:string{count}
//                                    count:int32be fileLength:int64be{count}  map
//   schema plan              (100) := planNode         (deleteData, createTimeSeries, createAligned..., deleteTimeSeries)
//   config plan              (200) := configPlan                           (config-plan/)
//   compressed               (300) := see pipe-compressed-req.ts           (any request above)
//   map := count:int32be (key:string value:string){count}
// `tablet` is in pipe-tablet-codec.ts; string, binary and map in pipe-bytes.ts; insertNode,
// walEntry and planNode in plan-node/.

import { ByteReader, CorruptDataError } from '../../tsfile/io/byte-reader.js';
import { ByteWriter } from '../../tsfile/io/byte-writer.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { PayloadError } from '../payload-error.js';
import type { TPipeTransferReq } from '../rpc-types.js';
import { type AuthorPlan, isAuthorPlanType, readAuthorPlanBody } from './config-plan/author-plan.js';
import { CONFIG_PLAN_TYPES_READ, type ConfigPlan, readConfigPlan, writeConfigPlan } from './config-plan/config-plan.js';
import { describeConfigPlanType } from './config-plan/config-plan-type.js';
import { javaHashMapOrder } from './java-hash-map-order.js';
import {
  readBinaryView,
  readCount,
  readFlag,
  readInt64,
  readString,
  readStringMap,
  writeBinary,
  writeString,
  writeStringMap,
} from './pipe-bytes.js';
import { decodeCompressedBody } from './pipe-compressed-req.js';
import {
  HandshakeKey,
  PIPE_REQUEST_VERSION,
  PipeRequestType,
  PipeStatusCode,
  pipeRequestTypeName,
} from './pipe-request-type.js';
import { readPipeTablet, writePipeTablet } from './pipe-tablet-codec.js';
import { readDeleteDataNode, writeDeleteDataNode } from './plan-node/delete-data-node.js';
import { type InsertNodeTablets, readInsertNode, readWalInsertEntry } from './plan-node/insert-node.js';
import { readInt16, readItemReader } from './plan-node/plan-node-bytes.js';
import { describePlanNodeType, PlanNodeType } from './plan-node/plan-node-format.js';
import {
  readSchemaPlanNode,
  SCHEMA_PLAN_NODE_TYPES,
  type SchemaPlan,
  writeSchemaPlanNode,
} from './plan-node/schema-plan.js';

export { PIPE_REQUEST_VERSION, PipeRequestType } from './pipe-request-type.js';
export {
  decodeFilePieceResp,
  decodeHandshakeResp,
  encodeFilePieceResp,
  encodeHandshakeResp,
} from './pipe-responses.js';

/** A request in a version other than 1: IoTDB answers PIPE_VERSION_ERROR. */
export class PipeVersionError extends PayloadError {
  override readonly name: string = 'PipeVersionError';
  override readonly statusCode: number = PipeStatusCode.PIPE_VERSION_ERROR;
}

/** A type code IoTDB 1.3 does not define: IoTDB answers PIPE_TYPE_ERROR. */
export class PipeTypeError extends PayloadError {
  override readonly name: string = 'PipeTypeError';
  override readonly statusCode: number = PipeStatusCode.PIPE_TYPE_ERROR;
}

/** One file of a seal-with-mod request. */
export interface SealedFile {
  readonly fileName: string;
  readonly fileLength: bigint;
}

/** A decoded pipeTransfer request. Only a file piece's bytes share memory with the request body. */
export type PipeRequest =
  | { readonly kind: 'handshake-v1'; readonly timestampPrecision: string }
  | {
      readonly kind: 'handshake-v2';
      /** The `timestampPrecision` parameter, '' when the sender left it out. */
      readonly timestampPrecision: string;
      /** The `clusterID` parameter, when sent. */
      readonly clusterId: string | undefined;
      readonly params: ReadonlyMap<string, string>;
    }
  | { readonly kind: 'tablet-raw'; readonly tablet: Tablet }
  | {
      /** An insert node (type 2); a row node gives 1-row tablets. Apply in order. */
      readonly kind: 'tablet-insert-node';
      readonly tablets: readonly Tablet[];
    }
  | {
      /** A write-ahead-log entry of an insert (type 7). Apply in order. */
      readonly kind: 'tablet-binary';
      readonly tablets: readonly Tablet[];
    }
  | {
      /**
       * Every tablet of a batch (type 6) in the order IoTDB 1.3's receiver applies them:
       * first the row inserts (of the binary items, then of the insert nodes), then the
       * tablet inserts (of the binary items, the insert nodes, the raw tablets).
       */
      readonly kind: 'tablet-batch';
      readonly tablets: readonly Tablet[];
    }
  | {
      /** A DeleteDataNode (in a type 100 body): delete start <= time <= end of the matched series. */
      readonly kind: 'delete-data';
      readonly paths: readonly string[];
      readonly start: bigint;
      readonly end: bigint;
    }
  | {
      /** A schema-region plan node (in a type 100 body): create or drop time series. */
      readonly kind: 'schema-plan';
      readonly plan: SchemaPlan;
    }
  | {
      /** A config-node plan (type 200): databases (and what else config-plan/ reads). */
      readonly kind: 'config-plan';
      readonly plan: ConfigPlan;
    }
  | {
      readonly kind: 'tsfile-piece' | 'tsfile-piece-with-mod';
      readonly fileName: string;
      readonly startWritingOffset: bigint;
      readonly bytes: Uint8Array;
    }
  | { readonly kind: 'tsfile-seal'; readonly fileName: string; readonly fileLength: bigint }
  | {
      readonly kind: 'tsfile-seal-with-mod';
      /** The mods file first when there is one; the TsFile last. */
      readonly files: readonly SealedFile[];
      readonly params: ReadonlyMap<string, string>;
    }
  | {
      /** A config plan (type 200) that changes users: an IoTDB AuthorPlan. */
      readonly kind: 'author-plan';
      readonly plan: AuthorPlan;
    }
  | {
      /** A request IoTDB defines that this codec does not read; answer PIPE_TYPE_ERROR. */
      readonly kind: 'unsupported';
      readonly type: number;
      readonly reason: string;
    };

export type PipeRequestKind = PipeRequest['kind'];

// ---------------------------------------------------------------- encoders

function request(type: PipeRequestType, fill: (out: ByteWriter) => void): TPipeTransferReq {
  const out = new ByteWriter(256);
  fill(out);
  return { version: PIPE_REQUEST_VERSION, type, body: out.toBuffer() };
}

export function encodeHandshakeV1(timestampPrecision: string): TPipeTransferReq {
  return request(PipeRequestType.HANDSHAKE_DATANODE_V1, (out) => writeString(out, timestampPrecision));
}

/** Parameters in insertion order; IoTDB data nodes send `timestampPrecision` and `clusterID`. */
export function encodeHandshakeV2(
  params: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): TPipeTransferReq {
  const map = params instanceof Map ? params : new Map(Object.entries(params));
  return request(PipeRequestType.HANDSHAKE_DATANODE_V2, (out) => writeStringMap(out, map));
}

/** What an IoTDB 1.3.3+ data node's sink says about itself in its handshake. */
export interface SenderHandshake {
  readonly clusterId: string;
  readonly timestampPrecision: string;
  readonly username: string;
  readonly password: string;
  /** `sink.exception.data.convert-on-type-mismatch`; IoTDB's default true. */
  readonly convertOnTypeMismatch?: boolean;
  /** `sink.load-tsfile-strategy`; IoTDB's default `sync`. */
  readonly loadTsFileStrategy?: string;
}

/**
 * The handshake v2 of an IoTDB 1.3.3+ data-node sink, byte for byte: the sender puts the
 * cluster id, precision, type-mismatch flag, load strategy, user name and password into a
 * Java HashMap, so they go out in that map's iteration order. `extra` entries (keys of our
 * own, which IoTDB receivers ignore) go into the same map after them.
 */
export function encodeSenderHandshake(
  sender: SenderHandshake,
  extra: readonly (readonly [string, string])[] = [],
): TPipeTransferReq {
  return encodeHandshakeV2(
    javaHashMapOrder([
      [HandshakeKey.CLUSTER_ID, sender.clusterId],
      [HandshakeKey.TIMESTAMP_PRECISION, sender.timestampPrecision],
      [HandshakeKey.CONVERT_ON_TYPE_MISMATCH, String(sender.convertOnTypeMismatch ?? true)],
      [HandshakeKey.LOAD_TSFILE_STRATEGY, sender.loadTsFileStrategy ?? 'sync'],
      [HandshakeKey.USERNAME, sender.username],
      [HandshakeKey.PASSWORD, sender.password],
      ...extra,
    ]),
  );
}

export function encodeTabletRaw(tablet: Tablet): TPipeTransferReq {
  return request(PipeRequestType.TRANSFER_TABLET_RAW, (out) => {
    writePipeTablet(out, tablet);
    out.writeBool(tablet.aligned);
  });
}

/**
 * A batch of tablets. `binaries` are write-ahead-log entries (type 7 bodies) passed through
 * as they are; the batch carries no insert nodes.
 */
export function encodeTabletBatch(tablets: readonly Tablet[], binaries: readonly Uint8Array[] = []): TPipeTransferReq {
  return request(PipeRequestType.TRANSFER_TABLET_BATCH, (out) => {
    out.writeInt32(binaries.length);
    for (const binary of binaries) writeBinary(out, binary);
    out.writeInt32(0);
    out.writeInt32(tablets.length);
    for (const tablet of tablets) {
      writePipeTablet(out, tablet);
      out.writeBool(tablet.aligned);
    }
  });
}

/**
 * A deletion as IoTDB 1.3 data-region pipes send it: a DeleteDataNode in a
 * TRANSFER_SCHEMA_PLAN body. `paths` are full paths or patterns as IoTDB prints them.
 */
export function encodeDeleteData(paths: readonly string[], start: bigint, end: bigint): TPipeTransferReq {
  return request(PipeRequestType.TRANSFER_SCHEMA_PLAN, (out) => writeDeleteDataNode(out, { paths, start, end }));
}

/** A time-series plan as IoTDB 1.3 schema-region pipes send it: a plan node in a TRANSFER_SCHEMA_PLAN body. */
export function encodeSchemaPlan(plan: SchemaPlan): TPipeTransferReq {
  return request(PipeRequestType.TRANSFER_SCHEMA_PLAN, (out) => writeSchemaPlanNode(out, plan));
}

/** A config-node plan (databases, users) as IoTDB 1.3 config-region pipes send it: TRANSFER_CONFIG_PLAN. */
export function encodeConfigPlan(plan: ConfigPlan): TPipeTransferReq {
  return request(PipeRequestType.TRANSFER_CONFIG_PLAN, (out) => writeConfigPlan(out, plan));
}

export function encodeTsFilePiece(
  fileName: string,
  startWritingOffset: number | bigint,
  bytes: Uint8Array,
): TPipeTransferReq {
  return encodeFilePiece(
    PipeRequestType.TRANSFER_TS_FILE_PIECE,
    fileName,
    startWritingOffset,
    bytes.length,
    copying(bytes),
  );
}

/** The body size of a file piece of `length` bytes. */
export function filePieceBodyBytes(fileName: string, length: number): number {
  return 4 + Buffer.byteLength(fileName, 'utf8') + 8 + 4 + length;
}

/** A piece of a TsFile or of its mods file, sent ahead of a seal with mod. */
export function encodeTsFilePieceWithMod(
  fileName: string,
  startWritingOffset: number | bigint,
  bytes: Uint8Array,
): TPipeTransferReq {
  const type = PipeRequestType.TRANSFER_TS_FILE_PIECE_WITH_MOD;
  return encodeFilePiece(type, fileName, startWritingOffset, bytes.length, copying(bytes));
}

/** A piece filler that copies `bytes`. */
function copying(bytes: Uint8Array): (into: Buffer) => number {
  return (into) => {
    into.set(bytes);
    return bytes.length;
  };
}

/**
 * A file piece (`fileName:string startWritingOffset:int64 piece:binary`) of at most
 * `length` bytes that `fill` puts straight into the request body (reading a file into it,
 * say) and whose count it returns: the piece is not copied again. The body is `into` when
 * it is given and large enough (see `filePieceBodyBytes`).
 */
export function encodeFilePiece(
  type: typeof PipeRequestType.TRANSFER_TS_FILE_PIECE | typeof PipeRequestType.TRANSFER_TS_FILE_PIECE_WITH_MOD,
  fileName: string,
  startWritingOffset: number | bigint,
  length: number,
  fill: (into: Buffer) => number,
  into?: Buffer,
): TPipeTransferReq {
  const bytes = filePieceBodyBytes(fileName, length);
  const body = into !== undefined && into.length >= bytes ? into : Buffer.allocUnsafe(bytes);
  const pieceAt = bytes - length;
  const nameBytes = body.write(fileName, 4, 'utf8');
  body.writeInt32BE(nameBytes, 0);
  body.writeBigInt64BE(BigInt(startWritingOffset), 4 + nameBytes);
  const n = fill(body.subarray(pieceAt, pieceAt + length));
  body.writeInt32BE(n, pieceAt - 4);
  return { version: PIPE_REQUEST_VERSION, type, body: body.subarray(0, pieceAt + n) };
}

export function encodeTsFileSeal(fileName: string, fileLength: number | bigint): TPipeTransferReq {
  return request(PipeRequestType.TRANSFER_TS_FILE_SEAL, (out) => {
    writeString(out, fileName);
    out.writeBigInt64(BigInt(fileLength));
  });
}

/** Seals a TsFile with its mods file: list the mods file first, the TsFile last. */
export function encodeTsFileSealWithMod(
  files: readonly { readonly fileName: string; readonly fileLength: number | bigint }[],
  params: ReadonlyMap<string, string> = new Map(),
): TPipeTransferReq {
  return request(PipeRequestType.TRANSFER_TS_FILE_SEAL_WITH_MOD, (out) => {
    out.writeInt32(files.length);
    for (const file of files) writeString(out, file.fileName);
    out.writeInt32(files.length);
    for (const file of files) out.writeBigInt64(BigInt(file.fileLength));
    writeStringMap(out, params);
  });
}

// ---------------------------------------------------------------- decoder

/**
 * Reads a pipeTransfer request. A version other than 1 is a PipeVersionError (1800), a
 * type code IoTDB does not define a PipeTypeError (1801), and a body that does not follow
 * its layout (lengths past the end, bad codes or flags, bytes left over) a PayloadError
 * (303). Requests IoTDB defines but this codec does not read come back as `unsupported`;
 * a schema plan (100) holding a plan node other than DeleteDataNode is a PipeTypeError
 * naming the node.
 */
export function decodePipeTransferReq(req: TPipeTransferReq): PipeRequest {
  if (req.version !== PIPE_REQUEST_VERSION) {
    throw new PipeVersionError(
      `pipe request version ${req.version} is not supported; this receiver reads version ${PIPE_REQUEST_VERSION}`,
    );
  }
  const name = pipeRequestTypeName(req.type);
  if (name === undefined) throw new PipeTypeError(`pipe request type ${req.type} is unknown`);
  if (req.type === PipeRequestType.TRANSFER_COMPRESSED) return decodeCompressed(req.body ?? EMPTY);
  const r = ByteReader.of(req.body ?? EMPTY);
  try {
    const decoded = decodeBody(req.type as PipeRequestType, r);
    if (decoded.kind !== 'unsupported' && r.remaining !== 0) {
      throw new PayloadError(`${r.remaining} bytes after the body`);
    }
    return decoded;
  } catch (error) {
    if (error instanceof PipeTypeError) throw new PipeTypeError(`pipe request ${name} (${req.type}): ${error.message}`);
    if (error instanceof PayloadError || error instanceof CorruptDataError) {
      throw new PayloadError(`pipe request ${name} (${req.type}): ${error.message}`);
    }
    throw error;
  }
}

const EMPTY = Buffer.alloc(0);

/** The request a compressed request wraps, decoded; a compressed request inside one is refused. */
function decodeCompressed(body: Buffer): PipeRequest {
  const where = `pipe request TRANSFER_COMPRESSED (${PipeRequestType.TRANSFER_COMPRESSED})`;
  let inner: TPipeTransferReq;
  try {
    inner = decodeCompressedBody(body);
  } catch (error) {
    if (error instanceof PayloadError) throw new PayloadError(`${where}: ${error.message}`);
    throw error;
  }
  if (inner.type === PipeRequestType.TRANSFER_COMPRESSED) {
    throw new PayloadError(`${where}: it wraps another compressed request; list the compressors in one`);
  }
  return decodePipeTransferReq(inner);
}

function decodeBody(type: PipeRequestType, r: ByteReader): PipeRequest {
  switch (type) {
    case PipeRequestType.HANDSHAKE_DATANODE_V1:
      return { kind: 'handshake-v1', timestampPrecision: readString(r, 'timestamp precision') };
    case PipeRequestType.HANDSHAKE_DATANODE_V2: {
      const params = readStringMap(r, 'handshake parameters');
      return {
        kind: 'handshake-v2',
        timestampPrecision: params.get(HandshakeKey.TIMESTAMP_PRECISION) ?? '',
        clusterId: params.get(HandshakeKey.CLUSTER_ID),
        params,
      };
    }
    case PipeRequestType.TRANSFER_TABLET_RAW:
      return { kind: 'tablet-raw', tablet: readAlignedTablet(r) };
    case PipeRequestType.TRANSFER_TABLET_INSERT_NODE:
      return { kind: 'tablet-insert-node', tablets: readInsertNode(r).tablets };
    case PipeRequestType.TRANSFER_TABLET_BINARY:
      return { kind: 'tablet-binary', tablets: readWalInsertEntry(r).tablets };
    case PipeRequestType.TRANSFER_TABLET_BATCH:
      return decodeBatch(r);
    case PipeRequestType.TRANSFER_SCHEMA_PLAN:
      return decodeSchemaPlan(r);
    case PipeRequestType.TRANSFER_CONFIG_PLAN:
      return decodeConfigPlan(r);
    case PipeRequestType.TRANSFER_TS_FILE_PIECE:
    case PipeRequestType.TRANSFER_TS_FILE_PIECE_WITH_MOD:
      return {
        kind: type === PipeRequestType.TRANSFER_TS_FILE_PIECE ? 'tsfile-piece' : 'tsfile-piece-with-mod',
        fileName: readString(r, 'file name'),
        startWritingOffset: readInt64(r, 'start writing offset'),
        // A view of the body, not a copy: the receiver writes it out at once.
        bytes: asUint8Array(readBinaryView(r, 'file piece')),
      };
    case PipeRequestType.TRANSFER_TS_FILE_SEAL:
      return { kind: 'tsfile-seal', fileName: readString(r, 'file name'), fileLength: readInt64(r, 'file length') };
    case PipeRequestType.TRANSFER_TS_FILE_SEAL_WITH_MOD:
      return decodeSealWithMod(r);
    default:
      return {
        kind: 'unsupported',
        type,
        reason: `pipe request ${pipeRequestTypeName(type)} (${type}) is not read by this receiver`,
      };
  }
}

function readAlignedTablet(r: ByteReader): Tablet {
  const tablet = readPipeTablet(r);
  return { ...tablet, aligned: readFlag(r, `tablet of ${tablet.device}: isAligned`) };
}

function decodeBatch(r: ByteReader): PipeRequest {
  const decoded: InsertNodeTablets[] = [];
  const binaryCount = readCount(r, 'binary tablet count', 4);
  for (let i = 0; i < binaryCount; i++) {
    const item = readItemReader(r, `binary tablet ${i}`);
    decoded.push(withContext(`binary tablet ${i}`, () => readWalInsertEntry(item)));
    if (item.remaining !== 0) throw new PayloadError(`binary tablet ${i}: ${item.remaining} bytes after the entry`);
  }
  // Insert nodes carry no length prefix: each ends where its trailer ends.
  const insertNodeCount = readCount(r, 'insert node count', 2 + 8);
  for (let i = 0; i < insertNodeCount; i++) decoded.push(withContext(`insert node ${i}`, () => readInsertNode(r)));
  const tabletCount = readCount(r, 'tablet count', 4 + 4 + 5);
  const rawTablets: Tablet[] = [];
  for (let i = 0; i < tabletCount; i++) rawTablets.push(readAlignedTablet(r));

  const tablets: Tablet[] = [];
  for (const node of decoded) if (node.fromRows) for (const tablet of node.tablets) tablets.push(tablet);
  for (const node of decoded) if (!node.fromRows) for (const tablet of node.tablets) tablets.push(tablet);
  for (const tablet of rawTablets) tablets.push(tablet);
  return { kind: 'tablet-batch', tablets };
}

/** Runs `read`, prefixing the message of a PayloadError it throws with `where`. */
function withContext<T>(where: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof PayloadError || error instanceof CorruptDataError) {
      throw new PayloadError(`${where}: ${error.message}`);
    }
    throw error;
  }
}

/** A plan node: a DeleteDataNode or a time-series plan; any other is a PipeTypeError naming it. */
function decodeSchemaPlan(r: ByteReader): PipeRequest {
  const code = readInt16(r, 'plan node type');
  if (code === PlanNodeType.DELETE_DATA) return { kind: 'delete-data', ...readDeleteDataNode(r) };
  if (SCHEMA_PLAN_NODE_TYPES.includes(code)) return { kind: 'schema-plan', plan: readSchemaPlanNode(code, r) };
  const read = [PlanNodeType.DELETE_DATA, ...SCHEMA_PLAN_NODE_TYPES].map(describePlanNodeType).join(', ');
  throw new PipeTypeError(
    `plan node ${describePlanNodeType(code)} is not supported; this receiver applies only ${read}`,
  );
}

/**
 * A config plan: user plans (author-plan) and the plans config-plan/ reads (databases);
 * any other is a PipeTypeError naming its type.
 */
function decodeConfigPlan(r: ByteReader): PipeRequest {
  const code = readInt16(r, 'config plan type');
  if (isAuthorPlanType(code)) return { kind: 'author-plan', plan: readAuthorPlanBody(code, r) };
  if (CONFIG_PLAN_TYPES_READ.has(code)) return { kind: 'config-plan', plan: readConfigPlan(code, r) };
  const read = [...CONFIG_PLAN_TYPES_READ].map(describeConfigPlanType).join(', ');
  throw new PipeTypeError(
    `config plan ${describeConfigPlanType(code)} is not supported; this receiver applies only ${read} and user plans (621..638)`,
  );
}

function decodeSealWithMod(r: ByteReader): PipeRequest {
  const nameCount = readCount(r, 'file name count', 4);
  const names: string[] = [];
  for (let i = 0; i < nameCount; i++) names.push(readString(r, `file name ${i}`));
  const lengthCount = readCount(r, 'file length count', 8);
  if (lengthCount !== nameCount) {
    throw new PayloadError(`${nameCount} file names but ${lengthCount} file lengths`);
  }
  const files: SealedFile[] = names.map((fileName, i) => ({
    fileName,
    fileLength: readInt64(r, `length of file ${i}`),
  }));
  return { kind: 'tsfile-seal-with-mod', files, params: readStringMap(r, 'seal parameters') };
}

function asUint8Array(view: Buffer): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.length);
}
