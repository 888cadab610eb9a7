import type Database from 'better-sqlite3';

/** What every logged tap event has: its place in arrival order, when it came, and from where. */
interface ArrivalStamped {
  readonly arrival: number;
  readonly arrivalTime: number;
  readonly origin: string;
}

/** How one kind of event is kept: its table, the columns after the arrival stamp, and both ways. */
export interface ArrivalLogShape<E extends ArrivalStamped> {
  readonly table: string;
  /** Column definitions after `arrival`, `arrival_time` and `origin`, e.g. `pattern TEXT NOT NULL`. */
  readonly columns: readonly string[];
  toColumns(event: E): readonly unknown[];
  fromRow(stamp: ArrivalStamped, row: Record<string, unknown>): E;
}

/**
 * Events kept for consumers that let go of the WAL: sealed files stand in for the inserts of
 * released WAL segments, but the deletions and schema changes among them must still reach a
 * receiver. Such events are few; one row each, pruned once no consumer is below.
 */
export class ArrivalLog<E extends ArrivalStamped> {
  private readonly insert: Database.Statement;
  private readonly range: Database.Statement;
  private readonly forget: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly shape: ArrivalLogShape<E>,
  ) {
    const names = shape.columns.map((c) => c.split(' ')[0]!);
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${shape.table} (arrival INTEGER PRIMARY KEY, arrival_time INTEGER NOT NULL, origin TEXT NOT NULL, ${shape.columns.join(', ')})`,
    );
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO ${shape.table} (arrival, arrival_time, origin, ${names.join(', ')}) VALUES (?, ?, ?, ${names.map(() => '?').join(', ')})`,
    );
    this.range = db.prepare(`SELECT * FROM ${shape.table} WHERE arrival >= ? AND arrival < ? ORDER BY arrival`);
    this.forget = db.prepare(`DELETE FROM ${shape.table} WHERE arrival < ?`);
  }

  add(event: E): void {
    this.insert.run(event.arrival, event.arrivalTime, event.origin, ...this.shape.toColumns(event));
  }

  /** Events with arrival in [from, to), in arrival order. */
  between(from: number, to: number): E[] {
    return (this.range.all(from, to) as Record<string, unknown>[]).map((row) =>
      this.shape.fromRow(
        { arrival: row.arrival as number, arrivalTime: row.arrival_time as number, origin: row.origin as string },
        row,
      ),
    );
  }

  /** Forgets events below `arrival` (no consumer can ask for them any more). */
  prune(arrival: number): void {
    this.forget.run(arrival);
  }
}
