import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * The node's id, made once when its folder is first opened and kept in the system database:
 * it names the node as the origin of its writes to other nodes (IoTDB's cluster id, which a
 * pipe handshake carries), so it must never change for the life of the folder.
 */
export function nodeIdentity(db: Database.Database): string {
  db.exec('CREATE TABLE IF NOT EXISTS node_identity (id TEXT NOT NULL)');
  const row = db.prepare('SELECT id FROM node_identity').get() as { id: string } | undefined;
  if (row !== undefined) return row.id;
  const id = randomUUID();
  db.prepare('INSERT INTO node_identity (id) VALUES (?)').run(id);
  return id;
}
