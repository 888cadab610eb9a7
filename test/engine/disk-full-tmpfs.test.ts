import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError, StatusCode } from '../../engine/errors.js';
import { StorageEngine } from '../../engine/storage-engine.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { smallDisk } from '../tmpfs-mount.js';

// A real full disk: a 4 MiB tmpfs mounted for the test. Mounting needs root (or
// CAP_SYS_ADMIN); where it is not allowed the test is skipped and says why, and
// disk-full.test.ts proves the same behaviour through fault injection.

const disk = smallDisk('disk-full-tmpfs', 4);
const mountPoint = disk.path;

function tablet(from: number): Tablet {
  const count = 2000;
  return {
    device: 'root.t.d',
    aligned: false,
    measurements: ['s'],
    dataTypes: [DataType.INT64],
    times: BigInt64Array.from({ length: count }, (_, i) => BigInt(from + i)),
    // Random-looking values compress badly, so the disk fills quickly.
    columns: [BigInt64Array.from({ length: count }, (_, i) => BigInt(((from + i) * 2654435761) % 1000003))],
    nulls: [null],
    rowCount: count,
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe('a full disk (a 4 MiB tmpfs)', () => {
  it('refuses writes with 611 naming the folder, loses no acknowledged write, leaves no half file, and resumes by itself', async (context) => {
    if (!disk.mounted()) {
      context.skip();
      return;
    }
    const dir = join(mountPoint, 'node');
    // Space to give back later.
    const ballast = join(mountPoint, 'ballast');
    writeFileSync(ballast, Buffer.alloc(1536 * 1024, 1));
    const engine = StorageEngine.open({
      dir,
      flushInWorker: false,
      walMode: 'SYNC',
      walSegmentBytesMax: 4096,
      memtableBytesMax: 128 * 1024,
      memtableBudgetBytes: 256 * 1024,
      // Next to no reserve: the disk is found full by a write failing half way.
      diskSpaceWarningThreshold: 0,
    });
    let acknowledged = 0;
    let refused: EngineError | null = null;
    let waiting: Promise<void> | null = null;
    for (let i = 0; refused === null && waiting === null && i < 10_000; i++) {
      const write = engine.write(tablet(i * 2000)).then(() => {
        acknowledged += 2000;
      });
      const outcome = await Promise.race([
        write.then(
          () => 'done',
          (e: unknown) => e,
        ),
        new Promise((r) => setTimeout(() => r('waiting'), 3000)),
      ]);
      if (outcome === 'waiting') waiting = write;
      else if (outcome !== 'done') refused = outcome as EngineError;
    }
    // Either a write was refused outright, or one waits for room and the next is refused.
    if (refused === null) {
      refused = await engine.write(tablet(99_000_000)).then(
        () => null,
        (e: unknown) => e as EngineError,
      );
    }
    expect(refused).toBeInstanceOf(EngineError);
    expect(refused!.code).toBe(StatusCode.DISK_SPACE_INSUFFICIENT);
    expect(refused!.message).toMatch(new RegExp(`the (WAL|data) folder ${dir}/(wal|data) is full`));
    expect(filesUnder(dir).filter((f) => f.endsWith('.flushing'))).toEqual([]);

    // Room again: what waited is written, and writes are accepted without any intervention.
    rmSync(ballast);
    await waiting;
    let accepted = false;
    for (let tries = 0; !accepted && tries < 100; tries++) {
      accepted = await engine.write(tablet(50_000_000)).then(
        () => true,
        () => false,
      );
      if (!accepted) await new Promise((r) => setTimeout(r, 100));
      else acknowledged += 2000;
    }
    expect(accepted).toBe(true);
    await engine.flush();
    await engine.close();
    expect(filesUnder(dir).filter((f) => f.endsWith('.flushing'))).toEqual([]);
    const tsfiles = filesUnder(dir).filter((f) => f.endsWith('.tsfile'));
    for (const f of tsfiles) expect(filesUnder(dir)).toContain(`${f}.resource`);

    const reopened = StorageEngine.open({ dir, flushInWorker: false });
    expect(reopened.aggregate('root.t.d', 's').count).toBe(acknowledged);
    await reopened.close();
  }, 120_000);
});
