/**
 * Block compressors, one per IoTDB `CompressionType` (codes in tsfile/compression-type.ts,
 * which this layer does not import: the code is passed as a number). Each produces and
 * accepts exactly the bytes the reference Java TsFile writes for a page.
 */
export interface Compressor {
  readonly name: string;
  compress(data: Uint8Array): Buffer;
  /** `uncompressedSize` is recorded in every page header; the result must have that length. */
  uncompress(data: Uint8Array, uncompressedSize: number): Buffer;
}

/** A codec name or code that this build cannot handle. */
export class UnsupportedCompressionError extends Error {
  override readonly name = 'UnsupportedCompressionError';
}

/** The bytes do not decompress, or decompress to another size than the header says. */
export class DecompressionError extends Error {
  override readonly name = 'DecompressionError';
}

export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export function checkSize(name: string, out: Buffer, expected: number): Buffer {
  if (out.length !== expected) {
    throw new DecompressionError(`${name}: decompressed ${out.length} bytes, the header says ${expected}`);
  }
  return out;
}

/** Runs a native decompressor, turning its failures into a DecompressionError naming the codec. */
export function guarded(name: string, fn: () => Buffer): Buffer {
  try {
    return fn();
  } catch (error) {
    if (error instanceof DecompressionError) throw error;
    throw new DecompressionError(`${name}: corrupt compressed data (${(error as Error).message})`);
  }
}
