import { compress, decompress } from 'zstd-napi';
import { asBuffer, type Compressor, checkSize, guarded } from './compressor.js';

/** Zstandard frames at level 3, zstd-jni's default used by IoTDB's ZSTD compressor. */
export const zstd: Compressor = {
  name: 'ZSTD',
  compress(data) {
    return compress(asBuffer(data), { compressionLevel: 3 });
  },
  uncompress(data, uncompressedSize) {
    return checkSize(
      'ZSTD',
      guarded('ZSTD', () => decompress(asBuffer(data))),
      uncompressedSize,
    );
  },
};
