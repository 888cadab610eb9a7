import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageEngine } from '../../engine/storage-engine.js';
import { type RealtimeEvent, RealtimeSource } from '../../pipe/extractor/realtime-source.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'realtime-loaded-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (name: string) => StorageEngine.open({ dir: join(dir, name), flushInWorker: false, walMode: 'SYNC' });

function tablet(device: string, time: number): Tablet {
  return {
    device,
    aligned: false,
    measurements: ['s'],
    dataTypes: [DataType.INT64],
    times: BigInt64Array.of(BigInt(time)),
    columns: [BigInt64Array.of(BigInt(time))],
    nulls: [null],
    rowCount: 1,
  };
}

/** Each event as text: an insert's device and time, a file's origin. */
function describeEvent(e: RealtimeEvent): string {
  if (e.kind === 'insert') return `insert ${e.tablet.device} ${e.tablet.times[0]}`;
  if (e.kind === 'files')
    return `files ${e.files.map((f) => (f.loaded ? `loaded from ${f.origin}` : 'flushed')).join(' ')}`;
  if (e.kind === 'schema') return `schema ${e.change.op}`;
  return 'delete';
}

async function take(source: RealtimeSource, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(describeEvent((await source.next())!));
  return out;
}

describe('realtime source and loaded files', () => {
  it('a file loaded after the source started (as a pipe’s receiver loads one) is an event in arrival order, live and read back', async () => {
    const other = await open('other');
    await other.write(tablet('root.db.other', 5));
    await other.flush();
    const file = join(dir, 'sent.tsfile');
    copyFileSync(other.sealedFiles()[0]!.path, file);
    await other.close();

    const engine = await open('here');
    const start = engine.arrivalHighWater;
    // As a pipe does: its position pins the WAL.
    engine.tap.pin('pipe', start);
    const live = new RealtimeSource(engine, start);
    const first = live.next();
    await engine.write(tablet('root.db.here', 1));
    await engine.load(file, { move: true, origin: 'node-c' });
    await engine.write(tablet('root.db.here', 2));
    // The database and series of the first write are created just before it, the file's
    // series just before the file.
    const expected = [
      'schema create-database',
      'schema create-series',
      'insert root.db.here 1',
      'schema create-series',
      'files loaded from node-c',
      'insert root.db.here 2',
    ];
    expect([describeEvent((await first)!), ...(await take(live, 5))]).toEqual(expected);
    live.stop();

    // A source resuming from before the load (a restart) reads it back between the WAL's inserts.
    const resumed = new RealtimeSource(engine, start);
    expect(await take(resumed, 6)).toEqual(expected);
    resumed.stop();
    await engine.close();
  });
});
