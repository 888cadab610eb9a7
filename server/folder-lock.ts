import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The file whose exclusive SQLite lock marks a folder as held by a running node. */
export const LOCK_FILE = '.iotdb-lite.lock';
/** The holder's process id, for the message a second start prints. */
export const PID_FILE = '.iotdb-lite.pid';

/** The folder is held by another running node (or another engine in this process). */
export class FolderInUseError extends Error {
  override readonly name = 'FolderInUseError';
}

/**
 * One node per folder. The guarantee is an operating-system lock (SQLite's exclusive
 * lock, POSIX record locks underneath) on `.iotdb-lite.lock`: the kernel drops it when
 * the holder exits in any way, `kill -9` included, so a stale lock is simply free again
 * and the next start takes it. The pid file beside it only names the holder in the
 * message; it is never trusted to decide. A start that finds the folder held changes
 * nothing in it: it only opens the lock file (which the holder created) and reads the pid.
 */
export class FolderLock {
  private constructor(
    readonly dir: string,
    private readonly db: Database.Database,
  ) {}

  /** Takes the lock on `dir` (an existing folder) or throws FolderInUseError naming the holder. */
  static acquire(dir: string): FolderLock {
    const file = join(dir, LOCK_FILE);
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (error) {
      throw new FolderInUseError(`cannot open the lock file ${file}: ${(error as Error).message}`);
    }
    try {
      // In exclusive locking mode the lock taken by a write is kept until the connection
      // closes. The write itself is the holder's pid.
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER)');
      db.exec('DELETE FROM holder');
      db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
      db.exec('COMMIT');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY') || /locked|busy/i.test(String(error))) {
        throw new FolderInUseError(`folder ${dir} is in use by another node${holder(dir)}`);
      }
      throw new FolderInUseError(`cannot lock folder ${dir}: ${(error as Error).message}`);
    }
    writeFileSync(join(dir, PID_FILE), `${process.pid}\n`);
    return new FolderLock(dir, db);
  }

  /** Releases the lock; the pid file goes, the lock file stays (for the next start to open). */
  release(): void {
    if (!this.db.open) return;
    rmSync(join(this.dir, PID_FILE), { force: true });
    this.db.close();
  }
}

function holder(dir: string): string {
  try {
    const pid = Number.parseInt(readFileSync(join(dir, PID_FILE), 'utf8').trim(), 10);
    if (Number.isInteger(pid)) return ` (pid ${pid}${pid === process.pid ? ', this process' : ''})`;
  } catch {
    // No pid file: the holder is starting or has just stopped.
  }
  return '';
}
