import Database from 'better-sqlite3';
import type { PluginRole } from './builtin-plugins.js';
import type { ParameterSpec } from './parameter-spec.js';

/** One CREATE PIPEPLUGIN as persisted: enough to load the plugin again at the next start. */
export interface PluginRegistration {
  /** Upper case, as IoTDB keeps plugin names. */
  readonly name: string;
  readonly role: PluginRole;
  /** The export the plugin class is (IoTDB's class name). */
  readonly className: string;
  /** The file name as given in USING URI (IoTDB's jar name). */
  readonly jar: string;
  /** Where the copy is, relative to `pipe_lib_dir` (so the folder may move). */
  readonly installedPath: string;
  /** As declared when it was created, so its pipes' clauses still resolve if the file later fails to load. */
  readonly parameters: readonly ParameterSpec[];
  readonly createdAt: number;
}

/** Registered user pipe plugins, in SQLite in the system folder. */
export class PluginStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS pipe_plugins (
      name TEXT PRIMARY KEY, role TEXT NOT NULL, class_name TEXT NOT NULL, jar TEXT NOT NULL,
      installed_path TEXT NOT NULL, parameters TEXT NOT NULL, created_at INTEGER NOT NULL)`);
  }

  all(): PluginRegistration[] {
    return (
      this.db
        .prepare(
          'SELECT name, role, class_name, jar, installed_path, parameters, created_at FROM pipe_plugins ORDER BY name',
        )
        .all() as {
        name: string;
        role: PluginRole;
        class_name: string;
        jar: string;
        installed_path: string;
        parameters: string;
        created_at: number;
      }[]
    ).map((r) => ({
      name: r.name,
      role: r.role,
      className: r.class_name,
      jar: r.jar,
      installedPath: r.installed_path,
      parameters: JSON.parse(r.parameters) as ParameterSpec[],
      createdAt: r.created_at,
    }));
  }

  insert(r: PluginRegistration): void {
    this.db
      .prepare(
        `INSERT INTO pipe_plugins (name, role, class_name, jar, installed_path, parameters, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.name, r.role, r.className, r.jar, r.installedPath, JSON.stringify(r.parameters), r.createdAt);
  }

  delete(name: string): void {
    this.db.prepare('DELETE FROM pipe_plugins WHERE name = ?').run(name);
  }

  close(): void {
    this.db.close();
  }
}
