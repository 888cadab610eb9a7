import { mkdtempSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError, StatusCode } from '../../engine/errors.js';
import type { DiskIo } from '../../engine/storage/disk-space.js';
import { StorageEngine } from '../../engine/storage-engine.js';
import { WalWriter } from '../../engine/wal/wal-writer.js';
import { int64Run } from './int64-tablet.js';

// Fault injection through the engine's DiskIo: the folder looks full, or a WAL write fails
// with ENOSPC, without filling a disk. disk-full-tmpfs.test.ts does the same on a real,
// size-limited file system.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'disk-full-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tablet = (from: number, count: number) => int64Run('root.f.d', from, count);

/** A disk whose free space and WAL writes the test decides. */
class FakeDisk implements DiskIo {
  free = 1e9;
  total = 1e9;
  writesFail = false;
  space(): { free: number; total: number } {
    return { free: this.free, total: this.total };
  }
  write(fd: number, bytes: Uint8Array, offset: number, length: number): number {
    if (this.writesFail) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return writeSync(fd, bytes, offset, length);
  }
}

const count = (engine: StorageEngine) => engine.aggregate('root.f.d', 's').count;

async function refusal(write: Promise<unknown>): Promise<EngineError> {
  const error = await write.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

async function eventually(check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a full WAL or data folder (fault injection)', () => {
  it('refuses writes with DISK_SPACE_INSUFFICIENT naming the folder, applies none of them, and accepts again once there is room', async () => {
    const disk = new FakeDisk();
    const walDir = join(dir, 'wal-folder');
    const engine = StorageEngine.open({ dir, walDir, flushInWorker: false, walMode: 'SYNC', diskIo: disk });
    await engine.write(tablet(0, 10));
    disk.free = 1e6;
    const error = await refusal(engine.write(tablet(10, 10)));
    expect(error.code).toBe(StatusCode.DISK_SPACE_INSUFFICIENT);
    expect(error.message).toContain(`the WAL folder ${walDir} is full`);
    expect(error.message).toContain('disk_space_warning_threshold=0.05');
    expect(error.retriable).toBe(true);
    const deletion = await refusal(engine.delete('root.f.d.s', 0n, 5n));
    expect(deletion.code).toBe(StatusCode.DISK_SPACE_INSUFFICIENT);
    expect(count(engine)).toBe(10);
    disk.free = 1e9;
    await eventually(
      async () =>
        await engine.write(tablet(10, 10)).then(
          () => true,
          () => false,
        ),
    );
    expect(count(engine)).toBe(20);
    await engine.close();
  });

  it('keeps a WAL batch that met a full disk, unacknowledged and out of the segment, until the disk has room', async () => {
    const disk = new FakeDisk();
    const engine = StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC', diskIo: disk });
    await engine.write(tablet(0, 10));
    const walDir = join(dir, 'wal');
    const segment = join(walDir, `wal-${String(WalWriter.listSegments(walDir).at(-1)).padStart(12, '0')}.log`);
    const bytesBefore = statSync(segment).size;
    disk.writesFail = true;
    let acknowledged = false;
    const waiting = engine.write(tablet(10, 10)).then(() => {
      acknowledged = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(acknowledged).toBe(false);
    expect(statSync(segment).size).toBe(bytesBefore);
    // The disk is (nearly) full: the next write is refused at once.
    disk.free = 1000;
    const error = await refusal(engine.write(tablet(20, 10)));
    expect(error.code).toBe(StatusCode.DISK_SPACE_INSUFFICIENT);
    expect(error.message).toContain(`the WAL folder ${walDir} is full`);
    // Room again: the waiting write is written and acknowledged, new writes are accepted.
    disk.writesFail = false;
    disk.free = 1e9;
    await waiting;
    expect(acknowledged).toBe(true);
    await eventually(
      async () =>
        await engine.write(tablet(20, 10)).then(
          () => true,
          () => false,
        ),
    );
    await engine.close();
    const reopened = StorageEngine.open({ dir, flushInWorker: false });
    expect(count(reopened)).toBe(30);
    await reopened.close();
  });

  it('refuses a request bigger than the room left as a whole, before any of it is logged or applied', async () => {
    // Its tablets would form one WAL batch too big for the disk, which would wait for room
    // with the sender waiting on it, instead of being answered.
    const disk = new FakeDisk();
    disk.total = 4e6;
    disk.free = 600_000;
    const walDir = join(dir, 'wal');
    const engine = StorageEngine.open({
      dir,
      flushInWorker: false,
      walMode: 'SYNC',
      diskIo: disk,
      walSegmentBytesMax: 64 * 1024,
      memtableBytesMax: 256 * 1024,
    });
    // 20 tablets of 2000 points, about 640 kB: more than the 600 kB free.
    const big = Array.from({ length: 20 }, (_, i) => tablet(i * 2000, 2000));
    const error = await refusal(engine.writeAll(big));
    expect(error.code).toBe(StatusCode.DISK_SPACE_INSUFFICIENT);
    expect(error.message).toContain(`the WAL folder ${walDir} is full (600000 bytes free, less than the`);
    expect(error.retriable).toBe(true);
    expect(count(engine)).toBe(0);
    // 5 of them, about 160 kB, fit with the room a segment and a memtable flush need.
    await engine.writeAll(big.slice(0, 5));
    expect(count(engine)).toBe(10_000);
    await engine.close();
  });

  it('names the data folder when it is the full one', async () => {
    const disk: DiskIo = {
      space: (folder) => ({ free: folder.endsWith('data') ? 0 : 1e9, total: 1e9 }),
      write: (fd, bytes, offset, length) => writeSync(fd, bytes, offset, length),
    };
    const engine = StorageEngine.open({ dir, flushInWorker: false, diskIo: disk });
    const error = await refusal(engine.write(tablet(0, 1)));
    expect(error.code).toBe(StatusCode.DISK_SPACE_INSUFFICIENT);
    expect(error.message).toContain(`the data folder ${join(dir, 'data')} is full`);
    await engine.close();
  });
});
