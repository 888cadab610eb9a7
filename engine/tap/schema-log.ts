import type Database from 'better-sqlite3';
import type { SchemaChange } from '../schema/schema-change.js';
import type { SchemaEvent } from './tap-events.js';

/**
 * Schema changes kept for consumers that let go of the WAL, as the deletion log keeps
 * deletions: sealed files stand in for the inserts of released WAL segments, but the
 * schema changes among them must still reach a receiver, before those files. Changes are
 * few; one row each, pruned once no consumer is below.
 */
export class SchemaLog {
  private readonly insert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec(
      'CREATE TABLE IF NOT EXISTS tap_schema (arrival INTEGER PRIMARY KEY, arrival_time INTEGER NOT NULL, origin TEXT NOT NULL, change TEXT NOT NULL)',
    );
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO tap_schema (arrival, arrival_time, origin, change) VALUES (?, ?, ?, ?)',
    );
  }

  add(e: SchemaEvent): void {
    this.insert.run(e.arrival, e.arrivalTime, e.origin, JSON.stringify(e.change));
  }

  /** Changes with arrival in [from, to), in arrival order. */
  between(from: number, to: number): SchemaEvent[] {
    const rows = this.db
      .prepare(
        'SELECT arrival, arrival_time, origin, change FROM tap_schema WHERE arrival >= ? AND arrival < ? ORDER BY arrival',
      )
      .all(from, to) as { arrival: number; arrival_time: number; origin: string; change: string }[];
    return rows.map((r) => ({
      kind: 'schema',
      arrival: r.arrival,
      arrivalTime: r.arrival_time,
      origin: r.origin,
      change: JSON.parse(r.change) as SchemaChange,
    }));
  }

  /** Forgets changes below `arrival` (no consumer can ask for them any more). */
  prune(arrival: number): void {
    this.db.prepare('DELETE FROM tap_schema WHERE arrival < ?').run(arrival);
  }
}
