// Format: engine/wal/FORMAT.md — constants shared by the WAL writer and reader.

/** First bytes of every segment file: "IOTLWAL" and a format version. */
export const SEGMENT_MAGIC = Buffer.from('IOTLWAL', 'ascii');
export const SEGMENT_VERSION = 1;
export const SEGMENT_HEADER_BYTES = SEGMENT_MAGIC.length + 1;

/** Entry framing: u32 payload length, u32 CRC-32 of the payload, then the payload. */
export const ENTRY_HEADER_BYTES = 8;
/** Larger lengths can only come from a torn or corrupt header. */
export const ENTRY_BYTES_MAX = 256 * 1024 * 1024;

export const EntryKind = {
  INSERT: 1,
  DELETE: 2,
  /** An insert that came from another node: its origin follows the arrival time. */
  INSERT_FROM: 3,
  /** A deletion that came from another node: its origin follows the arrival time. */
  DELETE_FROM: 4,
  /** A committed schema change (its place in arrival order, for pipes); replay skips it. */
  SCHEMA: 5,
  /** A schema change that came from another node: its origin follows the arrival time. */
  SCHEMA_FROM: 6,
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

export function segmentFileName(id: number): string {
  return `wal-${String(id).padStart(12, '0')}.log`;
}

export function segmentIdOf(fileName: string): number | null {
  const m = /^wal-(\d{12})\.log$/.exec(fileName);
  return m === null ? null : Number(m[1]);
}
