import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resourcePath } from '../../engine/storage/tsfile-resource.js';
import { StorageEngine } from '../../engine/storage-engine.js';
import type { TapEvent } from '../../engine/tap/tap-events.js';
import { readWalRecord, writeWalRecord } from '../../engine/wal/wal-record.js';
import { ByteReader } from '../../tsfile/io/byte-reader.js';
import { ByteWriter } from '../../tsfile/io/byte-writer.js';
import { int64Tablet } from './int64-tablet.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'origin-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(): StorageEngine {
  return StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC' });
}

const tablet = (times: number[], values: number[]) => int64Tablet('root.db.d', times, values);

function points(engine: StorageEngine): string[] {
  const out: string[] = [];
  for (const b of engine.readSeries('root.db.d', 's')) {
    for (let i = 0; i < b.length; i++) out.push(`${b.times[i]}=${(b.values as BigInt64Array)[i]}`);
  }
  return out;
}

describe('the origin of writes (the node where they were first made)', () => {
  it('reads a WAL deletion entry of the first format (kind 2, no origin) as this node’s', () => {
    // kind 2, arrival 5, arrival time 1000, varstr "root.a" (zigzag length 12), start 1, end 2
    const bytes = Buffer.from(
      '02' + '0000000000000005' + '00000000000003e8' + '0c' + '726f6f742e61' + '0000000000000001' + '0000000000000002',
      'hex',
    );
    const record = readWalRecord(new ByteReader(bytes));
    expect(record).toEqual({
      kind: 'delete',
      arrival: 5,
      arrivalTime: 1000,
      origin: '',
      pattern: 'root.a',
      start: 1n,
      end: 2n,
    });
    const out = new ByteWriter(64);
    writeWalRecord(record, out);
    expect(out.toBuffer().toString('hex')).toBe(bytes.toString('hex'));
  });

  it('logs a deletion from another node as kind 4 with its origin after the arrival time', () => {
    const out = new ByteWriter(64);
    writeWalRecord(
      { kind: 'delete', arrival: 5, arrivalTime: 1000, origin: 'B', pattern: 'root.a', start: 1n, end: 2n },
      out,
    );
    expect(out.toBuffer().toString('hex')).toBe(
      '04' +
        '0000000000000005' +
        '00000000000003e8' +
        '02' +
        '42' +
        '0c' +
        '726f6f742e61' +
        '0000000000000001' +
        '0000000000000002',
    );
    expect(readWalRecord(new ByteReader(out.toBuffer()))).toMatchObject({ kind: 'delete', origin: 'B' });
  });

  it('keeps a node id across reopening, and writes named by it count as this node’s', async () => {
    let engine = open();
    const id = engine.nodeId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const events: TapEvent[] = [];
    engine.tap.subscribe((e) => events.push(e));
    await engine.write(tablet([1], [1]), { origin: id });
    // The database and the series, created for the write, come first.
    expect(events.map((e) => e.kind)).toEqual(['schema', 'schema', 'insert']);
    expect(events[2]).toMatchObject({ kind: 'insert', origin: '' });
    await engine.close();
    engine = open();
    expect(engine.nodeId).toBe(id);
    await engine.close();
  });

  it('flushes each origin to files of its own and keeps the origin in the WAL, the .resource and after a restart', async () => {
    let engine = open();
    await engine.write(tablet([1, 2, 3], [10, 20, 30]));
    await engine.write(tablet([4, 5], [40, 50]), { origin: 'node-b' });
    await engine.delete('root.db.d.s', 5n, 5n, { origin: 'node-b' });
    // Read back from the WAL segments on disk.
    const replayed = [...engine.replay(1)].map((e) => (e.kind === 'tsfile-sealed' ? 'file' : `${e.kind}:${e.origin}`));
    // No consumer pins the WAL here, so the schema changes of the first write are not in it.
    expect(replayed).toEqual(['insert:', 'insert:node-b', 'delete:node-b']);
    await engine.close();
    engine = open();
    const files = engine.sealedFiles();
    expect(files.map((f) => f.origin).sort()).toEqual(['', 'node-b']);
    const remote = files.find((f) => f.origin === 'node-b')!;
    expect(JSON.parse(readFileSync(resourcePath(remote.path), 'utf8')).origin).toBe('node-b');
    const local = files.find((f) => f.origin === '')!;
    expect(JSON.parse(readFileSync(resourcePath(local.path), 'utf8'))).not.toHaveProperty('origin');
    expect(points(engine)).toEqual(['1=10', '2=20', '3=30', '4=40']);
    await engine.close();
    engine = open();
    expect(
      engine
        .sealedFiles()
        .map((f) => f.origin)
        .sort(),
    ).toEqual(['', 'node-b']);
    await engine.close();
  });

  it('lets the latest write of a time win across origins, in memory and after the flush', async () => {
    const engine = open();
    await engine.write(tablet([1, 2, 3], [1, 2, 3]));
    await engine.write(tablet([2, 3], [20, 30]), { origin: 'node-b' });
    await engine.write(tablet([3], [300]));
    expect(points(engine)).toEqual(['1=1', '2=20', '3=300']);
    await engine.flush();
    expect(points(engine)).toEqual(['1=1', '2=20', '3=300']);
    const byOrigin = Object.fromEntries(engine.sealedFiles().map((f) => [f.origin, f.pointCount]));
    expect(byOrigin).toEqual({ '': 2, 'node-b': 1 });
    await engine.close();
  });

  it('keeps a loaded file’s origin', async () => {
    const a = open();
    await a.write(tablet([1, 2], [1, 2]));
    await a.flush();
    const file = a.sealedFiles()[0]!.path;
    const other = mkdtempSync(join(tmpdir(), 'origin-b-'));
    const b = StorageEngine.open({ dir: other, flushInWorker: false });
    try {
      const loaded = await b.load(file, { origin: a.nodeId });
      expect(loaded.origin).toBe(a.nodeId);
      expect(JSON.parse(readFileSync(resourcePath(loaded.path), 'utf8')).origin).toBe(a.nodeId);
    } finally {
      await b.close();
      await a.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
