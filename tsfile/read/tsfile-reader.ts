// Format: tsfile/FORMAT.md — reading a sealed file through its index.

import { pickRows, presentRows, sliceColumn } from '../column-ops.js';
import type { Compression } from '../compression-type.js';
import { type ColumnValues, DataType } from '../data-type.js';
import { Encoding } from '../encoding-type.js';
import { BloomFilter } from '../format/bloom-filter.js';
import { type ChunkHeader, hasPageStatistics, isTimeChunk, readChunkHeader } from '../format/chunk-header.js';
import { childRange, type MetadataIndexNode, readMetadataIndexNode } from '../format/metadata-index.js';
import { type PageHeader, readPageHeader } from '../format/page-header.js';
import type { Statistics } from '../format/statistics.js';
import { type ChunkMetadata, readTimeseriesMetadata, type TimeseriesMetadata } from '../format/timeseries-metadata.js';
import {
  HEAD_LENGTH,
  MAGIC,
  MetadataIndexNodeType,
  TAIL_LENGTH,
  TIME_COLUMN_MASK,
  VALUE_COLUMN_MASK,
  VERSION_NUMBER,
} from '../format/tsfile-format.js';
import { ByteReader, CorruptDataError } from '../io/byte-reader.js';
import { firstAfter, firstAtOrAfter } from '../io/time-search.js';
import type { ColumnBlock } from '../tablet.js';
import { decodeSeriesPage, decodeTimes, decodeValuePage, uncompressPage } from './page-decoder.js';
import { BufferInput, FileInput, type RandomAccessInput } from './random-access-input.js';

/** The file has a valid head but no valid tail: it was not sealed (see `scanChunkGroups`). */
export class IncompleteTsFileError extends CorruptDataError {
  override readonly name: string = 'IncompleteTsFileError';
}

export interface TimeRange {
  /** Inclusive bounds; omitted means unbounded. */
  readonly start?: bigint;
  readonly end?: bigint;
}

export interface MeasurementSchema {
  readonly name: string;
  readonly dataType: DataType;
  readonly encoding: Encoding;
  readonly compression: Compression;
}

export interface DeviceSchema {
  readonly device: string;
  readonly aligned: boolean;
  readonly measurements: MeasurementSchema[];
}

/** A chunk as stored: its header and the raw bytes of its pages, plus its index entry. */
export interface RawChunk {
  readonly device: string;
  readonly offset: number;
  readonly header: ChunkHeader;
  /** Page headers and (compressed) page data, exactly `header.dataSize` bytes. */
  readonly data: Buffer;
  readonly statistics: Statistics;
}

/** Rows of an aligned device: one time column, and per requested measurement a column. */
export interface AlignedBlock {
  readonly times: BigInt64Array;
  readonly columns: readonly { readonly values: ColumnValues; readonly nulls: Uint8Array | null }[];
  readonly length: number;
}

export interface ReaderOptions {
  /** Time column encoding of non-aligned pages (IoTDB's `time_encoder`); the file does not record it. */
  readonly timeEncoding?: Encoding;
}

function overlaps(s: Statistics, range: TimeRange): boolean {
  return (
    (range.start === undefined || s.endTime >= range.start) && (range.end === undefined || s.startTime <= range.end)
  );
}

export class TsFileReader {
  readonly metaOffset: number;
  readonly bloomFilter: BloomFilter | null;
  private readonly root: MetadataIndexNode;
  private readonly timeEncoding: Encoding;
  private deviceIndex: Map<string, [number, number]> | null = null;
  private readonly seriesCache = new Map<string, TimeseriesMetadata[]>();

  private constructor(
    private readonly input: RandomAccessInput,
    options: ReaderOptions,
  ) {
    this.timeEncoding = options.timeEncoding ?? Encoding.TS_2DIFF;
    checkHead(input);
    if (input.size < HEAD_LENGTH + TAIL_LENGTH + 1)
      throw new IncompleteTsFileError('file has no tail: it was not sealed');
    const tail = input.read(input.size - TAIL_LENGTH, TAIL_LENGTH);
    if (!tail.subarray(4).equals(MAGIC))
      throw new IncompleteTsFileError('file does not end with the TsFile magic: it was not sealed');
    const metadataSize = tail.readInt32BE(0);
    const metadataStart = input.size - TAIL_LENGTH - metadataSize;
    if (metadataSize <= 0 || metadataStart < HEAD_LENGTH) {
      throw new CorruptDataError(`file metadata size ${metadataSize} does not fit the file (${input.size} bytes)`);
    }
    const r = new ByteReader(input.read(metadataStart, metadataSize));
    this.root = readMetadataIndexNode(r);
    this.metaOffset = r.readInt64Number();
    if (this.metaOffset < HEAD_LENGTH || this.metaOffset > metadataStart) {
      throw new CorruptDataError(`metadata offset ${this.metaOffset} is outside the file`);
    }
    this.bloomFilter = r.hasRemaining() ? BloomFilter.read(r) : null;
  }

  static open(path: string, options: ReaderOptions = {}): TsFileReader {
    const input = new FileInput(path);
    try {
      return new TsFileReader(input, options);
    } catch (error) {
      input.close();
      throw error;
    }
  }

  static fromBuffer(bytes: Buffer, options: ReaderOptions = {}): TsFileReader {
    return new TsFileReader(new BufferInput(bytes), options);
  }

  close(): void {
    this.input.close();
  }

  /** Devices in index order (Java string order). */
  devices(): string[] {
    return [...this.devicesIndex().keys()];
  }

  hasDevice(device: string): boolean {
    return this.devicesIndex().has(device);
  }

  /** Every series of a device, in index order; an aligned device's time column has id ''. */
  timeseries(device: string): TimeseriesMetadata[] {
    const cached = this.seriesCache.get(device);
    if (cached !== undefined) return cached;
    const range = this.devicesIndex().get(device);
    if (range === undefined) return [];
    const list: TimeseriesMetadata[] = [];
    this.collectMeasurements(range[0], range[1], list, 0);
    this.seriesCache.set(device, list);
    return list;
  }

  isAligned(device: string): boolean {
    return this.timeseries(device).some((m) => (m.type & TIME_COLUMN_MASK) !== 0);
  }

  /** Types from the index, encodings and compressions from each series' first chunk header. */
  schema(): DeviceSchema[] {
    return this.devices().map((device) => {
      const series = this.timeseries(device);
      const measurements = series
        .filter((m) => (m.type & TIME_COLUMN_MASK) === 0 && m.chunks.length > 0)
        .map((m) => {
          const header = this.readChunkHeaderAt(m.chunks[0]!.offsetOfChunkHeader);
          return {
            name: m.measurementId,
            dataType: m.dataType,
            encoding: header.encoding,
            compression: header.compression,
          };
        });
      return { device, aligned: this.isAligned(device), measurements };
    });
  }

  readChunkHeaderAt(offset: number): ChunkHeader {
    return this.chunkHeaderAt(offset).header;
  }

  readRawChunk(device: string, meta: ChunkMetadata): RawChunk {
    const offset = meta.offsetOfChunkHeader;
    const { header, length } = this.chunkHeaderAt(offset);
    const data = this.input.read(offset + length, header.dataSize);
    return { device, offset, header, data, statistics: meta.statistics };
  }

  /** The chunk header at `offset` and its size in bytes. */
  private chunkHeaderAt(offset: number): { header: ChunkHeader; length: number } {
    if (offset < 0 || offset >= this.input.size)
      throw new CorruptDataError(`chunk offset ${offset} is outside the file`);
    const probe = Math.min(this.input.size - offset, 1024);
    let r = new ByteReader(this.input.read(offset, probe));
    try {
      return { header: readChunkHeader(r), length: r.pos };
    } catch (error) {
      if (probe < 1024 || !(error instanceof CorruptDataError)) throw error;
      // A measurement id longer than the first read: read up to 1 MiB.
      r = new ByteReader(this.input.read(offset, Math.min(this.input.size - offset, 1 << 20)));
      return { header: readChunkHeader(r), length: r.pos };
    }
  }

  /** Every chunk of the file (or of one device), series by series in index order. */
  *chunks(device?: string): Generator<RawChunk> {
    for (const d of device === undefined ? this.devices() : [device]) {
      for (const m of this.timeseries(d)) for (const c of m.chunks) yield this.readRawChunk(d, c);
    }
  }

  /** Points of a non-aligned series, or of one measurement of an aligned device (nulls dropped). */
  *readSeries(device: string, measurement: string, range: TimeRange = {}): Generator<ColumnBlock> {
    const series = this.timeseries(device);
    const meta = series.find((m) => m.measurementId === measurement && (m.type & TIME_COLUMN_MASK) === 0);
    if (meta === undefined) return;
    if ((meta.type & VALUE_COLUMN_MASK) !== 0) {
      for (const block of this.readAligned(device, [measurement], range)) {
        const column = block.columns[0]!;
        yield dropNulls(block.times, column.values, column.nulls);
      }
      return;
    }
    for (const c of meta.chunks) {
      if (!overlaps(c.statistics, range)) continue;
      const chunk = this.readRawChunk(device, c);
      for (const page of pagesOf(chunk)) {
        if (page.header.statistics !== null && !overlaps(page.header.statistics, range)) continue;
        const bytes = uncompressPage(chunk.header.compression, page.data, page.header.uncompressedSize);
        const block = decodeSeriesPage(bytes, chunk.header.dataType, chunk.header.encoding, this.timeEncoding);
        const clipped = clip(block, range);
        if (clipped.length > 0) yield clipped;
      }
    }
  }

  /** Rows of an aligned device for the given measurements (default: all), page by page. */
  *readAligned(device: string, measurements?: readonly string[], range: TimeRange = {}): Generator<AlignedBlock> {
    const series = this.timeseries(device);
    const timeMeta = series.find((m) => (m.type & TIME_COLUMN_MASK) !== 0);
    if (timeMeta === undefined) return;
    const names = measurements ?? series.filter((m) => (m.type & VALUE_COLUMN_MASK) !== 0).map((m) => m.measurementId);
    const valueMetas = names.map((n) =>
      series.find((m) => m.measurementId === n && (m.type & VALUE_COLUMN_MASK) !== 0),
    );
    for (let ci = 0; ci < timeMeta.chunks.length; ci++) {
      const timeChunkMeta = timeMeta.chunks[ci]!;
      if (!overlaps(timeChunkMeta.statistics, range)) continue;
      const timeChunk = this.readRawChunk(device, timeChunkMeta);
      const timePages = [...pagesOf(timeChunk)];
      // A value chunk belongs to the time chunk it follows in the same chunk group.
      const groupEnd = timeMeta.chunks[ci + 1]?.offsetOfChunkHeader ?? this.metaOffset;
      const valuePages = valueMetas.map((vm) => {
        const meta = vm?.chunks.find(
          (c) => c.offsetOfChunkHeader > timeChunkMeta.offsetOfChunkHeader && c.offsetOfChunkHeader < groupEnd,
        );
        if (meta === undefined) return null;
        const chunk = this.readRawChunk(device, meta);
        return { chunk, pages: [...pagesOf(chunk)] };
      });
      for (let p = 0; p < timePages.length; p++) {
        const tp = timePages[p]!;
        if (tp.header.statistics !== null && !overlaps(tp.header.statistics, range)) continue;
        const timeBytes = uncompressPage(timeChunk.header.compression, tp.data, tp.header.uncompressedSize);
        const times = decodeTimes(timeChunk.header.encoding, timeBytes, 0, timeBytes.length);
        const columns = valuePages.map((vp, j) => {
          const type = valueMetas[j]?.dataType ?? DataType.INT32;
          const page = vp?.pages[p];
          if (vp === null || page === undefined || page.header.uncompressedSize === 0) {
            return decodeValuePage(null, times.length, type, Encoding.PLAIN);
          }
          const bytes = uncompressPage(vp.chunk.header.compression, page.data, page.header.uncompressedSize);
          return decodeValuePage(bytes, times.length, vp.chunk.header.dataType, vp.chunk.header.encoding);
        });
        const block = clipAligned({ times, columns, length: times.length }, range);
        if (block.length > 0) yield block;
      }
    }
  }

  private devicesIndex(): Map<string, [number, number]> {
    if (this.deviceIndex === null) {
      const index = new Map<string, [number, number]>();
      this.collectDevices(this.root, index, 0);
      this.deviceIndex = index;
    }
    return this.deviceIndex;
  }

  private collectDevices(node: MetadataIndexNode, out: Map<string, [number, number]>, depth: number): void {
    if (depth > 64) throw new CorruptDataError('metadata index is too deep');
    for (let i = 0; i < node.children.length; i++) {
      const [start, end] = childRange(node, i);
      if (node.nodeType === MetadataIndexNodeType.LEAF_DEVICE) {
        out.set(node.children[i]!.name, [start, end]);
      } else if (node.nodeType === MetadataIndexNodeType.INTERNAL_DEVICE) {
        this.collectDevices(readMetadataIndexNode(this.readIndexRange(start, end)), out, depth + 1);
      } else {
        throw new CorruptDataError(`device index holds a node of type ${node.nodeType}`);
      }
    }
  }

  private collectMeasurements(start: number, end: number, out: TimeseriesMetadata[], depth: number): void {
    if (depth > 64) throw new CorruptDataError('metadata index is too deep');
    const node = readMetadataIndexNode(this.readIndexRange(start, end));
    for (let i = 0; i < node.children.length; i++) {
      const [s, e] = childRange(node, i);
      if (node.nodeType === MetadataIndexNodeType.LEAF_MEASUREMENT) {
        const r = this.readIndexRange(s, e);
        while (r.hasRemaining()) out.push(readTimeseriesMetadata(r));
      } else if (node.nodeType === MetadataIndexNodeType.INTERNAL_MEASUREMENT) {
        this.collectMeasurements(s, e, out, depth + 1);
      } else {
        throw new CorruptDataError(`measurement index holds a node of type ${node.nodeType}`);
      }
    }
  }

  private readIndexRange(start: number, end: number): ByteReader {
    if (start < this.metaOffset || end > this.input.size - TAIL_LENGTH || end < start) {
      throw new CorruptDataError(`index range ${start}..${end} is outside the index area`);
    }
    return new ByteReader(this.input.read(start, end - start));
  }
}

export function checkHead(input: RandomAccessInput): void {
  if (input.size < HEAD_LENGTH) throw new CorruptDataError(`not a TsFile: ${input.size} bytes`);
  const head = input.read(0, HEAD_LENGTH);
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new CorruptDataError('not a TsFile: bad magic');
  if (head[MAGIC.length] !== VERSION_NUMBER) {
    throw new CorruptDataError(`unsupported TsFile version ${head[MAGIC.length]} (expected ${VERSION_NUMBER})`);
  }
}

export interface RawPage {
  readonly header: PageHeader;
  readonly data: Buffer;
}

/** Splits a chunk's bytes into pages without decompressing them. */
export function* pagesOf(chunk: { readonly header: ChunkHeader; readonly data: Buffer }): Generator<RawPage> {
  const r = new ByteReader(chunk.data);
  const withStatistics = hasPageStatistics(chunk.header.marker);
  const type = isTimeChunk(chunk.header.marker) ? DataType.VECTOR : chunk.header.dataType;
  while (r.hasRemaining()) {
    const header = readPageHeader(r, type, withStatistics);
    yield { header, data: r.readBytes(header.compressedSize) };
  }
}

function clip(block: ColumnBlock, range: TimeRange): ColumnBlock {
  const [from, to] = clipBounds(block.times, range);
  if (from === 0 && to === block.length) return block;
  return {
    times: block.times.slice(from, to),
    values: sliceColumn(block.values, from, to),
    nulls: block.nulls?.slice(from, to) ?? null,
    length: to - from,
  };
}

function clipAligned(block: AlignedBlock, range: TimeRange): AlignedBlock {
  const [from, to] = clipBounds(block.times, range);
  if (from === 0 && to === block.length) return block;
  return {
    times: block.times.slice(from, to),
    columns: block.columns.map((c) => ({
      values: sliceColumn(c.values, from, to),
      nulls: c.nulls?.slice(from, to) ?? null,
    })),
    length: to - from,
  };
}

function clipBounds(times: BigInt64Array, range: TimeRange): [number, number] {
  const from = range.start === undefined ? 0 : firstAtOrAfter(times, range.start);
  const to = range.end === undefined ? times.length : firstAfter(times, range.end, from);
  return [from, to];
}

function dropNulls(times: BigInt64Array, values: ColumnValues, nulls: Uint8Array | null): ColumnBlock {
  if (nulls === null) return { times, values, nulls: null, length: times.length };
  const keep = presentRows(nulls, times.length);
  return {
    times: pickRows(times, keep) as BigInt64Array,
    values: pickRows(values, keep),
    nulls: null,
    length: keep.length,
  };
}
