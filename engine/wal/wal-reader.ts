// Format: engine/wal/FORMAT.md
import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ByteReader } from '../../tsfile/io/byte-reader.js';
import {
  ENTRY_BYTES_MAX,
  ENTRY_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  SEGMENT_MAGIC,
  SEGMENT_VERSION,
  segmentFileName,
} from './wal-format.js';

/** Told about every byte range the reader could not use (LevelDB's log Reporter). */
export interface WalReporter {
  corruption(segmentId: number, offset: number, bytes: number, reason: string): void;
}

export interface WalEntry {
  readonly segmentId: number;
  readonly payload: ByteReader;
}

/**
 * Reads the entries of one segment. A torn tail (an entry cut short by a crash, or whose
 * checksum fails with nothing valid after it) is dropped and, for the newest segment,
 * truncated away; a bad entry followed by good ones is corruption and is reported, then
 * skipped (its length field is trusted to find the next entry).
 */
export function* readSegment(
  dir: string,
  segmentId: number,
  reporter: WalReporter,
  truncateTornTail: boolean,
): Generator<WalEntry> {
  const path = join(dir, segmentFileName(segmentId));
  const bytes = readFileSync(path);
  if (
    bytes.length < SEGMENT_HEADER_BYTES ||
    !bytes.subarray(0, SEGMENT_MAGIC.length).equals(SEGMENT_MAGIC) ||
    bytes[SEGMENT_MAGIC.length] !== SEGMENT_VERSION
  ) {
    if (bytes.length > 0) reporter.corruption(segmentId, 0, bytes.length, 'bad segment header');
    return;
  }
  let pos = SEGMENT_HEADER_BYTES;
  let validEnd = pos;
  while (pos < bytes.length) {
    if (bytes.length - pos < ENTRY_HEADER_BYTES) break;
    const length = bytes.readUInt32BE(pos);
    const checksum = bytes.readUInt32BE(pos + 4);
    const end = pos + ENTRY_HEADER_BYTES + length;
    if (length > ENTRY_BYTES_MAX || end > bytes.length) break;
    const payload = bytes.subarray(pos + ENTRY_HEADER_BYTES, end);
    if (crc32(payload) !== checksum) {
      if (!hasValidEntryAfter(bytes, end)) break;
      reporter.corruption(segmentId, pos, end - pos, 'checksum mismatch');
      pos = end;
      validEnd = pos;
      continue;
    }
    yield { segmentId, payload: new ByteReader(payload) };
    pos = end;
    validEnd = pos;
  }
  if (validEnd < bytes.length) {
    if (truncateTornTail) truncateSync(path, validEnd);
    reporter.corruption(segmentId, validEnd, bytes.length - validEnd, 'torn tail dropped');
  }
}

function hasValidEntryAfter(bytes: Buffer, pos: number): boolean {
  while (pos + ENTRY_HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32BE(pos);
    const end = pos + ENTRY_HEADER_BYTES + length;
    if (length > ENTRY_BYTES_MAX || end > bytes.length) return false;
    if (crc32(bytes.subarray(pos + ENTRY_HEADER_BYTES, end)) === bytes.readUInt32BE(pos + 4)) return true;
    pos = end;
  }
  return false;
}
