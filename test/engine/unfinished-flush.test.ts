import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readResource } from '../../engine/storage/tsfile-resource.js';
import { StorageEngine } from '../../engine/storage-engine.js';
import type { WalMode } from '../../engine/wal/wal-writer.js';
import { DataType } from '../../tsfile/data-type.js';
import { scanFile } from '../../tsfile/read/chunk-group-scanner.js';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import type { Tablet } from '../../tsfile/tablet.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'unfinished-flush-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const seqDir = () => join(dir, 'data', 'sequence', 'root.sg', '0');

function open(walMode: WalMode): StorageEngine {
  return StorageEngine.open({ dir, flushInWorker: false, walMode });
}

function series(device: string, from: number, count: number): Tablet {
  const times = new BigInt64Array(count);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    times[i] = BigInt(from + i);
    values[i] = (from + i) * 0.5;
  }
  return {
    device,
    aligned: false,
    measurements: ['s'],
    dataTypes: [DataType.DOUBLE],
    times,
    columns: [values],
    nulls: [null],
    rowCount: count,
  };
}

function times(engine: StorageEngine, device: string): number[] {
  const out: number[] = [];
  for (const b of engine.readSeries(device, 's')) for (let i = 0; i < b.length; i++) out.push(Number(b.times[i]));
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Puts the only sealed file of root.sg back into the state a crash in the middle of its
 * flush leaves: no resource, no mods, no commit point, the tail of its last chunk group
 * missing, and the name a flush writes under.
 */
function undoCommitAndTear(): { path: string; completeGroups: number } {
  const name = readdirSync(seqDir()).find((n) => n.endsWith('.tsfile'))!;
  const path = join(seqDir(), name);
  const groups = scanFile(path).chunkGroups;
  const last = groups.at(-1)!;
  truncateSync(path, last.offset + Math.floor((last.chunks[0]!.data.length * 2) / 3));
  for (const suffix of ['.resource', '.mods']) rmSync(`${path}${suffix}`, { force: true });
  rmSync(join(dir, 'data', 'sequence', 'root.sg', 'flushed.json'), { force: true });
  renameSync(path, `${path}.flushing`);
  return { path, completeGroups: groups.length - 1 };
}

describe('a flush cut short by a crash', () => {
  it('keeps the complete chunk groups when no WAL holds the points', async () => {
    let engine = open('DISABLE');
    for (const d of ['d1', 'd2', 'd3']) await engine.write(series(`root.sg.${d}`, 1, 500));
    await engine.flush();
    await engine.close();
    const torn = undoCommitAndTear();
    expect(torn.completeGroups).toBe(2);

    engine = open('DISABLE');
    expect(times(engine, 'root.sg.d1')).toEqual(range(1, 500));
    expect(times(engine, 'root.sg.d2')).toEqual(range(1, 500));
    expect(times(engine, 'root.sg.d3')).toEqual([]);
    expect(engine.recoveryReports).toHaveLength(1);
    expect(engine.recoveryReports[0]).toContain('kept 2 complete chunk groups');
    expect(engine.recoveryReports[0]).toContain('torn bytes dropped');
    expect(existsSync(`${torn.path}.flushing`)).toBe(false);
    const resource = readResource(torn.path);
    expect([...resource.devices.keys()]).toEqual(['root.sg.d1', 'root.sg.d2']);
    expect(resource.pointCount).toBe(1000);
    const reader = TsFileReader.open(torn.path);
    expect(reader.devices()).toEqual(['root.sg.d1', 'root.sg.d2']);
    reader.close();

    // New writes continue the arrival order past the salvaged file, and it stays put.
    const arrival = await engine.write(series('root.sg.d3', 600, 10));
    expect(arrival).toBeGreaterThan(resource.maxArrival);
    await engine.close();
    engine = open('DISABLE');
    expect(engine.recoveryReports).toEqual([]);
    expect(times(engine, 'root.sg.d2')).toEqual(range(1, 500));
    expect(times(engine, 'root.sg.d3')).toEqual(range(600, 609));
    await engine.close();
  });

  it('lays the WAL replay over the kept chunk groups, deletions included, each point once', async () => {
    let engine = open('SYNC');
    // Keeps the WAL segments of the flush, as they are before a flush commits.
    engine.tap.pin('test', 1);
    await engine.write(series('root.sg.d1', 1, 100));
    await engine.write(series('root.sg.d2', 1, 100));
    await engine.flush();
    // A deletion while the flush ran: it is in the WAL but not yet in the file's mods.
    await engine.delete('root.sg.d1.s', 5n, 10n);
    await engine.write(series('root.sg.d1', 7, 1));
    await engine.close();
    const torn = undoCommitAndTear();
    expect(torn.completeGroups).toBe(1);

    engine = open('SYNC');
    const expected = [...range(1, 4), 7, ...range(11, 100)];
    expect(times(engine, 'root.sg.d1')).toEqual(expected);
    expect(times(engine, 'root.sg.d2')).toEqual(range(1, 100));
    expect(engine.recoveryReports.join('\n')).toContain('kept 1 complete chunk groups');
    expect(readFileSync(`${torn.path}.mods`, 'utf8')).toContain('"start":"5","end":"10"');

    engine.tap.unpin('test');
    await engine.close();
    engine = open('SYNC');
    expect(engine.recoveryReports).toEqual([]);
    expect(times(engine, 'root.sg.d1')).toEqual(expected);
    expect(times(engine, 'root.sg.d2')).toEqual(range(1, 100));
    await engine.close();
  });

  it('drops a flush file killed before it held anything, and says so', async () => {
    let engine = open('SYNC');
    await engine.write(series('root.sg.d1', 1, 5));
    await engine.close();
    const empty = join(seqDir(), '1-99-0-0.tsfile.flushing');
    writeFileSync(empty, '');
    engine = open('SYNC');
    expect(engine.recoveryReports).toEqual([expect.stringContaining('nothing recoverable of an unfinished flush')]);
    expect(existsSync(empty)).toBe(false);
    expect(times(engine, 'root.sg.d1')).toEqual(range(1, 5));
    await engine.close();
  });

  it('keeps a whole file of a flush whose commit point was not reached', async () => {
    let engine = open('DISABLE');
    await engine.write(series('root.sg.d1', 1, 50));
    await engine.flush();
    await engine.close();
    rmSync(join(dir, 'data', 'sequence', 'root.sg', 'flushed.json'));

    engine = open('DISABLE');
    expect(times(engine, 'root.sg.d1')).toEqual(range(1, 50));
    expect(engine.recoveryReports).toHaveLength(1);
    expect(engine.recoveryReports[0]).not.toContain('torn');
    await engine.close();
  });
});
