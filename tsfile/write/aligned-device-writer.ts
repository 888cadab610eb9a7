// Format: tsfile/FORMAT.md § Aligned devices

import { copyColumn } from '../column-ops.js';
import type { Compression } from '../compression-type.js';
import { allocateColumn, type ColumnValues, DataType } from '../data-type.js';
import { codecFor, valueCodecFor } from '../encoding/registry.js';
import type { ColumnByKind, ValueCodec } from '../encoding/value-codec.js';
import type { Encoding } from '../encoding-type.js';
import { computeStatistics } from '../format/statistics.js';
import { TIME_COLUMN_MASK, VALUE_COLUMN_MASK } from '../format/tsfile-format.js';
import { ByteWriter } from '../io/byte-writer.js';
import { AlignedPageChecks, type AlignedPageProbe } from './aligned-page-checks.js';
import { EncodedChunk } from './encoded-chunk.js';
import { PageSizer } from './page-sizer.js';
import type { WriterOptions } from './writer-options.js';

export interface AlignedColumnSchema {
  readonly name: string;
  readonly dataType: DataType;
  readonly encoding: Encoding;
  readonly compression: Compression;
}

interface ValueColumn {
  readonly schema: AlignedColumnSchema;
  readonly codec: ValueCodec<ColumnValues>;
  /** Row-aligned buffer for the open page. */
  readonly values: ColumnValues;
  /** 1 = a value is present in that row of the open page. */
  readonly present: Uint8Array;
  /** The present values of the open page, packed, for encoding. */
  readonly packed: ColumnValues;
  /** How many rows of the open page have a value. */
  presentCount: number;
  chunk: EncodedChunk;
}

/**
 * An aligned device: one time column (chunk type VECTOR) and value columns whose pages
 * start and end on the same rows. A value page is an int32 row count, a bitmap of present
 * rows (most significant bit first) and the present values only.
 */
export class AlignedDeviceWriter {
  private readonly times: BigInt64Array;
  private count = 0;
  private timeChunk: EncodedChunk;
  private readonly columns: ValueColumn[];
  private readonly timeCodec: ValueCodec<ColumnByKind['int64']>;
  private readonly sizer: PageSizer;
  private readonly checks: AlignedPageChecks | null;
  private readonly probe: AlignedPageProbe;
  private readonly out = new ByteWriter(128 * 1024);
  lastTime: bigint | null = null;

  constructor(
    schemas: readonly AlignedColumnSchema[],
    private readonly options: WriterOptions,
  ) {
    const n = options.maxPointsInPage;
    this.times = new BigInt64Array(n);
    this.timeCodec = codecFor(options.timeEncoding, 'int64', options.encoding);
    this.timeChunk = this.newTimeChunk();
    this.columns = schemas.map((schema) => ({
      schema,
      codec: valueCodecFor(schema.encoding, schema.dataType, options.encoding) as ValueCodec<ColumnValues>,
      values: allocateColumn(schema.dataType, n),
      present: new Uint8Array(n),
      packed: allocateColumn(schema.dataType, n),
      presentCount: 0,
      chunk: newValueChunk(schema),
    }));
    // A column whose encoder alone claims more than a page (RLBE) makes the reference end
    // every page at its first size check; other aligned pages are sized by measurement.
    const claimsPage = this.columns.some((c) => (c.codec.referenceSize?.heldBytesMax(0) ?? 0) > options.pageSizeBytes);
    this.sizer = new PageSizer(
      options.pageSizeBytes,
      options.maxPointsInPage,
      claimsPage ? () => Number.POSITIVE_INFINITY : null,
    );
    // Where every encoding models the reference's size accounting and some column's values
    // depend on where pages end (RLBE, SPRINTZ), pages end exactly where the reference's do.
    const exact =
      this.timeCodec.referenceSize !== undefined &&
      this.columns.every((c) => c.codec.referenceSize !== undefined) &&
      this.columns.some((c) => c.codec.referenceSize?.readBackDependsOnPages === true);
    this.checks = exact ? new AlignedPageChecks(options.pageSizeBytes, n, this.columns.length) : null;
    this.probe = {
      present: (j) => this.columns[j]!.presentCount,
      timeSize: (rows) => {
        const model = this.timeCodec.referenceSize!;
        this.out.reset();
        this.timeCodec.encode(this.times, 0, model.flushedValues(rows), this.out);
        return this.out.length + model.heldBytesMax(rows);
      },
      valueSize: (j, rows, present) => {
        const c = this.columns[j]!;
        const model = c.codec.referenceSize!;
        const flushed = model.flushedValues(present);
        this.packPresent(c, flushed);
        this.out.reset();
        c.codec.encode(c.packed, 0, flushed, this.out);
        // int32 row count, the bitmap bytes written so far and one more, values, what the encoder holds
        return 4 + Math.floor(rows / 8) + 1 + this.out.length + model.heldBytesMax(present);
      },
    };
  }

  get columnNames(): string[] {
    return this.columns.map((c) => c.schema.name);
  }

  get bufferedBytes(): number {
    let bytes = this.timeChunk.byteSize + this.count * 8;
    for (const c of this.columns) bytes += c.chunk.byteSize + this.count * 8;
    return bytes;
  }

  /**
   * Appends rows [from, to). `columnIndex[j]` is the position in this device's columns of
   * the tablet's column j; columns the tablet lacks are null in these rows.
   */
  write(
    times: BigInt64Array,
    values: readonly ColumnValues[],
    nulls: readonly (Uint8Array | null)[],
    columnIndex: readonly number[],
    from: number,
    to: number,
  ): void {
    let i = from;
    while (i < to) {
      const room = this.checks === null ? this.sizer.room(this.count) : this.checks.room(this.count, this.probe);
      const n = Math.min(to - i, room);
      this.times.set(times.subarray(i, i + n), this.count);
      for (const c of this.columns) c.present.fill(0, this.count, this.count + n);
      for (let j = 0; j < columnIndex.length; j++) {
        const c = this.columns[columnIndex[j]!]!;
        copyColumn(values[j]!, i, i + n, c.values, this.count);
        const rowNulls = nulls[j];
        for (let k = 0; k < n; k++) c.present[this.count + k] = rowNulls?.[i + k] === 1 ? 0 : 1;
      }
      for (const c of this.columns) for (let k = 0; k < n; k++) c.presentCount += c.present[this.count + k]!;
      this.count += n;
      i += n;
      const full =
        this.checks === null
          ? this.sizer.isFull(this.count, () => this.encodeAll())
          : this.checks.isFull(this.count, this.probe);
      if (full) this.sealPage();
    }
    this.lastTime = times[to - 1]!;
  }

  /** Seals the open page; returns the time chunk and the non-empty value chunks. */
  takeChunks(): EncodedChunk[] {
    if (this.count > 0) this.sealPage();
    if (this.timeChunk.pointCount === 0) return [];
    const chunks = [this.timeChunk];
    this.timeChunk = this.newTimeChunk();
    this.sizer.newChunk();
    this.checks?.newChunk();
    // Every column gets a chunk, an all-null one too (header only), as the reference
    // writes: readers pair value chunks with time chunks by position.
    for (const c of this.columns) {
      chunks.push(c.chunk);
      c.chunk = newValueChunk(c.schema);
    }
    return chunks;
  }

  private newTimeChunk(): EncodedChunk {
    return new EncodedChunk(
      '',
      DataType.VECTOR,
      this.options.timeEncoding,
      this.options.timeCompression,
      TIME_COLUMN_MASK,
    );
  }

  private encodeAll(): number {
    let size = this.encodeTimes();
    for (const c of this.columns) size += this.encodeColumn(c);
    return size;
  }

  private encodeTimes(): number {
    this.out.reset();
    this.timeCodec.encode(this.times, 0, this.count, this.out);
    return this.out.length;
  }

  /** Packs the column's first `want` present values (all by default) into `packed`; returns how many. */
  private packPresent(c: ValueColumn, want = Number.POSITIVE_INFINITY): number {
    let present = 0;
    for (let r = 0; r < this.count && present < want; r++) {
      if (c.present[r] === 1) copyColumn(c.values, r, r + 1, c.packed, present++);
    }
    return present;
  }

  /** Encodes a value page into `out`; returns the number of present values. */
  private encodeColumn(c: ValueColumn): number {
    const present = this.packPresent(c);
    this.out.reset();
    this.out.writeInt32(this.count);
    for (let b = 0; b < this.count; b += 8) {
      let mask = 0;
      for (let k = 0; k < 8 && b + k < this.count; k++) if (c.present[b + k] === 1) mask |= 0x80 >>> k;
      this.out.writeUInt8(mask);
    }
    c.codec.encode(c.packed, 0, present, this.out);
    return present;
  }

  private sealPage(): void {
    let size = this.encodeTimes();
    this.timeChunk.addPage(this.out.view(), computeStatistics(DataType.VECTOR, this.times, 0, this.count, null));
    for (const c of this.columns) {
      const present = this.encodeColumn(c);
      size += this.out.length;
      if (present === 0) {
        c.chunk.addEmptyPage(c.schema.dataType);
      } else {
        const stats = computeStatistics(c.schema.dataType, this.times, 0, this.count, c.packed, 0, c.present);
        c.chunk.addPage(this.out.view(), stats);
      }
      if (Array.isArray(c.values)) c.values.fill(EMPTY, 0, this.count);
      c.presentCount = 0;
    }
    this.sizer.sealed(this.count, size);
    this.count = 0;
  }
}

const EMPTY = new Uint8Array(0);

function newValueChunk(schema: AlignedColumnSchema): EncodedChunk {
  return new EncodedChunk(schema.name, schema.dataType, schema.encoding, schema.compression, VALUE_COLUMN_MASK);
}
