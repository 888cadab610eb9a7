// Format: tsfile/FORMAT.md § Page (non-aligned)

import { copyColumn } from '../column-ops.js';
import type { Compression } from '../compression-type.js';
import { allocateColumn, type ColumnValues, type DataType } from '../data-type.js';
import { codecFor, valueCodecFor } from '../encoding/registry.js';
import type { ColumnByKind, ReferencePageSize, ValueCodec } from '../encoding/value-codec.js';
import type { Encoding } from '../encoding-type.js';
import { computeStatistics } from '../format/statistics.js';
import { ByteWriter } from '../io/byte-writer.js';
import { EncodedChunk } from './encoded-chunk.js';
import { PageSizer } from './page-sizer.js';
import type { WriterOptions } from './writer-options.js';

type AnyCodec = ValueCodec<ColumnValues>;

/**
 * Buffers one page of a non-aligned series in typed arrays, encodes it when full (time
 * column, then values, behind a varint of the time bytes' length) and hands the page to
 * the current chunk. Memory is one page of points plus the chunk's compressed pages.
 */
export class SeriesWriter {
  private readonly times: BigInt64Array;
  private readonly values: ColumnValues;
  private count = 0;
  private chunk: EncodedChunk;
  private readonly timeCodec: ValueCodec<ColumnByKind['int64']>;
  private readonly valueCodec: AnyCodec;
  private readonly sizer: PageSizer;
  private readonly timeOut = new ByteWriter(64 * 1024);
  private readonly valueOut = new ByteWriter(128 * 1024);
  private readonly pageOut = new ByteWriter(192 * 1024);
  lastTime: bigint | null = null;

  constructor(
    readonly measurementId: string,
    readonly dataType: DataType,
    readonly encoding: Encoding,
    readonly compression: Compression,
    options: WriterOptions,
  ) {
    this.times = new BigInt64Array(options.maxPointsInPage);
    this.values = allocateColumn(dataType, options.maxPointsInPage);
    this.timeCodec = codecFor(options.timeEncoding, 'int64', options.encoding);
    this.valueCodec = valueCodecFor(encoding, dataType, options.encoding) as AnyCodec;
    const timeSize = this.timeCodec.referenceSize;
    const valueSize = this.valueCodec.referenceSize;
    const reference =
      timeSize === undefined || valueSize === undefined || !valueSize.readBackDependsOnPages
        ? null
        : (count: number) => this.referenceEstimate(count, timeSize, valueSize);
    this.sizer = new PageSizer(options.pageSizeBytes, options.maxPointsInPage, reference);
    this.chunk = this.newChunk();
  }

  get bufferedBytes(): number {
    return this.chunk.byteSize + this.count * 16;
  }

  get hasData(): boolean {
    return this.count > 0 || this.chunk.pointCount > 0;
  }

  /** Appends rows [from, to) whose times are strictly increasing and after `lastTime`. */
  write(times: BigInt64Array, values: ColumnValues, from: number, to: number): void {
    let i = from;
    while (i < to) {
      const n = Math.min(to - i, this.sizer.room(this.count));
      this.times.set(times.subarray(i, i + n), this.count);
      copyColumn(values, i, i + n, this.values, this.count);
      this.count += n;
      i += n;
      if (this.sizer.isFull(this.count, () => this.encodePage())) this.sealPage();
    }
    this.lastTime = times[to - 1]!;
  }

  /** Seals the open page and returns the chunk (null when empty); a new chunk starts. */
  takeChunk(): EncodedChunk | null {
    if (this.count > 0) this.sealPage();
    if (this.chunk.pointCount === 0) return null;
    const chunk = this.chunk;
    this.chunk = this.newChunk();
    this.sizer.newChunk();
    return chunk;
  }

  /** The page size the reference writer sees after `count` points (see `ReferencePageSize`). */
  private referenceEstimate(count: number, time: ReferencePageSize, value: ReferencePageSize): number {
    this.timeOut.reset();
    this.valueOut.reset();
    this.timeCodec.encode(this.times, 0, time.flushedValues(count), this.timeOut);
    this.valueCodec.encode(this.values, 0, value.flushedValues(count), this.valueOut);
    return this.timeOut.length + this.valueOut.length + time.heldBytesMax(count) + value.heldBytesMax(count);
  }

  private newChunk(): EncodedChunk {
    return new EncodedChunk(this.measurementId, this.dataType, this.encoding, this.compression, 0);
  }

  /** Encodes the buffered page into `pageOut`; returns its size. */
  private encodePage(): number {
    this.timeOut.reset();
    this.valueOut.reset();
    this.pageOut.reset();
    this.timeCodec.encode(this.times, 0, this.count, this.timeOut);
    this.valueCodec.encode(this.values, 0, this.count, this.valueOut);
    this.pageOut.writeVarUInt(this.timeOut.length);
    this.pageOut.writeBytes(this.timeOut.view());
    this.pageOut.writeBytes(this.valueOut.view());
    return this.pageOut.length;
  }

  private sealPage(): void {
    const size = this.encodePage();
    const statistics = computeStatistics(this.dataType, this.times, 0, this.count, this.values);
    this.chunk.addPage(this.pageOut.view(), statistics);
    this.sizer.sealed(this.count, size);
    if (Array.isArray(this.values)) this.values.fill(EMPTY, 0, this.count);
    this.count = 0;
  }
}

const EMPTY = new Uint8Array(0);
