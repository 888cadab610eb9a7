// Format: tsfile/FORMAT.md § Chunk
import type { Compression } from '../compression-type.js';
import type { DataType } from '../data-type.js';
import type { Encoding } from '../encoding-type.js';
import { type ByteReader, CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { COLUMN_MASKS, Marker, TIME_COLUMN_MASK, VALUE_COLUMN_MASK } from './tsfile-format.js';

export interface ChunkHeader {
  /** The marker byte: CHUNK_HEADER or ONLY_ONE_PAGE_CHUNK_HEADER, or-ed with a column mask. */
  readonly marker: number;
  readonly measurementId: string;
  /** Bytes of all page headers and page data that follow the header. */
  readonly dataSize: number;
  readonly dataType: DataType;
  readonly compression: Compression;
  readonly encoding: Encoding;
}

export function isChunkMarker(marker: number): boolean {
  const base = marker & ~COLUMN_MASKS;
  return base === Marker.CHUNK_HEADER || base === Marker.ONLY_ONE_PAGE_CHUNK_HEADER;
}

/** Single-page chunks omit the page statistics (the chunk's stand for them). */
export function hasPageStatistics(marker: number): boolean {
  return (marker & ~COLUMN_MASKS) === Marker.CHUNK_HEADER;
}

export function isTimeChunk(marker: number): boolean {
  return (marker & TIME_COLUMN_MASK) !== 0;
}

export function isValueChunk(marker: number): boolean {
  return (marker & VALUE_COLUMN_MASK) !== 0;
}

export function chunkMarker(numOfPages: number, columnMask: number): number {
  return (numOfPages <= 1 ? Marker.ONLY_ONE_PAGE_CHUNK_HEADER : Marker.CHUNK_HEADER) | columnMask;
}

export function writeChunkHeader(h: ChunkHeader, out: ByteWriter): void {
  out.writeUInt8(h.marker);
  out.writeVarString(h.measurementId);
  out.writeVarUInt(h.dataSize);
  out.writeUInt8(h.dataType);
  out.writeUInt8(h.compression);
  out.writeUInt8(h.encoding);
}

/** Reads a header whose marker byte has already been consumed. */
export function readChunkHeaderAfterMarker(r: ByteReader, marker: number): ChunkHeader {
  const measurementId = r.readVarString();
  const dataSize = r.readVarUInt();
  const dataType = r.readUInt8() as DataType;
  const compression = r.readUInt8() as Compression;
  const encoding = r.readUInt8() as Encoding;
  if (dataSize > 0x7fffffff) throw new CorruptDataError(`chunk data size ${dataSize} is not valid`);
  return { marker, measurementId, dataSize, dataType, compression, encoding };
}

export function readChunkHeader(r: ByteReader): ChunkHeader {
  const marker = r.readUInt8();
  if (!isChunkMarker(marker)) throw new CorruptDataError(`expected a chunk header, found marker ${marker}`);
  return readChunkHeaderAfterMarker(r, marker);
}
