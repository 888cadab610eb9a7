// Format: tsfile/FORMAT.md § Page
import { compressorFor } from '../../native/index.js';
import { sliceColumn } from '../column-ops.js';
import type { Compression } from '../compression-type.js';
import { allocateColumn, type ColumnValues, type DataType } from '../data-type.js';
import { codecFor, valueCodecFor } from '../encoding/registry.js';
import type { Encoding } from '../encoding-type.js';
import { ByteReader, CorruptDataError } from '../io/byte-reader.js';
import type { ColumnBlock } from '../tablet.js';

export function uncompressPage(compression: Compression, data: Buffer, uncompressedSize: number): Buffer {
  return compressorFor(compression).uncompress(data, uncompressedSize);
}

export function decodeTimes(timeEncoding: Encoding, bytes: Buffer, start: number, end: number): BigInt64Array {
  return codecFor(timeEncoding, 'int64').decode(bytes, start, end);
}

/** A page of a non-aligned chunk: varint time length, times, then values. */
export function decodeSeriesPage(
  page: Buffer,
  dataType: DataType,
  encoding: Encoding,
  timeEncoding: Encoding,
): ColumnBlock {
  const r = new ByteReader(page);
  const timeLength = r.readVarUInt();
  if (timeLength > r.remaining) throw new CorruptDataError(`time column of ${timeLength} bytes exceeds its page`);
  const times = decodeTimes(timeEncoding, page, r.pos, r.pos + timeLength);
  const decoded = valueCodecFor(encoding, dataType).decode(page, r.pos + timeLength, page.length, times.length);
  if (decoded.length < times.length) {
    throw new CorruptDataError(`page holds ${times.length} times but ${decoded.length} values`);
  }
  const values = decoded.length === times.length ? decoded : sliceColumn(decoded, 0, times.length);
  return { times, values, nulls: null, length: times.length };
}

/**
 * A page of an aligned value chunk: int32 row count, a bitmap (most significant bit first,
 * 1 = a value is present), then the present values only. Rows are expanded back to the
 * time page's positions; `page` null stands for an empty (all-null) page.
 */
export function decodeValuePage(
  page: Buffer | null,
  rowCount: number,
  dataType: DataType,
  encoding: Encoding,
): { values: ColumnValues; nulls: Uint8Array | null } {
  const values = allocateColumn(dataType, rowCount);
  if (page === null) return { values, nulls: new Uint8Array(rowCount).fill(1) };
  const r = new ByteReader(page);
  const size = r.readInt32();
  if (size !== rowCount) throw new CorruptDataError(`value page has ${size} rows, its time page ${rowCount}`);
  const bitmap = r.readBytes((size + 7) >> 3);
  let present = 0;
  for (let i = 0; i < size; i++) if ((bitmap[i >> 3]! & (0x80 >>> (i & 7))) !== 0) present++;
  const packed = valueCodecFor(encoding, dataType).decode(page, r.pos, page.length, present);
  const nulls = new Uint8Array(rowCount);
  let next = 0;
  let anyNull = false;
  for (let i = 0; i < rowCount; i++) {
    if ((bitmap[i >> 3]! & (0x80 >>> (i & 7))) === 0) {
      nulls[i] = 1;
      anyNull = true;
    } else {
      if (next >= packed.length) throw new CorruptDataError(`value page bitmap marks more values than it holds`);
      (values as unknown as { [i: number]: unknown })[i] = (packed as unknown as { [i: number]: unknown })[next++];
    }
  }
  return { values, nulls: anyNull ? nulls : null };
}
