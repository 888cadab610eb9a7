// Format: tsfile/FORMAT.md — the constants shared by the TsFile reader and writer.

/** `TsFile` in ASCII: the first six bytes of a file and its last six. */
export const MAGIC = Buffer.from('TsFile', 'ascii');
export const VERSION_NUMBER = 3;
/** Magic + version byte. */
export const HEAD_LENGTH = MAGIC.length + 1;
/** Metadata size (int32) + magic. */
export const TAIL_LENGTH = 4 + MAGIC.length;

/** The byte before every block in the data area (`MetaMarker`). */
export const Marker = {
  CHUNK_GROUP_HEADER: 0,
  CHUNK_HEADER: 1,
  SEPARATOR: 2,
  VERSION: 3,
  OPERATION_INDEX_RANGE: 4,
  ONLY_ONE_PAGE_CHUNK_HEADER: 5,
} as const;

/** Bits or-ed into a chunk marker and a timeseries metadata type for aligned devices. */
export const TIME_COLUMN_MASK = 0x80;
export const VALUE_COLUMN_MASK = 0x40;
export const COLUMN_MASKS = TIME_COLUMN_MASK | VALUE_COLUMN_MASK;

export const MetadataIndexNodeType = {
  INTERNAL_DEVICE: 0,
  LEAF_DEVICE: 1,
  INTERNAL_MEASUREMENT: 2,
  LEAF_MEASUREMENT: 3,
} as const;
export type MetadataIndexNodeType = (typeof MetadataIndexNodeType)[keyof typeof MetadataIndexNodeType];

/** Writer defaults, as TSFileConfig has them. */
export const DEFAULTS = {
  pageSizeBytes: 64 * 1024,
  maxPointsInPage: 10_000,
  maxDegreeOfIndexNode: 256,
  bloomFilterErrorRate: 0.05,
  /** The first page-size check happens after this many points (ChunkWriterImpl's minimum). */
  pageSizeCheckMinPoints: 1500,
} as const;
