import { gunzipSync, gzipSync } from 'node:zlib';
import { asBuffer, type Compressor, checkSize, guarded } from './compressor.js';

/** The gzip container (RFC 1952), as java.util.zip.GZIPOutputStream writes it. */
export const gzip: Compressor = {
  name: 'GZIP',
  compress(data) {
    return gzipSync(asBuffer(data));
  },
  uncompress(data, uncompressedSize) {
    return checkSize(
      'GZIP',
      guarded('GZIP', () => gunzipSync(asBuffer(data))),
      uncompressedSize,
    );
  },
};
