// Format: tsfile/FORMAT.md — file layout, index construction and tail.
import { dataTypeName } from '../data-type.js';
import { BloomFilter } from '../format/bloom-filter.js';
import { type ChunkHeader, writeChunkHeader } from '../format/chunk-header.js';
import { type MetadataIndexNode, writeMetadataIndexNode } from '../format/metadata-index.js';
import { emptyStatistics, mergeStatistics, type Statistics } from '../format/statistics.js';
import { type ChunkMetadata, type TimeseriesMetadata, writeTimeseriesMetadata } from '../format/timeseries-metadata.js';
import { COLUMN_MASKS, MAGIC, Marker, MetadataIndexNodeType, VERSION_NUMBER } from '../format/tsfile-format.js';
import { ByteWriter } from '../io/byte-writer.js';
import { firstNotIncreasing } from '../io/int64.js';
import type { DeviceSchema } from '../read/tsfile-reader.js';
import type { Tablet } from '../tablet.js';
import { AlignedDeviceWriter } from './aligned-device-writer.js';
import type { EncodedChunk } from './encoded-chunk.js';
import { FileOutput, type TsFileOutput } from './file-output.js';
import { SeriesWriter } from './series-writer.js';
import { resolveWriterOptions, type WriterOptions } from './writer-options.js';

export interface RawChunkInput {
  readonly header: ChunkHeader;
  readonly data: Uint8Array;
  readonly statistics: Statistics;
}

/** Bad use of the writer: unknown series, wrong types, times not increasing. */
export class TsFileWriteError extends Error {
  override readonly name = 'TsFileWriteError';
}

interface SeriesIndex {
  readonly dataType: number;
  readonly mask: number;
  readonly chunks: ChunkMetadata[];
}

type DeviceWriter =
  | { readonly aligned: false; readonly series: Map<string, SeriesWriter> }
  | { readonly aligned: true; readonly writer: AlignedDeviceWriter; readonly columns: Map<string, number> };

/**
 * Streams devices' rows into a TsFile. Each series buffers one page of points; sealed
 * pages are kept compressed until the buffered bytes pass `chunkGroupBytesMax`, then every
 * device is written out as a chunk group. `close()` writes the index, the bloom filter and
 * the tail. Rows must arrive in strictly increasing time order per device.
 */
export class TsFileWriter {
  private readonly options: WriterOptions;
  private readonly devices = new Map<string, DeviceWriter>();
  /** device -> measurement -> chunk index entries, for the file index. */
  private readonly index = new Map<string, Map<string, SeriesIndex>>();
  private chunkMetadataCount = 0;
  private closed = false;
  private readonly scratch = new ByteWriter(1 << 16);

  constructor(
    private readonly out: TsFileOutput,
    options: Partial<WriterOptions> = {},
  ) {
    this.options = resolveWriterOptions(options);
    out.write(MAGIC);
    out.write(Uint8Array.of(VERSION_NUMBER));
  }

  static create(path: string, options: Partial<WriterOptions> = {}): TsFileWriter {
    return new TsFileWriter(new FileOutput(path), options);
  }

  get position(): number {
    return this.out.position;
  }

  registerDevice(schema: DeviceSchema): void {
    if (this.devices.has(schema.device)) throw new TsFileWriteError(`device ${schema.device} is already registered`);
    if (schema.aligned) {
      const writer = new AlignedDeviceWriter(schema.measurements, this.options);
      const columns = new Map(schema.measurements.map((m, i) => [m.name, i]));
      this.devices.set(schema.device, { aligned: true, writer, columns });
    } else {
      const series = new Map<string, SeriesWriter>();
      for (const m of schema.measurements) {
        series.set(m.name, new SeriesWriter(m.name, m.dataType, m.encoding, m.compression, this.options));
      }
      this.devices.set(schema.device, { aligned: false, series });
    }
  }

  /** Writes a tablet of a registered device; its rows must be in increasing time order. */
  write(tablet: Tablet): void {
    if (this.closed) throw new TsFileWriteError('writer is closed');
    const device = this.devices.get(tablet.device);
    if (device === undefined) throw new TsFileWriteError(`device ${tablet.device} is not registered`);
    if (tablet.rowCount === 0) return;
    if (device.aligned) this.writeAligned(device.writer, device.columns, tablet);
    else this.writeSeries(device.series, tablet);
    if (this.bufferedBytes() > this.options.chunkGroupBytesMax) this.flushChunkGroups();
  }

  private writeSeries(series: Map<string, SeriesWriter>, tablet: Tablet): void {
    tablet.measurements.forEach((name, j) => {
      const writer = series.get(name);
      if (writer === undefined) throw new TsFileWriteError(`${tablet.device}.${name} is not registered`);
      if (tablet.dataTypes[j] !== writer.dataType) {
        throw new TsFileWriteError(
          `${tablet.device}.${name} is ${dataTypeName(writer.dataType)}, not ${dataTypeName(tablet.dataTypes[j]!)}`,
        );
      }
      const nulls = tablet.nulls[j];
      if (nulls === null || nulls === undefined) {
        checkIncreasing(tablet, writer.lastTime, 0, tablet.rowCount, name);
        writer.write(tablet.times, tablet.columns[j]!, 0, tablet.rowCount);
        return;
      }
      // Non-aligned series have no nulls: write the runs of present rows.
      let r = 0;
      while (r < tablet.rowCount) {
        while (r < tablet.rowCount && nulls[r] === 1) r++;
        const start = r;
        while (r < tablet.rowCount && nulls[r] !== 1) r++;
        if (r > start) {
          checkIncreasing(tablet, writer.lastTime, start, r, name);
          writer.write(tablet.times, tablet.columns[j]!, start, r);
        }
      }
    });
  }

  private writeAligned(writer: AlignedDeviceWriter, columns: Map<string, number>, tablet: Tablet): void {
    const columnIndex = tablet.measurements.map((name) => {
      const i = columns.get(name);
      if (i === undefined) throw new TsFileWriteError(`${tablet.device}.${name} is not registered`);
      return i;
    });
    checkIncreasing(tablet, writer.lastTime, 0, tablet.rowCount, '');
    writer.write(tablet.times, tablet.columns, tablet.nulls, columnIndex, 0, tablet.rowCount);
  }

  private bufferedBytes(): number {
    let bytes = 0;
    for (const d of this.devices.values()) {
      if (d.aligned) bytes += d.writer.bufferedBytes;
      else for (const s of d.series.values()) bytes += s.bufferedBytes;
    }
    return bytes;
  }

  /** Writes every device's buffered data as one chunk group each. */
  flushChunkGroups(): void {
    for (const [device, d] of this.devices) {
      const chunks: EncodedChunk[] = [];
      if (d.aligned) chunks.push(...d.writer.takeChunks());
      else
        for (const s of d.series.values()) {
          const chunk = s.takeChunk();
          if (chunk !== null) chunks.push(chunk);
        }
      if (chunks.length === 0) continue;
      this.writeChunkGroupHeader(device);
      for (const chunk of chunks) this.writeChunk(device, chunk);
    }
    this.out.flush();
  }

  /**
   * Copies whole chunks as stored (header + page bytes) into a new chunk group, with their
   * statistics for the index: recovering a torn file and shipping chunks need no re-encoding.
   * Buffered rows of other devices are written first, so chunk groups never interleave.
   */
  writeRawChunkGroup(device: string, chunks: readonly RawChunkInput[]): void {
    if (this.closed) throw new TsFileWriteError('writer is closed');
    if (chunks.length === 0) return;
    this.flushChunkGroups();
    this.writeChunkGroupHeader(device);
    for (const chunk of chunks) {
      const offset = this.out.position;
      this.scratch.reset();
      writeChunkHeader(chunk.header, this.scratch);
      this.out.write(this.scratch.view());
      this.out.write(chunk.data);
      this.addToIndex(device, chunk.header.measurementId, chunk.header.dataType, chunk.header.marker & COLUMN_MASKS, {
        offsetOfChunkHeader: offset,
        statistics: chunk.statistics,
      });
    }
  }

  private writeChunkGroupHeader(device: string): void {
    this.scratch.reset();
    this.scratch.writeUInt8(Marker.CHUNK_GROUP_HEADER);
    this.scratch.writeVarString(device);
    this.out.write(this.scratch.view());
  }

  /** Appends an encoded chunk to the current position (the caller wrote its chunk group header). */
  private writeChunk(device: string, chunk: EncodedChunk): void {
    const offset = this.out.position;
    this.scratch.reset();
    chunk.serialize(this.scratch);
    this.out.write(this.scratch.view());
    this.addToIndex(device, chunk.measurementId, chunk.dataType, chunk.columnMask, {
      offsetOfChunkHeader: offset,
      statistics: chunk.statistics,
    });
  }

  private addToIndex(device: string, measurementId: string, dataType: number, mask: number, meta: ChunkMetadata): void {
    let series = this.index.get(device);
    if (series === undefined) this.index.set(device, (series = new Map()));
    let entry = series.get(measurementId);
    if (entry === undefined) {
      entry = { dataType, mask, chunks: [] };
      series.set(measurementId, entry);
    }
    entry.chunks.push(meta);
    this.chunkMetadataCount++;
  }

  /** Flushes, writes the index and the tail, and closes the output. */
  close(): void {
    if (this.closed) return;
    this.flushChunkGroups();
    this.closed = true;
    this.writeIndex();
    this.out.close();
  }

  private writeIndex(): void {
    const metaOffset = this.out.position;
    const out = new ByteWriter(1 << 16);
    const base = metaOffset;
    out.writeUInt8(Marker.SEPARATOR);
    const degree = this.options.maxDegreeOfIndexNode;
    const bloom = BloomFilter.forPaths(this.options.bloomFilterErrorRate, this.chunkMetadataCount);
    const deviceNodes = new Map<string, MetadataIndexNode>();
    const chunkListScratch = new ByteWriter(1024);
    for (const device of [...this.index.keys()].sort(javaCompare)) {
      const series = this.index.get(device)!;
      const names = [...series.keys()].sort((a, b) => javaCompare(`${device}.${a}`, `${device}.${b}`));
      const queue: MetadataIndexNode[] = [];
      let leaf: MetadataIndexNode = newNode(MetadataIndexNodeType.LEAF_MEASUREMENT);
      names.forEach((name, i) => {
        const entry = series.get(name)!;
        bloom.add(`${device}.${name}`);
        if (i % degree === 0) {
          if (leaf.children.length >= degree) {
            leaf.endOffset = base + out.length;
            queue.push(leaf);
            leaf = newNode(MetadataIndexNodeType.LEAF_MEASUREMENT);
          }
          leaf.children.push({ name, offset: base + out.length });
        }
        const statistics = emptyStatistics(entry.dataType as never);
        for (const c of entry.chunks) mergeStatistics(statistics, c.statistics);
        const meta: TimeseriesMetadata = {
          type: entry.mask & COLUMN_MASKS,
          measurementId: name,
          dataType: entry.dataType as never,
          statistics,
          chunks: entry.chunks,
        };
        writeTimeseriesMetadata(meta, out, chunkListScratch);
      });
      leaf.endOffset = base + out.length;
      queue.push(leaf);
      deviceNodes.set(device, buildRoot(queue, out, base, degree, MetadataIndexNodeType.INTERNAL_MEASUREMENT));
    }
    const root = buildDeviceLevel(deviceNodes, out, base, degree);
    const metadataStart = out.length;
    writeMetadataIndexNode(root, out);
    out.writeInt64Number(metaOffset);
    bloom.write(out);
    out.writeInt32(out.length - metadataStart);
    out.writeBytes(MAGIC);
    this.out.write(out.view());
  }
}

function newNode(nodeType: MetadataIndexNodeType): MetadataIndexNode {
  return { children: [], endOffset: -1, nodeType };
}

/** Java's String.compareTo (UTF-16 code units), which orders devices and series in the index. */
function javaCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Folds a level of nodes into parents of at most `degree` children until one is left. */
function buildRoot(
  queue: MetadataIndexNode[],
  out: ByteWriter,
  base: number,
  degree: number,
  type: MetadataIndexNodeType,
): MetadataIndexNode {
  let level = queue;
  while (level.length !== 1) {
    const parents: MetadataIndexNode[] = [];
    let current = newNode(type);
    for (const node of level) {
      if (current.children.length >= degree) {
        current.endOffset = base + out.length;
        parents.push(current);
        current = newNode(type);
      }
      current.children.push({ name: node.children[0]!.name, offset: base + out.length });
      writeMetadataIndexNode(node, out);
    }
    current.endOffset = base + out.length;
    parents.push(current);
    level = parents;
  }
  return level[0]!;
}

function buildDeviceLevel(
  deviceNodes: Map<string, MetadataIndexNode>,
  out: ByteWriter,
  base: number,
  degree: number,
): MetadataIndexNode {
  const queue: MetadataIndexNode[] = [];
  let current = newNode(MetadataIndexNodeType.LEAF_DEVICE);
  for (const [device, node] of deviceNodes) {
    if (current.children.length >= degree) {
      current.endOffset = base + out.length;
      queue.push(current);
      current = newNode(MetadataIndexNodeType.LEAF_DEVICE);
    }
    current.children.push({ name: device, offset: base + out.length });
    writeMetadataIndexNode(node, out);
  }
  current.endOffset = base + out.length;
  if (deviceNodes.size <= degree) return current;
  queue.push(current);
  const root = buildRoot(queue, out, base, degree, MetadataIndexNodeType.INTERNAL_DEVICE);
  root.endOffset = base + out.length;
  return root;
}

/** Rows [from, to) must come after `last` and after each other. */
function checkIncreasing(tablet: Tablet, last: bigint | null, from: number, to: number, name: string): void {
  if (from >= to) return;
  const bad = last !== null && tablet.times[from]! <= last ? from : firstNotIncreasing(tablet.times, from, to);
  if (bad < 0) return;
  const prev = bad === from ? last : tablet.times[bad - 1]!;
  throw new TsFileWriteError(
    `${tablet.device}${name ? `.${name}` : ''}: time ${tablet.times[bad]} is not after ${prev}; rows must be in increasing time order`,
  );
}
