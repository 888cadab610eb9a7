import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

/** Lines of history kept: readline's list, and the file once it grows past twice this. */
export const HISTORY_LINES_MAX = 500;

/** Statements that carry a password are not written to the history file. */
const SECRET = /\b(create|alter)\s+user\b|\bpassword\b/i;

/**
 * The interactive CLI's history file (~/.iotdb-lite_history), one statement per line,
 * oldest first. Best effort throughout: a missing or read-only file only means no history.
 */
export class CliHistory {
  constructor(readonly file: string) {}

  /** The remembered lines, most recent first (readline's order). */
  load(): string[] {
    let lines: string[];
    try {
      lines = readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
    if (lines.length > 2 * HISTORY_LINES_MAX) {
      lines = lines.slice(-HISTORY_LINES_MAX);
      try {
        writeFileSync(this.file, `${lines.join('\n')}\n`, { mode: 0o600 });
      } catch {
        // Left long: it is trimmed again next time.
      }
    }
    return lines.slice(-HISTORY_LINES_MAX).reverse();
  }

  /** Appends one entered statement (its lines joined); false when it was not written. */
  remember(entry: string): boolean {
    const line = entry.replace(/\s*\n\s*/g, ' ').trim();
    if (line.length === 0 || SECRET.test(line)) return false;
    try {
      appendFileSync(this.file, `${line}\n`, { mode: 0o600 });
      return true;
    } catch {
      return false;
    }
  }
}
