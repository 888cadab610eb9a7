import { type Compressor, UnsupportedCompressionError } from './compressor.js';
import { gzip } from './gzip.js';
import { lz4 } from './lz4.js';
import { lzma2 } from './lzma2.js';
import { snappy } from './snappy.js';
import { uncompressed } from './uncompressed.js';
import { zstd } from './zstd.js';

export { type Compressor, DecompressionError, UnsupportedCompressionError } from './compressor.js';
export { gzip } from './gzip.js';
export { lz4 } from './lz4.js';
export { lzma2 } from './lzma2.js';
export { snappy } from './snappy.js';
export { ZSTD_LEVEL_DEFAULT, ZSTD_LEVEL_MAX, ZSTD_LEVEL_MIN, zstdAtLevel } from './zstd.js';

/** By IoTDB `CompressionType` code. */
const byCode = new Map<number, Compressor>([
  [0, uncompressed],
  [1, snappy],
  [2, gzip],
  [7, lz4],
  [8, zstd],
  [9, lzma2],
]);

export function compressorFor(code: number): Compressor {
  const compressor = byCode.get(code);
  if (compressor === undefined) {
    throw new UnsupportedCompressionError(`compression type ${code} is not supported (IoTDB code ${code})`);
  }
  return compressor;
}
