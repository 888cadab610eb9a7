import type Database from 'better-sqlite3';
import type { SchemaChange } from '../schema/schema-change.js';
import { ArrivalLog } from './arrival-log.js';
import type { SchemaEvent } from './tap-events.js';

/**
 * Schema changes kept for consumers that let go of the WAL: they must reach a receiver
 * before the sealed files that stand in for the inserts after them.
 */
export function schemaLog(db: Database.Database): ArrivalLog<SchemaEvent> {
  return new ArrivalLog<SchemaEvent>(db, {
    table: 'tap_schema',
    columns: ['change TEXT NOT NULL'],
    toColumns: (e) => [JSON.stringify(e.change)],
    fromRow: (stamp, row) => ({ kind: 'schema', ...stamp, change: JSON.parse(row.change as string) as SchemaChange }),
  });
}
