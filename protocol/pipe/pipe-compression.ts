// Spec: protocol/FORMAT.md, section "Pipe transfer", "compressed request (300)".

import { type Compressor, gzip, lz4, lzma2, snappy, ZSTD_LEVEL_DEFAULT, zstdAtLevel } from '../../native/index.js';

/** IoTDB's `PipeCompressionType` codes: the byte naming each compressor of a compressed request. */
export const PipeCompressionCode = {
  snappy: 0,
  gzip: 1,
  lz4: 2,
  zstd: 3,
  lzma2: 4,
} as const;

/** The `sink.compressor` names IoTDB accepts. */
export type PipeCompressorName = keyof typeof PipeCompressionCode;

export const PIPE_COMPRESSOR_NAMES = Object.keys(PipeCompressionCode) as readonly PipeCompressorName[];

/** One compressor of a chain: its code on the wire and the codec. */
export interface PipeCompressor {
  readonly code: number;
  readonly name: PipeCompressorName;
  readonly codec: Compressor;
}

export function isPipeCompressorName(name: string): name is PipeCompressorName {
  return Object.hasOwn(PipeCompressionCode, name);
}

/** The compressor of a name; zstd compresses at `zstdLevel` (any level reads any frame). */
export function pipeCompressor(name: PipeCompressorName, zstdLevel = ZSTD_LEVEL_DEFAULT): PipeCompressor {
  const codecs: Record<PipeCompressorName, Compressor> = {
    snappy,
    gzip,
    lz4,
    zstd: zstdAtLevel(zstdLevel),
    lzma2,
  };
  return { code: PipeCompressionCode[name], name, codec: codecs[name] };
}

const byCode = new Map<number, PipeCompressor>(
  PIPE_COMPRESSOR_NAMES.map((n) => [PipeCompressionCode[n], pipeCompressor(n)]),
);

/** The compressor of a code, or undefined for a code IoTDB does not define. */
export function pipeCompressorOfCode(code: number): PipeCompressor | undefined {
  return byCode.get(code);
}
