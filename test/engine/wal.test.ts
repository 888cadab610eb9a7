import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTablet, writeTablet } from '../../engine/wal/tablet-serde.js';
import { segmentFileName } from '../../engine/wal/wal-format.js';
import { readSegment, type WalReporter } from '../../engine/wal/wal-reader.js';
import { WalWriter } from '../../engine/wal/wal-writer.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tablet(rows: number, start: number): Tablet {
  return {
    device: 'root.sg.d1',
    aligned: false,
    rowCount: rows,
    measurements: ['i', 't'],
    dataTypes: [DataType.INT64, DataType.TEXT],
    times: BigInt64Array.from({ length: rows }, (_, i) => BigInt(start + i)),
    columns: [
      BigInt64Array.from({ length: rows }, (_, i) => BigInt(i * 7)),
      Array.from({ length: rows }, (_, i) => Buffer.from(`v${i}`)),
    ],
    nulls: [null, Uint8Array.from({ length: rows }, (_, i) => (i === 1 ? 1 : 0))],
  };
}

class Collect implements WalReporter {
  readonly reports: string[] = [];
  corruption(segmentId: number, offset: number, bytes: number, reason: string): void {
    this.reports.push(`${segmentId}@${offset}+${bytes}: ${reason}`);
  }
}

function readAll(reporter = new Collect()): Tablet[] {
  const out: Tablet[] = [];
  for (const id of WalWriter.listSegments(dir)) {
    for (const e of readSegment(dir, id, reporter, true)) out.push(readTablet(e.payload));
  }
  return out;
}

describe('WAL', () => {
  it('round-trips tablets through SYNC group commits and segment rolls', async () => {
    const wal = new WalWriter(dir, { mode: 'SYNC', asyncSyncMs: 10, segmentBytesMax: 200 }, []);
    await Promise.all([0, 1, 2].map((i) => wal.append(i, (out) => writeTablet(tablet(3, i * 10), out))));
    await wal.append(3, (out) => writeTablet(tablet(2, 100), out));
    wal.close();
    const back = readAll();
    expect(back.map((t) => t.times[0])).toEqual([0n, 10n, 20n, 100n]);
    expect((back[0]!.columns[1] as Uint8Array[]).map((b) => Buffer.from(b).toString())).toEqual(['v0', 'v1', 'v2']);
    expect(back[0]!.nulls[1]).toEqual(Uint8Array.of(0, 1, 0));
    expect(WalWriter.listSegments(dir).length).toBe(2);
  });

  it('syncs ASYNC writes in the background, through segment rolls and close, keeping every entry', async () => {
    const wal = new WalWriter(dir, { mode: 'ASYNC', asyncSyncMs: 1, segmentBytesMax: 300 }, []);
    for (let i = 0; i < 40; i++) {
      await wal.append(i, (out) => writeTablet(tablet(3, i * 10), out));
      // Let the timer start a sync now and then, so that rolls and the close meet one running.
      if (i % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const deadline = Date.now() + 30_000;
    while (wal.syncs === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(wal.syncs).toBeGreaterThan(0);
    await wal.append(40, (out) => writeTablet(tablet(3, 400), out));
    wal.close();
    expect(readAll().map((t) => t.times[0])).toEqual(Array.from({ length: 41 }, (_, i) => BigInt(i * 10)));
    expect(WalWriter.listSegments(dir).length).toBeGreaterThan(5);
  });

  it('drops and truncates a torn tail', async () => {
    const wal = new WalWriter(dir, { mode: 'SYNC', asyncSyncMs: 10, segmentBytesMax: 1 << 20 }, []);
    await wal.append(0, (out) => writeTablet(tablet(3, 0), out));
    await wal.append(1, (out) => writeTablet(tablet(3, 10), out));
    wal.close();
    const path = join(dir, segmentFileName(1));
    const good = statSync(path).size;
    appendFileSync(path, Buffer.from([0, 0, 1, 0, 1, 2, 3, 4, 9, 9]));
    const reporter = new Collect();
    expect(readAll(reporter).length).toBe(2);
    expect(reporter.reports).toEqual([`1@${good}+10: torn tail dropped`]);
    expect(statSync(path).size).toBe(good);
  });

  it('reports a corrupt entry in the middle and keeps the ones after it', async () => {
    const wal = new WalWriter(dir, { mode: 'SYNC', asyncSyncMs: 10, segmentBytesMax: 1 << 20 }, []);
    for (let i = 0; i < 3; i++) await wal.append(i, (out) => writeTablet(tablet(3, i * 10), out));
    wal.close();
    const path = join(dir, segmentFileName(1));
    const bytes = readFileSync(path);
    const firstLength = bytes.readUInt32BE(8);
    const secondStart = 8 + 8 + firstLength;
    bytes[secondStart + 12]! ^= 0xff;
    writeFileSync(path, bytes);
    const reporter = new Collect();
    expect(readAll(reporter).map((t) => t.times[0])).toEqual([0n, 20n]);
    expect(reporter.reports.length).toBe(1);
    expect(reporter.reports[0]).toMatch(/checksum mismatch/);
  });

  it('releases closed segments whose entries are all below the flushed arrival number', async () => {
    const wal = new WalWriter(dir, { mode: 'SYNC', asyncSyncMs: 10, segmentBytesMax: 50 }, []);
    for (let i = 0; i < 4; i++) await wal.append(i, (out) => writeTablet(tablet(2, i * 10), out));
    expect(WalWriter.listSegments(dir)).toEqual([1, 2, 3, 4]);
    expect(wal.release(2)).toEqual([1, 2]);
    expect(WalWriter.listSegments(dir)).toEqual([3, 4]);
    wal.close();
  });
});
