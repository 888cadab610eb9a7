import type Database from 'better-sqlite3';
import type { TapEvent, TapListener } from './tap-events.js';

/**
 * The engine's event stream. Listeners are called synchronously after a write is in the
 * WAL and the memtable, so they must only enqueue. Consumers pin the smallest arrival
 * number they still need; pinned WAL segments are kept (also across restarts: pins are
 * stored in the system database).
 */
export class Tap {
  private readonly listeners = new Set<TapListener>();
  private readonly pins = new Map<string, number>();

  constructor(private readonly db: Database.Database) {
    db.exec('CREATE TABLE IF NOT EXISTS tap_pins (consumer TEXT PRIMARY KEY, arrival INTEGER NOT NULL)');
    for (const row of db.prepare('SELECT consumer, arrival FROM tap_pins').all() as {
      consumer: string;
      arrival: number;
    }[]) {
      this.pins.set(row.consumer, row.arrival);
    }
  }

  subscribe(listener: TapListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: TapEvent): void {
    for (const l of this.listeners) l(event);
  }

  /** Keeps WAL entries with arrival >= `arrival` for `consumer` until it moves the pin or unpins. */
  pin(consumer: string, arrival: number): void {
    this.pins.set(consumer, arrival);
    this.db.prepare('INSERT OR REPLACE INTO tap_pins (consumer, arrival) VALUES (?, ?)').run(consumer, arrival);
  }

  unpin(consumer: string): void {
    this.pins.delete(consumer);
    this.db.prepare('DELETE FROM tap_pins WHERE consumer = ?').run(consumer);
  }

  pinOf(consumer: string): number | undefined {
    return this.pins.get(consumer);
  }

  /** The smallest pinned arrival number (Infinity when nothing is pinned). */
  minPinned(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const a of this.pins.values()) min = Math.min(min, a);
    return min;
  }
}
