import Database from 'better-sqlite3';
import type { PipeDefinition } from './pipe-definition.js';

export type PipeState = 'STOPPED' | 'RUNNING';

/** What a pipe has delivered: history files done (by version) and the last acknowledged realtime arrival. */
export interface PipeProgress {
  readonly historyDone: boolean;
  /** Versions of the history files delivered. */
  readonly filesDone: readonly number[];
  /** Every realtime event below this arrival number is delivered. */
  readonly realtimeFrom: number;
  /** Auth sync: the node's user changes through this one are delivered (absent: none yet). */
  readonly authFrom?: number;
}

export interface StoredPipe {
  readonly definition: PipeDefinition;
  readonly state: PipeState;
  readonly exception: string;
  readonly progress: PipeProgress;
}

/** Pipe definitions, states and progress in SQLite in the system folder. */
export class PipeStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS pipes (
      name TEXT PRIMARY KEY, definition TEXT NOT NULL, state TEXT NOT NULL,
      exception TEXT NOT NULL, progress TEXT NOT NULL)`);
  }

  all(): StoredPipe[] {
    return (
      this.db.prepare('SELECT definition, state, exception, progress FROM pipes ORDER BY name').all() as {
        definition: string;
        state: PipeState;
        exception: string;
        progress: string;
      }[]
    ).map((r) => ({
      definition: JSON.parse(r.definition) as PipeDefinition,
      state: r.state,
      exception: r.exception,
      progress: JSON.parse(r.progress) as PipeProgress,
    }));
  }

  insert(definition: PipeDefinition, progress: PipeProgress): void {
    this.db
      .prepare("INSERT INTO pipes (name, definition, state, exception, progress) VALUES (?, ?, 'STOPPED', '', ?)")
      .run(definition.name, JSON.stringify(definition), JSON.stringify(progress));
  }

  /** Replaces a pipe's definition (ALTER PIPE); its state and progress stay. */
  updateDefinition(definition: PipeDefinition): void {
    this.db.prepare('UPDATE pipes SET definition = ? WHERE name = ?').run(JSON.stringify(definition), definition.name);
  }

  setState(name: string, state: PipeState, exception: string): void {
    this.db.prepare('UPDATE pipes SET state = ?, exception = ? WHERE name = ?').run(state, exception, name);
  }

  saveProgress(name: string, progress: PipeProgress): void {
    this.db.prepare('UPDATE pipes SET progress = ? WHERE name = ?').run(JSON.stringify(progress), name);
  }

  delete(name: string): void {
    this.db.prepare('DELETE FROM pipes WHERE name = ?').run(name);
  }

  close(): void {
    this.db.close();
  }
}
