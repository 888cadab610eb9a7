import { createRequire } from 'node:module';
import { asBuffer, type Compressor, checkSize, guarded } from './compressor.js';

/**
 * liblzma's coder as lzma-native exposes it: `code(input)` then `code(null)` run the coder to
 * the end on the calling thread when asked to (`async` false), handing each output buffer to
 * `bufferHandler` before returning.
 */
interface LiblzmaStream {
  bufferHandler: (buffer: Buffer | null, processedChunks: number | null, error?: Error | null) => void;
  code(input: Buffer | null, async: boolean): void;
  easyEncoder(options: { preset: number; check: number }): void;
  streamDecoder(options: Record<string, never>): void;
}

interface LzmaNative {
  readonly Stream: new () => LiblzmaStream;
  readonly CHECK_CRC64: number;
}

const liblzma = createRequire(import.meta.url)('lzma-native') as LzmaNative;

/** xz-java's defaults, which IoTDB's LZMA2 compressor writes with (LZMA2Options(), CRC64). */
const PRESET = 6;

function run(setUp: (stream: LiblzmaStream) => void, input: Buffer): Buffer {
  const stream = new liblzma.Stream();
  setUp(stream);
  const out: Buffer[] = [];
  let failure: Error | undefined;
  stream.bufferHandler = (buffer, _processed, error) => {
    if (error) failure = error;
    else if (buffer) out.push(buffer);
  };
  stream.code(input, false);
  stream.code(null, false);
  if (failure !== undefined) throw failure;
  return Buffer.concat(out);
}

/**
 * IoTDB's LZMA2 compressor writes the .xz container (XZOutputStream with LZMA2 filter),
 * not raw LZMA2 chunks, so this is an xz codec, bound to liblzma (xz-utils).
 */
export const lzma2: Compressor = {
  name: 'LZMA2',
  compress(data) {
    return run((s) => s.easyEncoder({ preset: PRESET, check: liblzma.CHECK_CRC64 }), asBuffer(data));
  },
  uncompress(data, uncompressedSize) {
    return checkSize(
      'LZMA2',
      guarded('LZMA2', () => run((s) => s.streamDecoder({}), asBuffer(data))),
      uncompressedSize,
    );
  },
};
