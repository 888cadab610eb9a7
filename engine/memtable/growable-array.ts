import type { ColumnValues } from '../../tsfile/data-type.js';

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
 * Address space an in-place array reserves (memory is committed only as it grows into it).
 * Few series reach IN_PLACE_BYTES_MIN in a memtable, so few reservations are live at once.
 */
const RESERVED_BYTES = 1 << 30;

interface ResizableBuffer extends ArrayBuffer {
  readonly resizable: boolean;
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
type ResizableBufferConstructor = new (byteLength: number, options: { maxByteLength: number }) => ResizableBuffer;

/**
 * `array` (of which the first `used` elements matter) with room for `capacity` elements. A
 * large array grows in place inside an ArrayBuffer reserved large enough: no copy, and the
 * new pages are faulted in as appends reach them instead of all at once.
 */
export function grown<T extends FixedArray>(array: T, used: number, capacity: number): T {
  const make = array.constructor as {
    new (length: number): T;
    new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  };
  const bytes = capacity * array.BYTES_PER_ELEMENT;
  const buffer = array.buffer as ResizableBuffer;
  if (buffer.resizable && array.byteOffset === 0 && bytes <= buffer.maxByteLength) {
    buffer.resize(bytes);
    return new make(buffer, 0, capacity);
  }
  let next: T;
  if (bytes < IN_PLACE_BYTES_MIN) next = new make(capacity);
  else {
    const reserved = new (ArrayBuffer as unknown as ResizableBufferConstructor)(bytes, {
      maxByteLength: Math.max(RESERVED_BYTES, 2 * bytes),
    });
    next = new make(reserved, 0, capacity);
  }
  (next as BigInt64Array).set((array as BigInt64Array).subarray(0, used));
  return next;
}
