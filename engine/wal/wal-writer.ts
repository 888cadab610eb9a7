// Format: engine/wal/FORMAT.md
import { closeSync, fdatasync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ByteWriter } from '../../tsfile/io/byte-writer.js';
import { type DiskIo, isNoSpace, NODE_DISK_IO } from '../storage/disk-space.js';
import {
  ENTRY_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  SEGMENT_MAGIC,
  SEGMENT_VERSION,
  segmentFileName,
  segmentIdOf,
} from './wal-format.js';

/**
 * IoTDB's `wal_mode`: SYNC fsyncs before a write is acknowledged; ASYNC hands the entry to
 * the operating system before acknowledging (it survives the process being killed) and
 * fsyncs every `asyncSyncMs` (a power loss may lose that window); DISABLE writes nothing.
 */
export type WalMode = 'SYNC' | 'ASYNC' | 'DISABLE';

export interface WalOptions {
  readonly mode: WalMode;
  /** ASYNC: how often buffered entries are written and synced. */
  readonly asyncSyncMs: number;
  /** A segment is closed and a new one started past this size. */
  readonly segmentBytesMax: number;
  /** How entries reach the disk (a test may make it fail for want of space). */
  readonly io?: DiskIo;
  /** Told when a batch could not be written for want of space (it is retried until it is). */
  readonly onNoSpace?: (error: unknown) => void;
}

/** How long a batch that met a full disk waits before it is tried again. */
const NO_SPACE_RETRY_MS = 200;

interface Segment {
  readonly id: number;
  /** The smallest arrival number of an entry in the segment (-1 if none). */
  minSequence: number;
  /** The largest arrival number of an entry in the segment (-1 if none). */
  maxSequence: number;
  /** Bytes on disk. */
  bytes: number;
}

/**
 * The write side of the WAL: entries are appended to an in-memory batch and written with
 * one write (+ one fdatasync in SYNC mode) for every write that arrived meanwhile (group
 * commit), so the cost is shared. A write's promise resolves once its batch is written
 * (SYNC: and synced); ASYNC syncs on a timer.
 */
export class WalWriter {
  private fd = -1;
  private segment: Segment | null = null;
  private segmentBytes = 0;
  private readonly closedSegments: Segment[] = [];
  private batch = new ByteWriter(1 << 20);
  private batchMinSequence = -1;
  private batchMaxSequence = -1;
  private waiters: (() => void)[] = [];
  private failures: ((e: Error) => void)[] = [];
  private scheduled = false;
  /** Written but not yet synced (ASYNC). */
  private unsynced = false;
  /** The segment an ASYNC sync is running on (in the thread pool), or -1. */
  private syncingFd = -1;
  /** That segment was closed meanwhile: its descriptor is closed once the sync ends. */
  private closeWhenSynced = false;
  /** Bytes written to segments and fsyncs done, for metrics. */
  bytesWritten = 0;
  syncs = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** A batch met a full disk and waits for its retry. */
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly dir: string,
    private readonly options: WalOptions,
    existing: readonly { id: number; minSequence: number; maxSequence: number; bytes: number }[],
  ) {
    this.closedSegments.push(...existing.map((s) => ({ ...s })));
    if (options.mode === 'ASYNC') {
      this.timer = setInterval(() => this.sync(), Math.max(1, options.asyncSyncMs));
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
    if (this.batchMinSequence < 0 || sequence < this.batchMinSequence) this.batchMinSequence = sequence;
    return new Promise<void>((resolve, reject) => {
      this.waiters.push(resolve);
      this.failures.push(reject);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flushBatch());
      }
    });
  }

  /**
   * Writes whatever is batched (and syncs it in SYNC mode); used by group commit, readers and
   * close. A batch that meets a full disk leaves nothing of itself in the segment and stays,
   * its writers waiting, until a retry writes it: no write is acknowledged unwritten, and
   * none is lost.
   */
  flushBatch(): void {
    this.scheduled = false;
    if (this.batch.length === 0 || this.retry !== null) return;
    let before = -1;
    try {
      if (this.segment === null || this.segmentBytes >= this.options.segmentBytesMax) this.rollSegment();
      before = this.segmentBytes;
      const bytes = this.batch.view();
      const io = this.options.io ?? NODE_DISK_IO;
      let done = 0;
      while (done < bytes.length) done += io.write(this.fd, bytes, done, bytes.length - done);
      if (this.options.mode === 'SYNC') {
        fdatasyncSync(this.fd);
        this.syncs++;
      } else this.unsynced = true;
      this.segmentBytes += bytes.length;
      this.bytesWritten += bytes.length;
    } catch (error) {
      if (isNoSpace(error) && !this.closed) {
        if (before >= 0) {
          try {
            ftruncateSync(this.fd, before);
          } catch {
            // Truncating frees space and does not fail for want of it; a torn tail is dropped at recovery anyway.
          }
        }
        this.options.onNoSpace?.(error);
        this.retry = setTimeout(() => {
          this.retry = null;
          this.flushBatch();
        }, NO_SPACE_RETRY_MS);
        return;
      }
      const failures = this.failures;
      this.takeBatch();
      for (const f of failures) f(error as Error);
      return;
    }
    const segment = this.segment!;
    segment.bytes = this.segmentBytes;
    if (this.batchMaxSequence > segment.maxSequence) segment.maxSequence = this.batchMaxSequence;
    if (segment.minSequence < 0) segment.minSequence = this.batchMinSequence;
    const waiters = this.waiters;
    this.takeBatch();
    for (const w of waiters) w();
  }

  private takeBatch(): void {
    this.waiters = [];
    this.failures = [];
    this.batch.reset();
    this.batchMinSequence = -1;
    this.batchMaxSequence = -1;
  }

  /**
   * ASYNC's timer: makes what was written durable against power loss too. The sync runs in
   * the thread pool, not on the event loop: on a busy disk one takes milliseconds, and every
   * write and pipe transfer of the node would wait behind it. One runs at a time; what is
   * written meanwhile is synced by the next tick.
   */
  private sync(): void {
    if (!this.unsynced || this.fd < 0 || this.syncingFd >= 0) return;
    this.unsynced = false;
    const fd = this.fd;
    this.syncingFd = fd;
    fdatasync(fd, (error) => {
      this.syncingFd = -1;
      if (this.closeWhenSynced) {
        // Closed (and fsynced) while this ran: nothing of it is left unsynced.
        this.closeWhenSynced = false;
        closeSync(fd);
        return;
      }
      // The next write reports a failing disk to its writer; the timer has nobody to tell.
      if (error !== null) this.unsynced = true;
      else this.syncs++;
    });
  }

  /** Closes a segment's descriptor, once the sync running on it (if any) has ended. */
  private closeFd(fd: number): void {
    if (fd === this.syncingFd) this.closeWhenSynced = true;
    else closeSync(fd);
  }

  private rollSegment(): void {
    if (this.segment !== null) {
      fsyncSync(this.fd);
      this.closeFd(this.fd);
      this.fd = -1;
      this.closedSegments.push(this.segment);
      this.segment = null;
    }
    const last = this.closedSegments.at(-1)?.id ?? 0;
    const id = last + 1;
    const path = join(this.dir, segmentFileName(id));
    const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
    SEGMENT_MAGIC.copy(header);
    header[SEGMENT_MAGIC.length] = SEGMENT_VERSION;
    const fd = openSync(path, 'wx');
    try {
      (this.options.io ?? NODE_DISK_IO).write(fd, header, 0, header.length);
    } catch (error) {
      // No half-made segment stays behind: the next try makes it again.
      closeSync(fd);
      rmSync(path, { force: true });
      throw error;
    }
    this.fd = fd;
    this.segment = { id, minSequence: -1, maxSequence: -1, bytes: header.length };
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

  /** Ids of the segments that may hold an entry with arrival number >= `from`, ascending. */
  segmentsFrom(from: number): number[] {
    const ids = this.closedSegments.filter((s) => s.maxSequence >= from).map((s) => s.id);
    if (this.segment !== null) ids.push(this.segment.id);
    return ids;
  }

  /** The arrival number of the oldest entry still on disk, or null when there is none. */
  oldestSequence(): number | null {
    for (const s of [...this.closedSegments, this.segment]) if (s !== null && s.minSequence >= 0) return s.minSequence;
    return null;
  }

  /** Bytes of the segments that hold an entry with arrival number >= `from` (what a pin there keeps). */
  bytesFrom(from: number): number {
    let total = 0;
    for (const s of this.closedSegments) if (s.maxSequence >= from) total += s.bytes;
    if (this.segment !== null && this.segment.maxSequence >= from) total += this.segment.bytes;
    return total;
  }

  /** Bytes of every segment on disk. */
  totalBytes(): number {
    let total = this.segment?.bytes ?? 0;
    for (const s of this.closedSegments) total += s.bytes;
    return total;
  }

  segmentCount(): number {
    return this.closedSegments.length + (this.segment === null ? 0 : 1);
  }

  close(): void {
    if (this.closed) return;
    if (this.retry !== null) {
      clearTimeout(this.retry);
      this.retry = null;
    }
    // Closed first: a batch that still meets a full disk now fails its writers instead of waiting.
    this.closed = true;
    this.flushBatch();
    if (this.timer !== null) clearInterval(this.timer);
    if (this.fd >= 0) {
      fsyncSync(this.fd);
      this.closeFd(this.fd);
      this.fd = -1;
    }
  }
}
