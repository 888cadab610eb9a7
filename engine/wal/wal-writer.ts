// Format: engine/wal/FORMAT.md
import { closeSync, fdatasyncSync, fsyncSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ByteWriter } from '../../tsfile/io/byte-writer.js';
import {
  ENTRY_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  SEGMENT_MAGIC,
  SEGMENT_VERSION,
  segmentFileName,
  segmentIdOf,
} from './wal-format.js';

/** IoTDB's `wal_mode`: SYNC fsyncs before a write is acknowledged, ASYNC every `asyncSyncMs`. */
export type WalMode = 'SYNC' | 'ASYNC' | 'DISABLE';

export interface WalOptions {
  readonly mode: WalMode;
  /** ASYNC: how often buffered entries are written and synced. */
  readonly asyncSyncMs: number;
  /** A segment is closed and a new one started past this size. */
  readonly segmentBytesMax: number;
}

interface Segment {
  readonly id: number;
  /** The largest arrival number of an entry in the segment (-1 if none). */
  maxSequence: number;
}

/**
 * The write side of the WAL: entries are appended to an in-memory batch and written with
 * one write + one fdatasync for every write that arrived meanwhile (group commit), so the
 * cost of a sync is shared. SYNC resolves a write's promise after its batch is on disk;
 * ASYNC resolves at once and syncs on a timer; DISABLE writes nothing.
 */
export class WalWriter {
  private fd = -1;
  private segment: Segment | null = null;
  private segmentBytes = 0;
  private readonly closedSegments: Segment[] = [];
  private batch = new ByteWriter(1 << 20);
  private batchMaxSequence = -1;
  private waiters: (() => void)[] = [];
  private failures: ((e: Error) => void)[] = [];
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly options: WalOptions,
    existing: readonly { id: number; maxSequence: number }[],
  ) {
    this.closedSegments.push(...existing.map((s) => ({ ...s })));
    if (options.mode === 'ASYNC') {
      this.timer = setInterval(() => this.flushBatch(), Math.max(1, options.asyncSyncMs));
      this.timer.unref();
    }
  }

  /** Segment ids found in a WAL folder, ascending. */
  static listSegments(dir: string): number[] {
    return readdirSync(dir)
      .map(segmentIdOf)
      .filter((id): id is number => id !== null)
      .sort((a, b) => a - b);
  }

  /**
   * Appends one entry (the payload as `fill` writes it). Resolves when the entry is as
   * durable as the mode promises.
   */
  append(sequence: number, fill: (out: ByteWriter) => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('WAL is closed'));
    if (this.options.mode === 'DISABLE') return Promise.resolve();
    const start = this.batch.length;
    this.batch.writeUInt32(0);
    this.batch.writeUInt32(0);
    fill(this.batch);
    const payloadLength = this.batch.length - start - ENTRY_HEADER_BYTES;
    const raw = this.batch.raw();
    raw.writeUInt32BE(payloadLength, start);
    raw.writeUInt32BE(crc32(raw.subarray(start + ENTRY_HEADER_BYTES, this.batch.length)), start + 4);
    if (sequence > this.batchMaxSequence) this.batchMaxSequence = sequence;
    if (this.options.mode === 'ASYNC') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push(resolve);
      this.failures.push(reject);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flushBatch());
      }
    });
  }

  /** Writes and syncs whatever is batched; used by the timer, group commit and close. */
  flushBatch(): void {
    this.scheduled = false;
    if (this.batch.length === 0) return;
    const waiters = this.waiters;
    const failures = this.failures;
    this.waiters = [];
    this.failures = [];
    try {
      if (this.segment === null || this.segmentBytes >= this.options.segmentBytesMax) this.rollSegment();
      const bytes = this.batch.view();
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
      fdatasyncSync(this.fd);
      this.segmentBytes += bytes.length;
      const segment = this.segment!;
      if (this.batchMaxSequence > segment.maxSequence) segment.maxSequence = this.batchMaxSequence;
      this.batch.reset();
      this.batchMaxSequence = -1;
      for (const w of waiters) w();
    } catch (error) {
      this.batch.reset();
      for (const f of failures) f(error as Error);
    }
  }

  private rollSegment(): void {
    if (this.segment !== null) {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.closedSegments.push(this.segment);
    }
    const last = this.closedSegments.at(-1)?.id ?? 0;
    const id = last + 1;
    this.fd = openSync(join(this.dir, segmentFileName(id)), 'wx');
    const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
    SEGMENT_MAGIC.copy(header);
    header[SEGMENT_MAGIC.length] = SEGMENT_VERSION;
    writeSync(this.fd, header);
    this.segment = { id, maxSequence: -1 };
    this.segmentBytes = header.length;
  }

  /** Starts a new segment at the next write, so the current one can be released once flushed. */
  rollOnNextWrite(): void {
    this.segmentBytes = this.options.segmentBytesMax;
  }

  /**
   * Deletes closed segments whose every entry has an arrival number below `upTo`
   * (everything before it is in sealed TsFiles and no consumer pins it). Returns their ids.
   */
  release(upTo: number): number[] {
    const removed: number[] = [];
    while (this.closedSegments.length > 0 && this.closedSegments[0]!.maxSequence < upTo) {
      const s = this.closedSegments.shift()!;
      rmSync(join(this.dir, segmentFileName(s.id)), { force: true });
      removed.push(s.id);
    }
    return removed;
  }

  segmentCount(): number {
    return this.closedSegments.length + (this.segment === null ? 0 : 1);
  }

  close(): void {
    if (this.closed) return;
    this.flushBatch();
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    if (this.fd >= 0) {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}
