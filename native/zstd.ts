import { compress, decompress } from 'zstd-napi';
import { asBuffer, type Compressor, checkSize, guarded } from './compressor.js';

/** The levels zstd accepts (zstd-jni's `Zstd.minCompressionLevel()` .. `maxCompressionLevel()`). */
export const ZSTD_LEVEL_MIN = -131072;
export const ZSTD_LEVEL_MAX = 22;
/** zstd-jni's `Zstd.defaultCompressionLevel()`, used by IoTDB's ZSTD compressor. */
export const ZSTD_LEVEL_DEFAULT = 3;

/** Zstandard frames at `level`; any level reads any frame. */
export function zstdAtLevel(level: number): Compressor {
  return {
    name: 'ZSTD',
    compress(data) {
      return compress(asBuffer(data), { compressionLevel: level });
    },
    uncompress(data, uncompressedSize) {
      return checkSize(
        'ZSTD',
        guarded('ZSTD', () => decompress(asBuffer(data))),
        uncompressedSize,
      );
    },
  };
}

/** Zstandard frames at level 3, zstd-jni's default used by IoTDB's ZSTD compressor. */
export const zstd: Compressor = zstdAtLevel(ZSTD_LEVEL_DEFAULT);
