import { compressSync, uncompressSync } from 'lz4-napi';
import { asBuffer, type Compressor, checkSize, guarded } from './compressor.js';

/**
 * LZ4 raw blocks, as IoTDB's LZ4 compressor writes them: no frame and no size prefix.
 * lz4-napi speaks the block format with a 4-byte little-endian size prefix, so the prefix
 * is cut after compressing and put back (from the page header's size) before uncompressing.
 */
export const lz4: Compressor = {
  name: 'LZ4',
  compress(data) {
    return compressSync(asBuffer(data)).subarray(4);
  },
  uncompress(data, uncompressedSize) {
    if (uncompressedSize === 0) return Buffer.alloc(0);
    const framed = Buffer.allocUnsafe(data.length + 4);
    framed.writeUInt32LE(uncompressedSize, 0);
    framed.set(data, 4);
    return checkSize(
      'LZ4',
      guarded('LZ4', () => uncompressSync(framed)),
      uncompressedSize,
    );
  },
};
