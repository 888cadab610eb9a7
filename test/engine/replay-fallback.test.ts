import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageEngine } from '../../engine/storage-engine.js';
import type { TapEvent } from '../../engine/tap/tap-events.js';
import { RealtimeSource } from '../../pipe/extractor/realtime-source.js';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import { int64Run } from './int64-tablet.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'replay-fallback-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () => StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC' });

const tablet = (from: number, count: number) => int64Run('root.r.d', from, count);

/** The times a consumer of these events ends up with (files read whole, inserts applied). */
function timesOf(events: TapEvent[]): number[] {
  const times = new Set<number>();
  for (const e of events) {
    if (e.kind === 'tsfile-sealed') {
      const reader = TsFileReader.open(e.resource.path);
      for (const b of reader.readSeries('root.r.d', 's'))
        for (const t of b.times.subarray(0, b.length)) times.add(Number(t));
      reader.close();
    } else if (e.kind === 'insert') {
      for (const t of e.tablet.times) times.add(Number(t));
    }
  }
  return [...times].sort((a, b) => a - b);
}

/** Three writes with a flush after each of the first two: the WAL keeps only the last two. */
async function writeThreeFlushTwice(engine: StorageEngine): Promise<number[]> {
  const a = await engine.write(tablet(0, 10));
  await engine.flush();
  const b = await engine.write(tablet(10, 10));
  await engine.flush();
  const c = await engine.write(tablet(20, 10));
  return [a, b, c];
}

describe('replay from an arrival number the WAL no longer holds', () => {
  it('hands out the sealed files of those arrivals first, then the WAL', async () => {
    const engine = open();
    const [a, , c] = await writeThreeFlushTwice(engine);
    const all = [...engine.replay(a!)];
    expect(all[0]).toMatchObject({ kind: 'tsfile-sealed' });
    expect(all.filter((e) => e.kind === 'tsfile-sealed')).toHaveLength(1);
    expect(all.at(-1)).toMatchObject({ kind: 'insert', arrival: c });
    expect(timesOf(all)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    // From an arrival the WAL holds on, only WAL events.
    expect([...engine.replay(c!)].map((e) => e.kind)).toEqual(['insert']);
    await engine.close();
  });

  it('does the same after a restart', async () => {
    let engine = open();
    const [a] = await writeThreeFlushTwice(engine);
    await engine.close();
    engine = open();
    expect(timesOf([...engine.replay(a!)])).toEqual(Array.from({ length: 30 }, (_, i) => i));
    await engine.close();
  });

  it('needs no file for a consumer whose pin kept the WAL', async () => {
    const engine = open();
    engine.tap.pin('consumer', 1);
    const [a] = await writeThreeFlushTwice(engine);
    expect([...engine.replay(a!)].map((e) => e.kind)).toEqual(['insert', 'insert', 'insert']);
    await engine.close();
  });

  it('reaches a pipe realtime source as one event of files standing for every arrival the WAL lost', async () => {
    const engine = open();
    const [a, b, c] = await writeThreeFlushTwice(engine);
    const source = new RealtimeSource(engine, a!);
    const first = await source.next();
    expect(first).toMatchObject({ kind: 'files', arrival: a! - 1, through: b! - 1, deletions: [] });
    expect(first?.kind === 'files' && first.files.map((f) => f.minArrival)).toEqual([a]);
    expect(source.position).toBe(b);
    const rest = [await source.next(), await source.next()];
    expect(rest.map((e) => e?.arrival)).toEqual([b, c]);
    expect(source.position).toBe(c! + 1);
    source.stop();
    await engine.close();
  });

  it('keeps, for a consumer that let go of the WAL, the deletions of the segments released', async () => {
    const engine = StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC', pinnedWalBytesMax: 0 });
    const a = await engine.write(tablet(0, 10));
    engine.tap.pin('consumer', a);
    await engine.delete('root.r.d.s', 2n, 3n);
    const lettingGo: [string, number][] = [];
    engine.tap.onLetGo((consumer, _held, walFrom) => lettingGo.push([consumer, walFrom]));
    await engine.flush();
    expect(lettingGo).toEqual([['consumer', a + 2]]);
    await engine.write(tablet(10, 10));
    await engine.flush();
    const fallback = engine.fallback(a);
    expect(fallback?.upTo).toBe(a + 2);
    expect(fallback?.deletions.map((d) => [d.arrival, d.pattern, d.start, d.end])).toEqual([
      [a + 1, 'root.r.d.s', 2n, 3n],
    ]);
    expect(timesOf([...engine.replay(a)])).toEqual([0, 1, ...Array.from({ length: 16 }, (_, i) => i + 4)]);
    // The consumer's position is where it was; only its hold on the WAL moved.
    expect(engine.tap.pinOf('consumer')).toBe(a);
    await engine.close();
  });
});
