import type { TsFileResource } from '../../engine/storage/tsfile-resource.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import type { TapEvent } from '../../engine/tap/tap-events.js';
import { arrivedBetween, type FlushedGeneration, flushedGenerations, generationOf } from './flushed-generations.js';

type InsertEvent = Extract<TapEvent, { kind: 'insert' }>;
type DeleteEvent = Extract<TapEvent, { kind: 'delete' }>;
type SchemaEvent = Extract<TapEvent, { kind: 'schema' }>;
/**
 * Sealed files standing for inserts: the files of a flush, for its database's inserts from
 * `arrival` to the flush's last; or what the engine hands out because the WAL no longer
 * reaches back to the source's position (then `arrival` is just below that position, and
 * the event stands for every arrival up to `through`: its schema changes go first, then its
 * deletions, then its files, and only then is the position past `through`).
 */
export interface FilesEvent {
  readonly kind: 'files';
  readonly arrival: number;
  readonly files: readonly TsFileResource[];
  readonly schema?: readonly SchemaEvent[];
  readonly deletions?: readonly DeleteEvent[];
  readonly through?: number;
}
export type RealtimeEvent = InsertEvent | DeleteEvent | SchemaEvent | FilesEvent;

/** Events kept in memory while the connector is busy; past it the source re-reads the WAL. */
const QUEUE_EVENTS_MAX = 4096;
/** And at most about this many bytes of tablets: big tablets fill memory long before 4096 of them. */
const QUEUE_BYTES_MAX = 64 * 1024 * 1024;

/**
 * A loaded file (IoTDB's load, or a file a pipe delivered here) as the event of its arrival
 * number: realtime pipes pass it on as IoTDB's realtime source does. A flushed file is not
 * one: the inserts it holds are events of their own.
 */
function loadedEvent(resource: TsFileResource): FilesEvent | null {
  return resource.loaded ? { kind: 'files', arrival: resource.minArrival, files: [resource] } : null;
}

/** About what an event holds in memory (its tablet's values), for the queue's bound. */
function eventBytes(event: RealtimeEvent): number {
  return event.kind === 'insert' ? 64 + event.tablet.rowCount * 8 * (1 + event.tablet.measurements.length) : 64;
}

/**
 * Realtime events from arrival `from` on, in arrival order: first what the WAL still holds
 * (a restart, or a backlog larger than the queue), then live events from the tap. The tap
 * listener only enqueues (it runs inside the engine's write path); a full queue is dropped
 * and re-read from the WAL, which the pipe's pin keeps, so memory stays bounded and
 * nothing is skipped.
 *
 * A source that lags behind a flush (its next insert, read back from the WAL, is already in
 * sealed files) hands out those files instead, when `shipsWhole` accepts them and no
 * deletion arrived between that insert and the flush's last: the files hold the final state
 * of every point their database's inserts wrote in that span, so loading them equals
 * applying those inserts in order; the inserts themselves are then skipped. A deletion in
 * the span must reach the receiver between points of the files, so then the inserts go one
 * by one.
 */
export class RealtimeSource {
  private queue: RealtimeEvent[] = [];
  /** Per database, inserts up to this arrival went out as files. */
  private readonly shippedUpTo = new Map<string, number>();
  /** Flushed generations seen when the backlog was read; cleared once it is handed out. */
  private generations: Map<string, FlushedGeneration[]> = new Map();
  private backlogLeft = 0;
  /** About the bytes the queue holds (`eventBytes` of each event). */
  private queuedBytes = 0;
  private overflow = true;
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private stopped = false;
  /** `finish` was called: end once no passed-over insert lies ahead. */
  private finishing = false;

  constructor(
    private readonly engine: StorageEngine,
    private from: number,
    private readonly shipsWhole: ((generation: FlushedGeneration) => boolean) | null = null,
  ) {
    this.unsubscribe = engine.tap.subscribe((tapped) => {
      const event = tapped.kind === 'tsfile-sealed' ? loadedEvent(tapped.resource) : tapped;
      if (event === null || event.arrival < this.from) return;
      if (this.queue.length >= QUEUE_EVENTS_MAX || this.queuedBytes >= QUEUE_BYTES_MAX) {
        this.overflow = true;
        this.queue = [];
        this.queuedBytes = 0;
      } else if (!this.overflow) {
        this.queue.push(event);
        this.queuedBytes += eventBytes(event);
      }
      this.wake?.();
    });
  }

  /**
   * Whether inserts this source will pass over (they went out as part of sealed files) lie
   * ahead of its position: stopping there would send them again after a restart.
   */
  get spanOpen(): boolean {
    for (const upTo of this.shippedUpTo.values()) if (upTo >= this.from) return true;
    return false;
  }

  /** Every event below this number has been handed out. */
  get position(): number {
    return this.from;
  }

  /** The next event, or null once `stop` was called. */
  async next(): Promise<RealtimeEvent | null> {
    for (;;) {
      if (this.stopped || (this.finishing && !this.spanOpen)) return null;
      if (this.overflow) {
        // Re-read the WAL from where we are; live events queue up meanwhile.
        this.overflow = false;
        this.queue = [];
        this.queuedBytes = 0;
        const backlog: RealtimeEvent[] = [];
        const fallback = this.engine.fallback(this.from);
        if (fallback !== null) {
          const { files, schema, deletions, upTo } = fallback;
          backlog.push({ kind: 'files', arrival: this.from - 1, files, schema, deletions, through: upTo - 1 });
        }
        // Loaded files are not in the WAL: they join its events by their arrival numbers.
        const loaded = this.loadedFrom(fallback?.upTo ?? this.from);
        for (const e of this.engine.walEvents(this.from)) {
          if (e.kind === 'insert' && e.arrival <= (this.shippedUpTo.get(e.database) ?? -1)) continue;
          while (loaded.length > 0 && loaded[0]!.arrival < e.arrival) backlog.push(loaded.shift()!);
          backlog.push(e);
          this.queuedBytes += eventBytes(e);
          if (backlog.length >= QUEUE_EVENTS_MAX || this.queuedBytes >= QUEUE_BYTES_MAX) break;
        }
        if (backlog.length >= QUEUE_EVENTS_MAX || this.queuedBytes >= QUEUE_BYTES_MAX) this.overflow = true;
        else backlog.push(...loaded);
        const last = backlog.at(-1)?.arrival ?? -1;
        this.queue = [...backlog, ...this.queue.filter((e) => e.arrival > last)];
        this.backlogLeft = backlog.length;
        this.generations = this.shipsWhole === null ? new Map() : flushedGenerations(this.engine, this.from);
      }
      const event = this.queue.shift();
      if (event !== undefined) this.queuedBytes = Math.max(0, this.queuedBytes - eventBytes(event));
      if (this.backlogLeft > 0 && --this.backlogLeft === 0) this.generations = new Map();
      if (event !== undefined) {
        // Files the WAL no longer holds the inserts of: the position moves past them at once,
        // the pipe's acknowledged position only once they are delivered.
        if (event.kind === 'files' && event.through !== undefined) {
          this.from = Math.max(this.from, event.through + 1);
          return event;
        }
        if (event.arrival < this.from) continue;
        this.from = event.arrival + 1;
        if (event.kind !== 'insert') return event;
        if (event.arrival <= (this.shippedUpTo.get(event.database) ?? -1)) continue;
        return this.asFiles(event) ?? event;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }

  /** The flushed files standing for `event` and the inserts after it, when they may go instead. */
  private asFiles(event: InsertEvent): FilesEvent | null {
    if (this.generations.size === 0 || this.shipsWhole === null) return null;
    const generation = generationOf(this.generations, event.database, event.arrival);
    // Only from the generation's first insert on: a source that starts inside a generation
    // (a restart, ALTER PIPE) already delivered its earlier inserts, which the files hold too.
    if (generation === undefined || generation.minArrival < event.arrival || !this.shipsWhole(generation)) return null;
    if (arrivedBetween(this.engine, event.arrival, generation.maxArrival, 'delete')) return null;
    this.shippedUpTo.set(event.database, generation.maxArrival);
    return { kind: 'files', arrival: event.arrival, files: generation.files };
  }

  /** Files loaded into the engine (a pipe's or a user's) with arrival numbers from `from` on, as events. */
  private loadedFrom(from: number): FilesEvent[] {
    const events: FilesEvent[] = [];
    for (const resource of this.engine.sealedFiles()) {
      const event = loadedEvent(resource);
      if (event !== null && event.arrival >= from) events.push(event);
    }
    return events.sort((a, b) => a.arrival - b.arrival);
  }

  /**
   * Ends the events at the first point where stopping repeats nothing: once the inserts
   * that went out in files are passed over (at once when there are none).
   */
  finish(): void {
    this.finishing = true;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.wake?.();
  }
}
