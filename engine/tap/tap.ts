import type Database from 'better-sqlite3';
import type { TapEvent, TapListener } from './tap-events.js';

/** One consumer's pin: where it is, and from where it still wants the WAL kept. */
interface Pin {
  /** The smallest arrival number the consumer still needs. */
  arrival: number;
  /**
   * The consumer let go of the WAL below this (its pin passed the bound): what it needs
   * below comes back from sealed files and the deletion log instead.
   */
  walFrom: number;
}

/** Told when a consumer lets go of the WAL: how many bytes it held, and from where it pins now. */
export type LetGoListener = (consumer: string, heldBytes: number, walFrom: number) => void;

/**
 * The engine's event stream. Listeners are called synchronously after a write is in the
 * WAL and the memtable, so they must only enqueue. Consumers pin the smallest arrival
 * number they still need; pinned WAL segments are kept (also across restarts: pins are
 * stored in the system database), up to a bound past which a consumer lets go.
 */
export class Tap {
  private readonly listeners = new Set<TapListener>();
  private readonly letGoListeners = new Set<LetGoListener>();
  private readonly pins = new Map<string, Pin>();
  /** Called when a pin moves or goes, so WAL no pin needs any longer is released at once. */
  onPinsMoved: () => void = () => {};

  constructor(private readonly db: Database.Database) {
    db.exec('CREATE TABLE IF NOT EXISTS tap_pins (consumer TEXT PRIMARY KEY, arrival INTEGER NOT NULL)');
    const columns = db.prepare('PRAGMA table_info(tap_pins)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'wal_from')) {
      db.exec('ALTER TABLE tap_pins ADD COLUMN wal_from INTEGER NOT NULL DEFAULT 0');
    }
    for (const row of db.prepare('SELECT consumer, arrival, wal_from FROM tap_pins').all() as {
      consumer: string;
      arrival: number;
      wal_from: number;
    }[]) {
      this.pins.set(row.consumer, { arrival: row.arrival, walFrom: row.wal_from });
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
    const walFrom = this.pins.get(consumer)?.walFrom ?? 0;
    this.pins.set(consumer, { arrival, walFrom });
    this.store(consumer, arrival, walFrom);
    this.onPinsMoved();
  }

  unpin(consumer: string): void {
    this.pins.delete(consumer);
    this.db.prepare('DELETE FROM tap_pins WHERE consumer = ?').run(consumer);
    this.onPinsMoved();
  }

  pinOf(consumer: string): number | undefined {
    return this.pins.get(consumer)?.arrival;
  }

  /** Where `consumer` keeps the WAL from: its position, or above it once it let go. */
  walPinOf(consumer: string): number | undefined {
    const p = this.pins.get(consumer);
    return p === undefined ? undefined : Math.max(p.arrival, p.walFrom);
  }

  consumers(): string[] {
    return [...this.pins.keys()];
  }

  get hasPins(): boolean {
    return this.pins.size > 0;
  }

  /**
   * `consumer` stops keeping WAL below `walFrom` (it held `heldBytes`); its position stays.
   * Listeners hear of it (the node logs it).
   */
  letGo(consumer: string, walFrom: number, heldBytes: number): void {
    const p = this.pins.get(consumer);
    if (p === undefined) return;
    p.walFrom = walFrom;
    this.store(consumer, p.arrival, walFrom);
    for (const l of this.letGoListeners) l(consumer, heldBytes, walFrom);
  }

  onLetGo(listener: LetGoListener): () => void {
    this.letGoListeners.add(listener);
    return () => this.letGoListeners.delete(listener);
  }

  /** The smallest arrival number whose WAL entry a consumer keeps (Infinity when nothing is pinned). */
  minPinned(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const p of this.pins.values()) min = Math.min(min, Math.max(p.arrival, p.walFrom));
    return min;
  }

  /** The smallest position of a consumer (Infinity when none): what it may still ask to be replayed. */
  minPosition(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const p of this.pins.values()) min = Math.min(min, p.arrival);
    return min;
  }

  private store(consumer: string, arrival: number, walFrom: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO tap_pins (consumer, arrival, wal_from) VALUES (?, ?, ?)')
      .run(consumer, arrival, walFrom);
  }
}
