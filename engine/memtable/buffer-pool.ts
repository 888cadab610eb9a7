/** An ArrayBuffer that can grow in place up to `maxByteLength` (Node 20). */
export interface ResizableBuffer extends ArrayBuffer {
  readonly resizable: boolean;
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
type ResizableBufferConstructor = new (byteLength: number, options: { maxByteLength: number }) => ResizableBuffer;

/**
 * Address space a buffer reserves (memory is committed only as it grows into it). Few series
 * outgrow a small array in a memtable, so few reservations are live at once.
 */
const RESERVED_BYTES = 1 << 30;

/** A buffer that reserves room for large series, `bytes` of it usable now. */
export function reservedBuffer(bytes: number): ResizableBuffer {
  return new (ArrayBuffer as unknown as ResizableBufferConstructor)(bytes, {
    maxByteLength: Math.max(RESERVED_BYTES, 2 * bytes),
  });
}

/**
 * The large buffers of flushed memtables, for the series of the next ones to grow into.
 * Fresh memory is slow to fault in (on some machines milliseconds per megabyte), and a
 * buffer's pages stay faulted in while it is pooled: a node writing steadily fills its
 * memtables in memory it already has, instead of faulting in a memtable's worth per flush.
 * Holds at most `bytesMax`; what does not fit is left to the garbage collector.
 */
export class BufferPool {
  private readonly free: ResizableBuffer[] = [];
  private held = 0;

  constructor(private readonly bytesMax: number) {}

  /** Bytes held for reuse. */
  get bytes(): number {
    return this.held;
  }

  /** A buffer with at least `bytes` usable (its contents are left over from its last use). */
  take(bytes: number): ResizableBuffer {
    const buffer = this.free.at(-1);
    // One whose reservation is too small for `bytes` stays pooled for a smaller series.
    if (buffer === undefined || buffer.maxByteLength < bytes) return reservedBuffer(bytes);
    this.free.pop();
    this.held -= buffer.byteLength;
    if (buffer.byteLength < bytes) buffer.resize(bytes);
    return buffer;
  }

  /** Takes back a buffer nothing reads or writes any more. */
  give(buffer: ResizableBuffer): void {
    if (this.held + buffer.byteLength > this.bytesMax) return;
    this.free.push(buffer);
    this.held += buffer.byteLength;
  }
}
