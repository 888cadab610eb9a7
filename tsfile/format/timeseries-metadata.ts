// Format: tsfile/FORMAT.md § Timeseries metadata
import type { DataType } from '../data-type.js';
import { ByteReader, CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { readStatistics, type Statistics, writeStatistics } from './statistics.js';
import { COLUMN_MASKS } from './tsfile-format.js';

export interface ChunkMetadata {
  readonly offsetOfChunkHeader: number;
  readonly statistics: Statistics;
}

/**
 * One series' entry in the index area. The type byte's low bits say whether each chunk
 * metadata carries its own statistics (more than one chunk) and its high bits whether
 * the series is an aligned time (0x80) or value (0x40) column.
 */
export interface TimeseriesMetadata {
  readonly type: number;
  readonly measurementId: string;
  readonly dataType: DataType;
  readonly statistics: Statistics;
  readonly chunks: readonly ChunkMetadata[];
}

export function columnMaskOf(m: TimeseriesMetadata): number {
  return m.type & COLUMN_MASKS;
}

export function writeTimeseriesMetadata(m: TimeseriesMetadata, out: ByteWriter, scratch: ByteWriter): void {
  const withChunkStatistics = m.chunks.length > 1;
  scratch.reset();
  for (const c of m.chunks) {
    scratch.writeInt64Number(c.offsetOfChunkHeader);
    if (withChunkStatistics) writeStatistics(c.statistics, scratch);
  }
  out.writeUInt8((withChunkStatistics ? 1 : 0) | (m.type & COLUMN_MASKS));
  out.writeVarString(m.measurementId);
  out.writeUInt8(m.dataType);
  out.writeVarUInt(scratch.length);
  writeStatistics(m.statistics, out);
  out.writeBytes(scratch.view());
}

export function readTimeseriesMetadata(r: ByteReader): TimeseriesMetadata {
  const type = r.readUInt8();
  const measurementId = r.readVarString();
  const dataType = r.readUInt8() as DataType;
  const listSize = r.readVarUInt();
  const statistics = readStatistics(r, dataType);
  if (listSize > r.remaining)
    throw new CorruptDataError(`chunk metadata list of ${listSize} bytes runs past the index`);
  const list = new ByteReader(r.buf, r.pos, r.pos + listSize);
  r.skip(listSize);
  const chunks: ChunkMetadata[] = [];
  const withChunkStatistics = (type & ~COLUMN_MASKS) !== 0;
  while (list.hasRemaining()) {
    const offsetOfChunkHeader = list.readInt64Number();
    if (offsetOfChunkHeader < 0) throw new CorruptDataError(`negative chunk offset ${offsetOfChunkHeader}`);
    chunks.push({
      offsetOfChunkHeader,
      statistics: withChunkStatistics ? readStatistics(list, dataType) : statistics,
    });
  }
  return { type, measurementId, dataType, statistics, chunks };
}
