import { xz } from '@napi-rs/lzma';
import { asBuffer, type Compressor, checkSize, guarded } from './compressor.js';

/**
 * IoTDB's LZMA2 compressor writes the .xz container (XZOutputStream with LZMA2 filter),
 * not raw LZMA2 chunks, so this is an xz codec.
 */
export const lzma2: Compressor = {
  name: 'LZMA2',
  compress(data) {
    return xz.compressSync(asBuffer(data));
  },
  uncompress(data, uncompressedSize) {
    return checkSize(
      'LZMA2',
      guarded('LZMA2', () => xz.decompressSync(asBuffer(data))),
      uncompressedSize,
    );
  },
};
