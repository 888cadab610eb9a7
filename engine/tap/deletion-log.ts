import type Database from 'better-sqlite3';
import type { WalRecord } from '../wal/wal-record.js';
import { ArrivalLog } from './arrival-log.js';

export type DeleteRecord = Extract<WalRecord, { kind: 'delete' }>;

/**
 * Deletions kept for consumers that let go of the WAL: with their mods, sealed files hold
 * the current state of their points, but a receiver may hold points the sender's files no
 * longer do, so the deletion itself must still reach it.
 */
export function deletionLog(db: Database.Database): ArrivalLog<DeleteRecord> {
  return new ArrivalLog<DeleteRecord>(db, {
    table: 'tap_deletions',
    columns: ['pattern TEXT NOT NULL', 'start_time TEXT NOT NULL', 'end_time TEXT NOT NULL'],
    toColumns: (d) => [d.pattern, String(d.start), String(d.end)],
    fromRow: (stamp, row) => ({
      kind: 'delete',
      ...stamp,
      pattern: row.pattern as string,
      start: BigInt(row.start_time as string),
      end: BigInt(row.end_time as string),
    }),
  });
}
