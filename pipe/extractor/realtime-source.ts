import type { StorageEngine } from '../../engine/storage-engine.js';
import type { TapEvent } from '../../engine/tap/tap-events.js';

type InsertEvent = Extract<TapEvent, { kind: 'insert' }>;
type DeleteEvent = Extract<TapEvent, { kind: 'delete' }>;
export type RealtimeEvent = InsertEvent | DeleteEvent;

/** Events kept in memory while the connector is busy; past it the source re-reads the WAL. */
const QUEUE_EVENTS_MAX = 4096;

/**
 * Realtime events from arrival `from` on, in arrival order: first what the WAL still holds
 * (a restart, or a backlog larger than the queue), then live events from the tap. The tap
 * listener only enqueues (it runs inside the engine's write path); a full queue is dropped
 * and re-read from the WAL, which the pipe's pin keeps, so memory stays bounded and
 * nothing is skipped.
 */
export class RealtimeSource {
  private queue: RealtimeEvent[] = [];
  private overflow = true;
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(
    private readonly engine: StorageEngine,
    private from: number,
  ) {
    this.unsubscribe = engine.tap.subscribe((event) => {
      if (event.kind === 'tsfile-sealed' || event.arrival < this.from) return;
      if (this.queue.length >= QUEUE_EVENTS_MAX) {
        this.overflow = true;
        this.queue = [];
      } else if (!this.overflow) {
        this.queue.push(event);
      }
      this.wake?.();
    });
  }

  /** Every event below this number has been handed out. */
  get position(): number {
    return this.from;
  }

  /** The next event, or null once `stop` was called. */
  async next(): Promise<RealtimeEvent | null> {
    for (;;) {
      if (this.stopped) return null;
      if (this.overflow) {
        // Re-read the WAL from where we are; live events queue up meanwhile.
        this.overflow = false;
        this.queue = [];
        const backlog: RealtimeEvent[] = [];
        for (const e of this.engine.replay(this.from)) {
          if (e.kind === 'tsfile-sealed') continue;
          backlog.push(e);
          if (backlog.length >= QUEUE_EVENTS_MAX) break;
        }
        if (backlog.length >= QUEUE_EVENTS_MAX) this.overflow = true;
        const last = backlog.at(-1)?.arrival ?? -1;
        this.queue = [...backlog, ...this.queue.filter((e) => e.arrival > last)];
      }
      const event = this.queue.shift();
      if (event !== undefined) {
        if (event.arrival < this.from) continue;
        this.from = event.arrival + 1;
        return event;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.wake?.();
  }
}
