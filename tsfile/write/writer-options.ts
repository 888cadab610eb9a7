import { Compression } from '../compression-type.js';
import { DEFAULT_ENCODING_OPTIONS, type EncodingOptions } from '../encoding/value-codec.js';
import { Encoding } from '../encoding-type.js';
import { DEFAULTS } from '../format/tsfile-format.js';

/** Writer limits and settings, named as TSFileConfig names them (units last). */
export interface WriterOptions {
  /** A page is sealed when its encoded size would pass this (IoTDB `page_size_in_byte`). */
  readonly pageSizeBytes: number;
  /** A page is sealed at this many points (IoTDB `max_number_of_points_in_page`). */
  readonly maxPointsInPage: number;
  /** Buffered pages of all series are written out as chunk groups past this many bytes. */
  readonly chunkGroupBytesMax: number;
  readonly maxDegreeOfIndexNode: number;
  readonly bloomFilterErrorRate: number;
  readonly timeEncoding: Encoding;
  /** Compression of aligned devices' time chunks. */
  readonly timeCompression: Compression;
  readonly encoding: EncodingOptions;
}

export const DEFAULT_WRITER_OPTIONS: WriterOptions = {
  pageSizeBytes: DEFAULTS.pageSizeBytes,
  maxPointsInPage: DEFAULTS.maxPointsInPage,
  chunkGroupBytesMax: 64 * 1024 * 1024,
  maxDegreeOfIndexNode: DEFAULTS.maxDegreeOfIndexNode,
  bloomFilterErrorRate: DEFAULTS.bloomFilterErrorRate,
  timeEncoding: Encoding.TS_2DIFF,
  timeCompression: Compression.LZ4,
  encoding: DEFAULT_ENCODING_OPTIONS,
};

export function resolveWriterOptions(options: Partial<WriterOptions> = {}): WriterOptions {
  const o = { ...DEFAULT_WRITER_OPTIONS, ...options };
  if (!(o.maxPointsInPage >= 1)) throw new RangeError(`maxPointsInPage must be >= 1, not ${o.maxPointsInPage}`);
  if (!(o.pageSizeBytes >= 1)) throw new RangeError(`pageSizeBytes must be >= 1, not ${o.pageSizeBytes}`);
  if (!(o.maxDegreeOfIndexNode >= 2)) throw new RangeError(`maxDegreeOfIndexNode must be >= 2`);
  return o;
}
