// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Schema plans".

import { type Compression, compressionName } from '../../../tsfile/compression-type.js';
import type { DataType } from '../../../tsfile/data-type.js';
import { type Encoding, encodingName } from '../../../tsfile/encoding-type.js';
import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import { PayloadError } from '../../payload-error.js';
import { readByte, readDataType } from './plan-node-bytes.js';
import type { StringMap } from './string-maps.js';

/** One time series as a create plan carries it. */
export interface SeriesSpec {
  readonly measurement: string;
  readonly dataType: DataType;
  readonly encoding: Encoding;
  readonly compression: Compression;
  readonly alias: string | null;
  readonly tags: StringMap;
  readonly attributes: StringMap;
}

/** `dtype encoding:u8 compressor:u8`, each a code IoTDB defines. */
export function readTypeEncodingCompression(
  r: ByteReader,
  what: string,
): { dataType: DataType; encoding: Encoding; compression: Compression } {
  return {
    dataType: readDataType(r, `${what} data type`),
    encoding: readEncoding(r, what),
    compression: readCompression(r, what),
  };
}

export function readEncoding(r: ByteReader, what: string): Encoding {
  return readCode(r, what, 'encoding', encodingName) as Encoding;
}

export function readCompression(r: ByteReader, what: string): Compression {
  return readCode(r, what, 'compressor', compressionName) as Compression;
}

/** A code byte that `nameOf` knows (it throws for one it does not). */
function readCode(r: ByteReader, what: string, kind: string, nameOf: (code: number) => string): number {
  const code = readByte(r, `${what} ${kind}`);
  try {
    nameOf(code);
  } catch {
    throw new PayloadError(`${what}: unknown ${kind} code ${code}`);
  }
  return code;
}
