import type Database from 'better-sqlite3';
import type { WalRecord } from '../wal/wal-record.js';

export type DeleteRecord = Extract<WalRecord, { kind: 'delete' }>;

/**
 * Deletions kept for consumers that let go of the WAL: sealed files stand in for the
 * inserts of released WAL segments (with their mods they hold the current state of their
 * points), but a deletion must still reach a receiver, which may hold points the sender's
 * files no longer do. Deletions are few; one row each, pruned once no consumer is below.
 */
export class DeletionLog {
  private readonly insert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec(
      'CREATE TABLE IF NOT EXISTS tap_deletions (arrival INTEGER PRIMARY KEY, arrival_time INTEGER NOT NULL, origin TEXT NOT NULL, pattern TEXT NOT NULL, start_time TEXT NOT NULL, end_time TEXT NOT NULL)',
    );
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO tap_deletions (arrival, arrival_time, origin, pattern, start_time, end_time) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  add(d: DeleteRecord): void {
    this.insert.run(d.arrival, d.arrivalTime, d.origin, d.pattern, String(d.start), String(d.end));
  }

  /** Deletions with arrival in [from, to), in arrival order. */
  between(from: number, to: number): DeleteRecord[] {
    const rows = this.db
      .prepare(
        'SELECT arrival, arrival_time, origin, pattern, start_time, end_time FROM tap_deletions WHERE arrival >= ? AND arrival < ? ORDER BY arrival',
      )
      .all(from, to) as {
      arrival: number;
      arrival_time: number;
      origin: string;
      pattern: string;
      start_time: string;
      end_time: string;
    }[];
    return rows.map((r) => ({
      kind: 'delete',
      arrival: r.arrival,
      arrivalTime: r.arrival_time,
      origin: r.origin,
      pattern: r.pattern,
      start: BigInt(r.start_time),
      end: BigInt(r.end_time),
    }));
  }

  /** Forgets deletions below `arrival` (no consumer can ask for them any more). */
  prune(arrival: number): void {
    this.db.prepare('DELETE FROM tap_deletions WHERE arrival < ?').run(arrival);
  }
}
