// Format: tsfile/FORMAT.md § Data area, § Recovery

import { pickRows, presentRows } from '../column-ops.js';
import { DataType } from '../data-type.js';
import {
  type ChunkHeader,
  isChunkMarker,
  isTimeChunk,
  isValueChunk,
  readChunkHeaderAfterMarker,
} from '../format/chunk-header.js';
import { computeStatistics, emptyStatistics, mergeStatistics, type Statistics } from '../format/statistics.js';
import { HEAD_LENGTH, Marker } from '../format/tsfile-format.js';
import { ByteReader, CorruptDataError } from '../io/byte-reader.js';
import { decodeSeriesPage, decodeTimes, decodeValuePage, uncompressPage } from './page-decoder.js';
import { FileInput, type RandomAccessInput } from './random-access-input.js';
import { checkHead, pagesOf } from './tsfile-reader.js';

export interface ScannedChunk {
  readonly offset: number;
  readonly header: ChunkHeader;
  readonly data: Buffer;
}

export interface ScannedChunkGroup {
  readonly device: string;
  readonly offset: number;
  readonly chunks: ScannedChunk[];
}

export interface ScanResult {
  /** Chunk groups whose every chunk is whole. */
  readonly chunkGroups: ScannedChunkGroup[];
  /** Where the whole chunk groups end: a file truncated here holds only complete data. */
  readonly completeEnd: number;
  /** True when the scan met the separator of a sealed file's index area. */
  readonly sawSeparator: boolean;
  /** What stopped the scan before the end, if anything (the torn or corrupt part). */
  readonly stoppedBy: string | null;
}

/**
 * Walks the data area from the head, block by block, without using the index: this is how
 * the data of a file that was never sealed (a crash during a flush) is recovered. A chunk
 * group counts as complete when all its chunks are whole and the next block starts (or
 * the file ends right after it).
 */
export function scanChunkGroups(input: RandomAccessInput): ScanResult {
  checkHead(input);
  const chunkGroups: ScannedChunkGroup[] = [];
  let pos = HEAD_LENGTH;
  let completeEnd = HEAD_LENGTH;
  let current: ScannedChunkGroup | null = null;
  let stoppedBy: string | null = null;
  let sawSeparator = false;
  const close = (at: number) => {
    if (current !== null && current.chunks.length > 0) {
      chunkGroups.push(current);
      completeEnd = at;
    }
    current = null;
  };
  try {
    while (pos < input.size) {
      const marker = input.read(pos, 1)[0]!;
      if (marker === Marker.CHUNK_GROUP_HEADER) {
        close(pos);
        const r = new ByteReader(input.read(pos, Math.min(input.size - pos, 1 << 16)), 1);
        const device = r.readVarString();
        current = { device, offset: pos, chunks: [] };
        pos += r.pos;
      } else if (isChunkMarker(marker)) {
        if (current === null) throw new CorruptDataError(`chunk at ${pos} outside a chunk group`);
        const r = new ByteReader(input.read(pos, Math.min(input.size - pos, 1 << 16)), 1);
        const header = readChunkHeaderAfterMarker(r, marker);
        const data = input.read(pos + r.pos, header.dataSize);
        current.chunks.push({ offset: pos, header, data });
        pos += r.pos + header.dataSize;
      } else if (marker === Marker.OPERATION_INDEX_RANGE) {
        input.read(pos, 17);
        pos += 17;
      } else if (marker === Marker.SEPARATOR) {
        sawSeparator = true;
        break;
      } else {
        throw new CorruptDataError(`unexpected marker ${marker} at offset ${pos}`);
      }
    }
    close(pos);
  } catch (error) {
    if (!(error instanceof CorruptDataError)) throw error;
    stoppedBy = error.message;
  }
  return { chunkGroups, completeEnd, sawSeparator, stoppedBy };
}

export function scanFile(path: string): ScanResult {
  const input = new FileInput(path);
  try {
    return scanChunkGroups(input);
  } finally {
    input.close();
  }
}

/**
 * A chunk's statistics: merged from its page headers, or, for a single-page chunk (whose
 * page carries none), computed by decoding the page. `rowTimes` gives an aligned value
 * chunk the times of its time chunk.
 */
export function chunkStatistics(chunk: ScannedChunk, rowTimes?: BigInt64Array): Statistics {
  const timeChunk = isTimeChunk(chunk.header.marker);
  const type = timeChunk ? DataType.VECTOR : chunk.header.dataType;
  const total = emptyStatistics(type);
  for (const page of pagesOf(chunk)) {
    if (page.header.statistics !== null) {
      mergeStatistics(total, page.header.statistics);
      continue;
    }
    if (page.header.uncompressedSize === 0) continue;
    const bytes = uncompressPage(chunk.header.compression, page.data, page.header.uncompressedSize);
    if (timeChunk) {
      const times = decodeTimes(chunk.header.encoding, bytes, 0, bytes.length);
      mergeStatistics(total, computeStatistics(DataType.VECTOR, times, 0, times.length, null));
    } else if (isValueChunk(chunk.header.marker)) {
      if (rowTimes === undefined) throw new CorruptDataError('an aligned value chunk needs its time chunk');
      // Only a single-page chunk lacks page statistics, so its rows start at the first time.
      const rows = bytes.readInt32BE(0);
      const times = rowTimes.subarray(0, rows);
      const { values, nulls } = decodeValuePage(bytes, rows, type, chunk.header.encoding);
      const present = new Uint8Array(rows).fill(1);
      const rowsWithValue = nulls === null ? Array.from({ length: rows }, (_, i) => i) : presentRows(nulls, rows);
      if (nulls !== null) for (let i = 0; i < rows; i++) present[i] = nulls[i] === 1 ? 0 : 1;
      const packed = pickRows(values, rowsWithValue);
      mergeStatistics(total, computeStatistics(type, times, 0, rows, packed, 0, present));
    } else {
      const block = decodeSeriesPage(bytes, type, chunk.header.encoding, 4);
      mergeStatistics(total, computeStatistics(type, block.times, 0, block.length, block.values));
    }
  }
  return total;
}
