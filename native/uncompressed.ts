import { asBuffer, type Compressor, checkSize } from './compressor.js';

export const uncompressed: Compressor = {
  name: 'UNCOMPRESSED',
  compress(data) {
    return asBuffer(data);
  },
  uncompress(data, uncompressedSize) {
    return checkSize('UNCOMPRESSED', asBuffer(data), uncompressedSize);
  },
};
