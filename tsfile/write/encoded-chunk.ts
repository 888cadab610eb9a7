// Format: tsfile/FORMAT.md § Chunk, § Page
import { compressorFor } from '../../native/index.js';
import type { Compression } from '../compression-type.js';
import type { DataType } from '../data-type.js';
import type { Encoding } from '../encoding-type.js';
import { chunkMarker, writeChunkHeader } from '../format/chunk-header.js';
import { writePageHeader } from '../format/page-header.js';
import { emptyStatistics, mergeStatistics, type Statistics } from '../format/statistics.js';
import { ByteWriter } from '../io/byte-writer.js';

export interface EncodedPage {
  readonly uncompressedSize: number;
  /** Compressed page bytes; empty for an all-null aligned value page. */
  readonly data: Buffer;
  readonly statistics: Statistics;
}

/**
 * The pages of one chunk, held until the chunk group is written. Page headers get their
 * statistics only when the chunk ends with more than one page, which is why pages are kept
 * apart rather than written as they are sealed.
 */
export class EncodedChunk {
  readonly pages: EncodedPage[] = [];
  readonly statistics: Statistics;
  private bytes = 0;

  constructor(
    readonly measurementId: string,
    readonly dataType: DataType,
    readonly encoding: Encoding,
    readonly compression: Compression,
    readonly columnMask: number,
  ) {
    this.statistics = emptyStatistics(dataType);
  }

  get byteSize(): number {
    return this.bytes;
  }

  get pointCount(): number {
    return this.statistics.count;
  }

  /** Compresses and keeps one page of uncompressed bytes. */
  addPage(uncompressed: Buffer, statistics: Statistics): void {
    const compressed = compressorFor(this.compression).compress(uncompressed);
    const data = compressed.buffer === uncompressed.buffer ? Buffer.from(compressed) : compressed;
    this.pages.push({ uncompressedSize: uncompressed.length, data, statistics });
    mergeStatistics(this.statistics, statistics);
    this.bytes += data.length + 64;
  }

  /** An aligned value page without any value. */
  addEmptyPage(dataType: DataType): void {
    this.pages.push({ uncompressedSize: 0, data: Buffer.alloc(0), statistics: emptyStatistics(dataType) });
    this.bytes += 1;
  }

  /** Header + pages, ready to append to the file; a chunk without points is a header only. */
  serialize(out: ByteWriter): void {
    // A chunk without points (an all-null aligned column) keeps no pages, not even empty ones.
    const pages = this.statistics.count === 0 ? [] : this.pages;
    const withStatistics = pages.length > 1;
    const body = new ByteWriter(this.bytes + 16);
    for (const page of pages) {
      writePageHeader(
        {
          uncompressedSize: page.uncompressedSize,
          compressedSize: page.data.length,
          statistics: withStatistics ? page.statistics : null,
        },
        body,
      );
      body.writeBytes(page.data);
    }
    writeChunkHeader(
      {
        marker: chunkMarker(pages.length, this.columnMask),
        measurementId: this.measurementId,
        dataSize: body.length,
        dataType: this.dataType,
        compression: this.compression,
        encoding: this.encoding,
      },
      out,
    );
    out.writeBytes(body.view());
  }
}
