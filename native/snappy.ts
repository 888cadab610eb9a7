import { compressSync, uncompressSync } from 'snappy';
import { asBuffer, type Compressor, checkSize, guarded } from './compressor.js';

/** Raw Snappy blocks (not the framing format), as snappy-java's `Snappy.compress` writes. */
export const snappy: Compressor = {
  name: 'SNAPPY',
  compress(data) {
    return compressSync(asBuffer(data));
  },
  uncompress(data, uncompressedSize) {
    return checkSize(
      'SNAPPY',
      guarded('SNAPPY', () => uncompressSync(asBuffer(data)) as Buffer),
      uncompressedSize,
    );
  },
};
