import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A size-limited file system a test fills for real, or why it could not be had. */
export interface SmallDisk {
  readonly path: string;
  /** Whether it is mounted (the test skips, saying why, when not). */
  readonly mounted: () => boolean;
}

/**
 * Mounts a tmpfs of `sizeMiB` for the tests of a file (root or CAP_SYS_ADMIN needed) and
 * unmounts it after them. Where mounting is not allowed it says why on the console and
 * `mounted()` is false: such a test skips itself, and fault injection proves the behaviour.
 */
export function smallDisk(name: string, sizeMiB: number): SmallDisk {
  const path = mkdtempSync(join(tmpdir(), `${name}-`));
  let mounted = false;
  beforeAll(() => {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', path], { stdio: 'pipe' });
      mounted = true;
    } catch (error) {
      const why = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
      console.warn(`${name}: skipped, a tmpfs cannot be mounted here: ${why}`);
    }
  });
  afterAll(async () => {
    // The file system may stay busy a moment after the last file is closed.
    for (let tries = 0; mounted && tries < 20; tries++) {
      try {
        execFileSync('umount', [path], { stdio: 'pipe' });
        mounted = false;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    if (mounted) execFileSync('umount', ['-l', path]);
    rmSync(path, { recursive: true, force: true });
  });
  return { path, mounted: () => mounted };
}
