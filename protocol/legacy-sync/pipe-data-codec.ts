// Spec: protocol/FORMAT.md, section "Legacy sync", subsection "PipeData".
//
// pipeData       := type:u8 serialNumber:int64be body
// TSFILE (0)     := parentDirPath:jstring fileName:jstring
// DELETION (1)   := database:jstring startTime:int64be endTime:int64be path:jstring
// jstring        := length:int32be utf8{length}    (length <= 0 is Java's null / empty)

import { ByteReader } from '../../tsfile/io/byte-reader.js';
import { ByteWriter } from '../../tsfile/io/byte-writer.js';
import { PayloadError } from '../payload-error.js';
import { PipeDataType } from './legacy-sync-format.js';

/** A sealed TsFile whose pieces went ahead through `sendFile` under `fileName`: load it. */
export interface TsFilePipeData {
  readonly kind: 'tsfile';
  readonly serialNumber: bigint;
  /** Where the sender keeps the file; receivers ignore it (IoTDB's connector sends ''). */
  readonly parentDirPath: string;
  readonly fileName: string;
}

/** Delete the points of the series under `path` with times in [start, end]. */
export interface DeletionPipeData {
  readonly kind: 'deletion';
  readonly serialNumber: bigint;
  /** The sender's database of the deletion; receivers do not need it. */
  readonly database: string | null;
  readonly path: string;
  readonly start: bigint;
  readonly end: bigint;
}

export type LegacyPipeData = TsFilePipeData | DeletionPipeData;

const encoder = new TextEncoder();

/** ReadWriteIOUtils' string: length then UTF-8, null as length -1. */
function writeJavaString(out: ByteWriter, text: string | null): void {
  if (text === null) {
    out.writeInt32(-1);
    return;
  }
  const bytes = encoder.encode(text);
  out.writeInt32(bytes.length);
  out.writeBytes(bytes);
}

/**
 * ReadWriteIOUtils' string as Java reads it back: a length of 0 or -1 is null (no bytes
 * follow). Other negative lengths, and lengths past the end, are corruption.
 */
function readJavaString(r: ByteReader, what: string): string | null {
  const at = r.pos;
  if (r.remaining < 4) throw new PayloadError(`${what}: length needs 4 bytes at offset ${at}, ${r.remaining} left`);
  const n = r.readInt32();
  if (n === 0 || n === -1) return null;
  if (n < 0 || n > r.remaining) {
    throw new PayloadError(`${what}: length ${n} at offset ${at} but ${r.remaining} bytes follow`);
  }
  return r.readBytes(n).toString('utf8');
}

function readLong(r: ByteReader, what: string): bigint {
  if (r.remaining < 8) throw new PayloadError(`${what}: needs 8 bytes at offset ${r.pos}, ${r.remaining} left`);
  return r.readBigInt64();
}

/** The bytes `sendPipeData` carries for `data`, as IoTDB's PipeData.serialize writes them. */
export function encodePipeData(data: LegacyPipeData): Buffer {
  const out = new ByteWriter(64);
  if (data.kind === 'tsfile') {
    out.writeUInt8(PipeDataType.TSFILE);
    out.writeBigInt64(data.serialNumber);
    writeJavaString(out, data.parentDirPath);
    writeJavaString(out, data.fileName);
  } else {
    out.writeUInt8(PipeDataType.DELETION);
    out.writeBigInt64(data.serialNumber);
    writeJavaString(out, data.database);
    out.writeBigInt64(data.start);
    out.writeBigInt64(data.end);
    writeJavaString(out, data.path);
  }
  return out.toBuffer();
}

/**
 * Reads the bytes of one `sendPipeData`. Anything that does not follow the layout (an
 * unknown type, a truncated field, a missing file name or path, bytes left over) is a
 * PayloadError naming what and where.
 */
export function decodePipeData(bytes: Uint8Array): LegacyPipeData {
  const r = ByteReader.of(bytes);
  if (r.remaining < 1) throw new PayloadError('pipe data is empty');
  const type = r.readUInt8();
  let data: LegacyPipeData;
  switch (type) {
    case PipeDataType.TSFILE: {
      const serialNumber = readLong(r, 'tsfile pipe data: serial number');
      const parentDirPath = readJavaString(r, 'tsfile pipe data: parent directory') ?? '';
      const fileName = readJavaString(r, 'tsfile pipe data: file name');
      if (fileName === null) throw new PayloadError('tsfile pipe data: the file name is missing');
      data = { kind: 'tsfile', serialNumber, parentDirPath, fileName };
      break;
    }
    case PipeDataType.DELETION: {
      const serialNumber = readLong(r, 'deletion pipe data: serial number');
      const database = readJavaString(r, 'deletion pipe data: database');
      const start = readLong(r, 'deletion pipe data: start time');
      const end = readLong(r, 'deletion pipe data: end time');
      const path = readJavaString(r, 'deletion pipe data: path');
      if (path === null) throw new PayloadError('deletion pipe data: the path is missing');
      data = { kind: 'deletion', serialNumber, database, path, start, end };
      break;
    }
    default:
      throw new PayloadError(`unknown pipe data type ${type}`);
  }
  if (r.remaining > 0) {
    throw new PayloadError(`${data.kind} pipe data ends at offset ${r.pos} but ${r.remaining} more bytes follow`);
  }
  return data;
}
