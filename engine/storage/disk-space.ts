import { statfsSync, writeSync } from 'node:fs';
import { EngineError, StatusCode } from '../errors.js';

/**
 * The file-system calls through which the engine learns of and meets a full disk. Tests
 * replace them to make a folder look full, or a write fail for want of space, without
 * filling a real disk.
 */
export interface DiskIo {
  /** Free and total bytes of the file system holding `dir`. */
  space(dir: string): { readonly free: number; readonly total: number };
  /** Writes bytes to an open file (as `fs.writeSync`); may throw ENOSPC. */
  write(fd: number, bytes: Uint8Array, offset: number, length: number): number;
}

export const NODE_DISK_IO: DiskIo = {
  space(dir) {
    const s = statfsSync(dir);
    return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  },
  write: (fd, bytes, offset, length) => writeSync(fd, bytes, offset, length),
};

/** Whether an error says the disk (or the user's quota) has no room left. */
export function isNoSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true;
  return error instanceof Error && /\b(ENOSPC|EDQUOT)\b|no space left on device/i.test(error.message);
}

/** IoTDB's status for a write refused because a folder is full, naming the folder. */
export function diskFullError(what: string, dir: string, detail: string): EngineError {
  return new EngineError(
    StatusCode.DISK_SPACE_INSUFFICIENT,
    `the ${what} folder ${dir} is full (${detail}): writes are refused until space is freed there`,
    true,
  );
}

/**
 * Watches the free space of the folders the engine writes to. A folder counts as full when
 * its file system has less than `warningThreshold` of its size free (IoTDB's
 * `disk_space_warning_threshold`), or since a write there failed for want of space until a
 * later look finds room again. A look is one `statfs`, a few microseconds.
 */
export class DiskSpace {
  private readonly failed = new Map<string, string>();

  constructor(
    private readonly io: DiskIo,
    private readonly warningThreshold: number,
  ) {}

  /**
   * Throws DISK_SPACE_INSUFFICIENT naming the first of `folders` that is full: below the
   * threshold, or with less than `reserve` bytes free (what the next writes there may need
   * at once, so that they rarely meet a full disk half way).
   */
  check(folders: readonly { readonly what: string; readonly dir: string; readonly reserve: number }[]): void {
    for (const { what, dir, reserve } of folders) {
      const why = this.fullness(dir, reserve);
      if (why !== null) throw diskFullError(what, dir, why);
    }
  }

  /** Records that a write to `dir` failed for want of space (so writes stop until room is back). */
  failedIn(dir: string, error: unknown): void {
    this.failed.set(dir, error instanceof Error ? error.message : String(error));
  }

  private fullness(dir: string, reserve: number): string | null {
    let why: string | null = null;
    try {
      const { free, total } = this.io.space(dir);
      const failure = this.failed.get(dir);
      if (free < total * this.warningThreshold) {
        why = `${free} bytes free of ${total}, below disk_space_warning_threshold=${this.warningThreshold}`;
      } else if (free < reserve) {
        why = `${free} bytes free, less than the ${reserve} bytes its next writes may need`;
      } else if (failure !== undefined && free < FREE_AFTER_FAILURE_BYTES_MIN) {
        why = `a write failed: ${failure}`;
      } else {
        this.failed.delete(dir);
      }
    } catch {
      // A folder whose space cannot be read is left to its writes to report.
    }
    return why;
  }
}

/** After a write failed for want of space, writes resume once at least this much is free. */
const FREE_AFTER_FAILURE_BYTES_MIN = 1024 * 1024;
