import type { ColumnValues } from '../../tsfile/data-type.js';
import { type BufferPool, type ResizableBuffer, reservedBuffer } from './buffer-pool.js';

/** A column class held in one typed array (every one but binary's). */
export type FixedArray = Exclude<ColumnValues, readonly Uint8Array[] | Uint8Array[]> | BigInt64Array;

/**
 * Arrays past this size grow in place. Below it a grown copy is cheap and comes from memory
 * the allocator reuses; above it, a doubling copy of a memtable series (tens of megabytes of
 * fresh pages, faulted in and copied at once) stalled the node's event loop for tens of
 * milliseconds, so every write and pipe transfer of that moment waited.
 */
const IN_PLACE_BYTES_MIN = 1 << 20;

/**
 * `array` (of which the first `used` elements matter) with room for `capacity` elements. A
 * large array grows in place inside a reserved buffer (from `pool` when given): no copy,
 * and new pages are faulted in as appends reach them instead of all at once. With
 * `inPlace` false it is copied into a plain array twice the size, as small ones are.
 */
export function grown<T extends FixedArray>(
  array: T,
  used: number,
  capacity: number,
  pool: BufferPool | null = null,
  inPlace = true,
): T {
  const make = array.constructor as {
    new (length: number): T;
    new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  };
  const bytes = capacity * array.BYTES_PER_ELEMENT;
  const buffer = array.buffer as ResizableBuffer;
  if (inPlace && buffer.resizable && array.byteOffset === 0 && bytes <= buffer.maxByteLength) {
    // Never shrunk: a pooled buffer may be larger than its series needs yet.
    if (buffer.byteLength < bytes) buffer.resize(bytes);
    return new make(buffer, 0, capacity);
  }
  let next: T;
  if (!inPlace || bytes < IN_PLACE_BYTES_MIN) next = new make(capacity);
  else next = new make(pool === null ? reservedBuffer(bytes) : pool.take(bytes), 0, capacity);
  (next as BigInt64Array).set((array as BigInt64Array).subarray(0, used));
  return next;
}

/** The reserved buffer an array grows in, if it has one. */
export function reservedOf(array: FixedArray): ResizableBuffer | null {
  const buffer = array.buffer as ResizableBuffer;
  return buffer.resizable && array.byteOffset === 0 ? buffer : null;
}
