// Spec: protocol/FORMAT.md, section "Pipe transfer".
//
//   TPipeTransferReq := version:i8 (1)  type:i16  body:binary
//   string  := length:int32be  utf8{length}
//   handshake v1 (type 1)  := timestampPrecision:string
//   tablet raw   (type 3)  := tablet  isAligned:u8
//   tablet       := device:string  rowSize:int32be
//                   u8(1) columnCount:int32be (u8(1) schema){columnCount}
//                   u8(1) int64be{rowSize}
//                   u8(hasBitmaps) [(u8(0) | u8(1) bitCount:int32be bytes:binary){columnCount}]
//                   u8(1) (u8(1) column){columnCount}
//   schema       := name:string  type:u8  encoding:u8  compression:u8  propsCount:int32be (string string){propsCount}
//   column       := fixed big-endian values{rowSize} | (u8(present) [binary]){rowSize} for TEXT/STRING/BLOB
//   binary       := length:int32be bytes{length}
//   TsFile piece (type 4)  := fileName:string  startWritingOffset:int64be  piece:binary
//   TsFile seal  (type 5)  := fileName:string  fileLength:int64be
//   piece response body    := endWritingOffset:int64be
// A bitmap marks null rows: row i is byte i >> 3, mask 1 << (i & 7).

import {
  allocateColumn,
  type ColumnValues,
  type DataType,
  isValueDataType,
  valueKind,
} from '../../tsfile/data-type.js';
import { ByteReader } from '../../tsfile/io/byte-reader.js';
import { ByteWriter } from '../../tsfile/io/byte-writer.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { PayloadError } from '../payload-error.js';
import type { TPipeTransferReq, TPipeTransferResp, TSStatus } from '../rpc-types.js';

export const PIPE_REQUEST_VERSION = 1;

/** IoTDB 1.3's PipeRequestType codes. */
export const PipeRequestType = {
  HANDSHAKE_DATANODE_V1: 1,
  TRANSFER_TABLET_INSERT_NODE: 2,
  TRANSFER_TABLET_RAW: 3,
  TRANSFER_TS_FILE_PIECE: 4,
  TRANSFER_TS_FILE_SEAL: 5,
  TRANSFER_TABLET_BATCH: 6,
  TRANSFER_TABLET_BINARY: 7,
  HANDSHAKE_DATANODE_V2: 51,
} as const;

/** IoTDB's statuses for requests it cannot read: wrong version, unknown type. */
export class PipeVersionError extends PayloadError {
  override readonly name: string = 'PipeVersionError';
  override readonly statusCode: number = 1800;
}

export class PipeTypeError extends PayloadError {
  override readonly name: string = 'PipeTypeError';
  override readonly statusCode: number = 1801;
}

export type PipeRequest =
  | { readonly kind: 'handshake-v1'; readonly timestampPrecision: string }
  | { readonly kind: 'handshake-v2'; readonly timestampPrecision: string; readonly params: ReadonlyMap<string, string> }
  | { readonly kind: 'tablet-raw'; readonly tablet: Tablet }
  | {
      readonly kind: 'tsfile-piece';
      readonly fileName: string;
      readonly startWritingOffset: bigint;
      readonly bytes: Buffer;
    }
  | { readonly kind: 'tsfile-seal'; readonly fileName: string; readonly fileLength: bigint }
  | { readonly kind: 'unsupported'; readonly type: number };

function request(type: number, fill: (out: ByteWriter) => void): TPipeTransferReq {
  const out = new ByteWriter(256);
  fill(out);
  return { version: PIPE_REQUEST_VERSION, type, body: out.toBuffer() };
}

const utf8 = new TextEncoder();

function writeString(out: ByteWriter, s: string): void {
  const bytes = utf8.encode(s);
  out.writeInt32(bytes.length);
  out.writeBytes(bytes);
}

function readString(r: ByteReader, what: string): string {
  const n = r.readInt32();
  if (n < 0 || n > r.remaining) throw new PayloadError(`${what}: string of ${n} bytes with ${r.remaining} left`);
  return r.readBytes(n).toString('utf8');
}

function readBinary(r: ByteReader, what: string): Buffer {
  const n = r.readInt32();
  if (n < 0 || n > r.remaining) throw new PayloadError(`${what}: ${n} bytes announced with ${r.remaining} left`);
  return Buffer.from(r.readBytes(n));
}

export function encodeHandshakeV1(timestampPrecision: string): TPipeTransferReq {
  return request(PipeRequestType.HANDSHAKE_DATANODE_V1, (out) => writeString(out, timestampPrecision));
}

export function encodeTsFilePiece(fileName: string, startWritingOffset: number, bytes: Uint8Array): TPipeTransferReq {
  return request(PipeRequestType.TRANSFER_TS_FILE_PIECE, (out) => {
    writeString(out, fileName);
    out.writeBigInt64(BigInt(startWritingOffset));
    out.writeInt32(bytes.length);
    out.writeBytes(bytes);
  });
}

export function encodeTsFileSeal(fileName: string, fileLength: number): TPipeTransferReq {
  return request(PipeRequestType.TRANSFER_TS_FILE_SEAL, (out) => {
    writeString(out, fileName);
    out.writeBigInt64(BigInt(fileLength));
  });
}

/** The schema bytes IoTDB's Tablet carries per column; encoding and compression are informative only. */
const PLAIN_ENCODING = 0;
const UNCOMPRESSED = 0;

export function encodeTabletRaw(tablet: Tablet): TPipeTransferReq {
  return request(PipeRequestType.TRANSFER_TABLET_RAW, (out) => {
    const n = tablet.rowCount;
    writeString(out, tablet.device);
    out.writeInt32(n);
    out.writeBool(true);
    out.writeInt32(tablet.measurements.length);
    tablet.measurements.forEach((m, j) => {
      out.writeBool(true);
      writeString(out, m);
      out.writeUInt8(tablet.dataTypes[j]!);
      out.writeUInt8(PLAIN_ENCODING);
      out.writeUInt8(UNCOMPRESSED);
      out.writeInt32(0);
    });
    out.writeBool(true);
    for (let i = 0; i < n; i++) out.writeBigInt64(tablet.times[i]!);
    const hasNulls = tablet.nulls.some((m) => m?.subarray(0, n).includes(1));
    out.writeBool(hasNulls);
    if (hasNulls) {
      for (const mask of tablet.nulls) {
        if (mask === null || !mask.subarray(0, n).includes(1)) {
          out.writeBool(false);
          continue;
        }
        out.writeBool(true);
        out.writeInt32(n);
        const bits = new Uint8Array((n >> 3) + 1);
        for (let i = 0; i < n; i++) if (mask[i] === 1) bits[i >> 3]! |= 1 << (i & 7);
        out.writeInt32(bits.length);
        out.writeBytes(bits);
      }
    }
    out.writeBool(true);
    tablet.columns.forEach((column, j) => {
      out.writeBool(true);
      writeColumn(out, tablet.dataTypes[j]!, column, n);
    });
    out.writeBool(tablet.aligned);
  });
}

function writeColumn(out: ByteWriter, type: DataType, column: ColumnValues, n: number): void {
  switch (valueKind(type)) {
    case 'boolean':
      for (let i = 0; i < n; i++) out.writeUInt8((column as Uint8Array)[i] ? 1 : 0);
      return;
    case 'int32':
      for (let i = 0; i < n; i++) out.writeInt32((column as Int32Array)[i]!);
      return;
    case 'int64':
      for (let i = 0; i < n; i++) out.writeBigInt64((column as BigInt64Array)[i]!);
      return;
    case 'float':
      for (let i = 0; i < n; i++) out.writeFloat((column as Float32Array)[i]!);
      return;
    case 'double':
      for (let i = 0; i < n; i++) out.writeDouble((column as Float64Array)[i]!);
      return;
    case 'binary':
      for (let i = 0; i < n; i++) {
        const v = (column as Uint8Array[])[i];
        out.writeBool(v !== undefined);
        if (v !== undefined) {
          out.writeInt32(v.length);
          out.writeBytes(v);
        }
      }
  }
}

function readTablet(r: ByteReader): Tablet {
  const device = readString(r, 'tablet device');
  const n = r.readInt32();
  if (n < 0) throw new PayloadError(`tablet of ${device}: row count ${n}`);
  const measurements: string[] = [];
  const dataTypes: DataType[] = [];
  if (r.readBool()) {
    const count = r.readInt32();
    if (count < 0 || count > r.remaining) throw new PayloadError(`tablet of ${device}: ${count} columns`);
    for (let j = 0; j < count; j++) {
      if (!r.readBool()) throw new PayloadError(`tablet of ${device}: column ${j} has no schema`);
      measurements.push(readString(r, `tablet of ${device}: column ${j} name`));
      const type = r.readUInt8();
      if (!isValueDataType(type)) throw new PayloadError(`tablet of ${device}: column ${j} has type code ${type}`);
      dataTypes.push(type);
      r.readUInt8();
      r.readUInt8();
      const props = r.readInt32();
      if (props < 0 || props > r.remaining) throw new PayloadError(`tablet of ${device}: ${props} schema properties`);
      for (let k = 0; k < 2 * props; k++) readString(r, `tablet of ${device}: schema property`);
    }
  }
  const times = new BigInt64Array(n);
  if (r.readBool()) {
    r.need(n * 8);
    for (let i = 0; i < n; i++) times[i] = r.readBigInt64();
  }
  const nulls: (Uint8Array | null)[] = dataTypes.map(() => null);
  if (r.readBool()) {
    for (let j = 0; j < dataTypes.length; j++) {
      if (!r.readBool()) continue;
      const bitCount = r.readInt32();
      const bits = readBinary(r, `tablet of ${device}: bitmap ${j}`);
      if (bitCount < 0 || bits.length * 8 < Math.min(bitCount, n)) {
        throw new PayloadError(`tablet of ${device}: bitmap ${j} of ${bits.length} bytes for ${bitCount} rows`);
      }
      const mask = new Uint8Array(n);
      for (let i = 0; i < Math.min(n, bitCount); i++) if ((bits[i >> 3]! >> (i & 7)) & 1) mask[i] = 1;
      nulls[j] = mask.includes(1) ? mask : null;
    }
  }
  const columns: ColumnValues[] = dataTypes.map((t) => allocateColumn(t, n));
  if (r.readBool()) {
    dataTypes.forEach((type, j) => {
      if (!r.readBool()) {
        nulls[j] = new Uint8Array(n).fill(1);
        return;
      }
      readColumn(r, type, columns[j]!, n, device, nulls, j);
    });
  }
  return { device, measurements, dataTypes, times, columns, nulls, rowCount: n, aligned: false };
}

function readColumn(
  r: ByteReader,
  type: DataType,
  column: ColumnValues,
  n: number,
  device: string,
  nulls: (Uint8Array | null)[],
  j: number,
): void {
  switch (valueKind(type)) {
    case 'boolean':
      r.need(n);
      for (let i = 0; i < n; i++) (column as Uint8Array)[i] = r.readUInt8() === 0 ? 0 : 1;
      return;
    case 'int32':
      r.need(n * 4);
      for (let i = 0; i < n; i++) (column as Int32Array)[i] = r.readInt32();
      return;
    case 'int64':
      r.need(n * 8);
      for (let i = 0; i < n; i++) (column as BigInt64Array)[i] = r.readBigInt64();
      return;
    case 'float':
      r.need(n * 4);
      for (let i = 0; i < n; i++) (column as Float32Array)[i] = r.readFloat();
      return;
    case 'double':
      r.need(n * 8);
      for (let i = 0; i < n; i++) (column as Float64Array)[i] = r.readDouble();
      return;
    case 'binary':
      for (let i = 0; i < n; i++) {
        if (r.readBool()) {
          (column as Uint8Array[])[i] = new Uint8Array(readBinary(r, `tablet of ${device}: column ${j} row ${i}`));
        } else {
          (column as Uint8Array[])[i] = new Uint8Array(0);
          const mask = nulls[j] ?? new Uint8Array(n);
          mask[i] = 1;
          nulls[j] = mask;
        }
      }
  }
}

/** Reads a pipeTransfer request; a wrong version, unknown type or a body that lies is a PayloadError. */
export function decodePipeTransferReq(req: TPipeTransferReq): PipeRequest {
  if (req.version !== PIPE_REQUEST_VERSION) {
    throw new PipeVersionError(
      `pipe request version ${req.version} is not supported (this receiver reads version ${PIPE_REQUEST_VERSION})`,
    );
  }
  const r = ByteReader.of(req.body ?? Buffer.alloc(0));
  const done = <T extends PipeRequest>(value: T): T => {
    if (r.remaining !== 0) throw new PayloadError(`pipe request type ${req.type}: ${r.remaining} bytes after the body`);
    return value;
  };
  try {
    switch (req.type) {
      case PipeRequestType.HANDSHAKE_DATANODE_V1:
        return done({ kind: 'handshake-v1', timestampPrecision: readString(r, 'handshake') });
      case PipeRequestType.HANDSHAKE_DATANODE_V2: {
        const count = r.readInt32();
        if (count < 0 || count > r.remaining) throw new PayloadError(`handshake: ${count} parameters`);
        const params = new Map<string, string>();
        for (let i = 0; i < count; i++) params.set(readString(r, 'handshake key'), readString(r, 'handshake value'));
        return done({ kind: 'handshake-v2', timestampPrecision: params.get('timestampPrecision') ?? '', params });
      }
      case PipeRequestType.TRANSFER_TABLET_RAW: {
        const tablet = readTablet(r);
        const aligned = r.readBool();
        return done({ kind: 'tablet-raw', tablet: { ...tablet, aligned } });
      }
      case PipeRequestType.TRANSFER_TS_FILE_PIECE:
        return done({
          kind: 'tsfile-piece',
          fileName: readString(r, 'file piece name'),
          startWritingOffset: r.readBigInt64(),
          bytes: readBinary(r, 'file piece'),
        });
      case PipeRequestType.TRANSFER_TS_FILE_SEAL:
        return done({ kind: 'tsfile-seal', fileName: readString(r, 'file seal name'), fileLength: r.readBigInt64() });
      case PipeRequestType.TRANSFER_TABLET_INSERT_NODE:
      case PipeRequestType.TRANSFER_TABLET_BATCH:
      case PipeRequestType.TRANSFER_TABLET_BINARY:
        return { kind: 'unsupported', type: req.type };
      default:
        throw new PipeTypeError(`pipe request type ${req.type} is unknown`);
    }
  } catch (error) {
    if (error instanceof PayloadError) throw error;
    throw new PayloadError(`pipe request type ${req.type}: ${(error as Error).message}`);
  }
}

/** A file piece answer: the status and where the receiver's copy of the file ends. */
export function encodeFilePieceResp(status: TSStatus, endWritingOffset: bigint): TPipeTransferResp {
  const body = Buffer.alloc(8);
  body.writeBigInt64BE(endWritingOffset);
  return { status, body };
}

export function decodeFilePieceResp(resp: TPipeTransferResp): { endWritingOffset: bigint } {
  const body = resp.body;
  if (body === null || body === undefined || body.length < 8) return { endWritingOffset: -1n };
  return { endWritingOffset: body.readBigInt64BE(0) };
}
