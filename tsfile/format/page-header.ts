// Format: tsfile/FORMAT.md § Page
import type { DataType } from '../data-type.js';
import { type ByteReader, CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { readStatistics, type Statistics, writeStatistics } from './statistics.js';

export interface PageHeader {
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  /** Absent in single-page chunks, and for empty (all-null) aligned value pages. */
  readonly statistics: Statistics | null;
}

export function writePageHeader(h: PageHeader, out: ByteWriter): void {
  out.writeVarUInt(h.uncompressedSize);
  if (h.uncompressedSize === 0) return;
  out.writeVarUInt(h.compressedSize);
  if (h.statistics !== null) writeStatistics(h.statistics, out);
}

export function readPageHeader(r: ByteReader, dataType: DataType, withStatistics: boolean): PageHeader {
  const uncompressedSize = r.readVarUInt();
  if (uncompressedSize === 0) return { uncompressedSize: 0, compressedSize: 0, statistics: null };
  const compressedSize = r.readVarUInt();
  if (compressedSize > r.remaining) {
    throw new CorruptDataError(`page of ${compressedSize} bytes at offset ${r.pos} runs past its chunk`);
  }
  const statistics = withStatistics ? readStatistics(r, dataType) : null;
  if (compressedSize > r.remaining) {
    throw new CorruptDataError(`page of ${compressedSize} bytes at offset ${r.pos} runs past its chunk`);
  }
  return { uncompressedSize, compressedSize, statistics };
}
