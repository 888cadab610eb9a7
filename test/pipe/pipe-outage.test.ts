import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageEngine } from '../../engine/storage-engine.js';
import type { PipeConnector, PipeDeletion } from '../../pipe/connector/pipe-connector.js';
import { pipeInclusion } from '../../pipe/extractor/inclusion.js';
import { PathPrefixFilter } from '../../pipe/path-prefix-filter.js';
import { PipeTask } from '../../pipe/pipe-task.js';
import { SubtaskSlots } from '../../pipe/subtask-slots.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';

const SEGMENT_BYTES = 4096;
const PIN_BOUND_BYTES = 16 * 1024;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipe-outage-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A receiver in this process: B's engine behind the connector interface. While `down`,
 * a transfer waits (as a connector retrying an unreachable receiver does).
 */
class InProcessReceiver implements PipeConnector {
  private up: Promise<void> = Promise.resolve();
  private bringUp: () => void = () => {};
  private files = 0;

  constructor(
    private readonly engine: StorageEngine,
    private readonly staging: string,
  ) {}

  goDown(): void {
    this.up = new Promise((resolve) => {
      this.bringUp = resolve;
    });
  }

  comeBack(): void {
    this.bringUp();
  }

  async handshake(): Promise<void> {}
  async transferTablet(tablet: Tablet): Promise<void> {
    await this.up;
    await this.engine.write(tablet);
  }
  async transferFile(path: string): Promise<void> {
    await this.up;
    const copy = join(this.staging, `${++this.files}.tsfile`);
    copyFileSync(path, copy);
    await this.engine.load(copy, { move: true });
  }
  async transferDeletion(d: PipeDeletion): Promise<void> {
    await this.up;
    await this.engine.delete(d.pattern, d.start, d.end);
  }
  close(): void {}
}

/** Every point of every series, as text, for comparing two engines. */
function everything(engine: StorageEngine): string {
  const lines: string[] = [];
  for (const s of engine.matchSeries('root.**')) {
    for (const b of engine.readSeries(s.device, s.measurement)) {
      for (let i = 0; i < b.length; i++)
        lines.push(`${s.device}.${s.measurement} ${b.times[i]} ${String((b.values as ArrayLike<unknown>)[i])}`);
    }
  }
  return lines.sort().join('\n');
}

function tablet(device: string, time: number, value: number): Tablet {
  return {
    device,
    aligned: false,
    measurements: ['v'],
    dataTypes: [DataType.INT64],
    times: BigInt64Array.of(BigInt(time)),
    columns: [BigInt64Array.of(BigInt(value))],
    nulls: [null],
    rowCount: 1,
  };
}

/** Writes over few points (later ones overwrite earlier ones), deletions and flushes among them. */
async function traffic(engine: StorageEngine, seed: number, count: number, each: () => void): Promise<void> {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor(state / 65536) % n;
  };
  for (let k = 0; k < count; k++) {
    const roll = next(1000);
    const t = next(80);
    if (roll < 4) await engine.flush();
    else if (roll < 10) await engine.delete(`root.db.d${next(4)}.*`, BigInt(t), BigInt(t + next(8)));
    else await engine.write(tablet(`root.db.d${next(4)}`, t, seed * 100_000 + k));
    each();
  }
}

function folderBytes(folder: string): number {
  let total = 0;
  for (const name of readdirSync(folder)) total += statSync(join(folder, name)).size;
  return total;
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 60_000;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a receiver down while the sender takes more than the pipe keeps in memory', () => {
  it('keeps the WAL under the pin bound, then gives the receiver the sealed files and the deletions', async () => {
    const a = StorageEngine.open({
      dir: join(dir, 'a'),
      flushInWorker: false,
      walSegmentBytesMax: SEGMENT_BYTES,
      memtableBytesMax: 16 * 1024,
      memtableBudgetBytes: 64 * 1024,
      pinnedWalBytesMax: PIN_BOUND_BYTES,
    });
    const b = StorageEngine.open({ dir: join(dir, 'b'), flushInWorker: false });
    const staging = mkdtempSync(join(dir, 'staging-'));
    const receiver = new InProcessReceiver(b, staging);
    const letGo: number[] = [];
    a.tap.onLetGo((_consumer, held) => letGo.push(held));
    await traffic(a, 1, 500, () => {});
    // As CREATE PIPE does: a cut, a pin there, everything before it flushed into history files.
    const cut = a.arrivalHighWater;
    a.tap.pin('pipe:p', cut);
    await a.flush();
    const filter = new PathPrefixFilter('root');
    let progress = { historyDone: false, filesDone: [] as number[], realtimeFrom: cut };
    const failures: string[] = [];
    const task = new PipeTask({
      name: 'p',
      engine: a,
      connector: receiver,
      filter,
      history: { filter, start: null, end: null, cutArrival: cut },
      realtime: true,
      inclusion: pipeInclusion('data', null),
      forwarding: true,
      progress,
      slots: new SubtaskSlots(1),
      save: (p) => {
        progress = { ...p, filesDone: [...p.filesDone] };
        a.tap.pin('pipe:p', p.realtimeFrom);
      },
      fail: (m) => failures.push(m),
      log: () => {},
    });
    try {
      await traffic(a, 2, 300, () => {});
      await eventually(() => progress.realtimeFrom === a.arrivalHighWater, 'the pipe to catch up');
      expect(everything(b)).toBe(everything(a));

      receiver.goDown();
      const walDir = join(dir, 'a', 'wal');
      let walMax = 0;
      // More events than the pipe's queue holds, deletions of points B has among them.
      await traffic(a, 3, 9000, () => {
        walMax = Math.max(walMax, folderBytes(walDir));
      });
      expect(letGo.length).toBeGreaterThan(0);
      expect(walMax).toBeLessThanOrEqual(PIN_BOUND_BYTES + 2 * SEGMENT_BYTES + 16 * 1024);
      expect(a.pinnedWalBytes('pipe:p')).toBeLessThanOrEqual(PIN_BOUND_BYTES + SEGMENT_BYTES);

      receiver.comeBack();
      await eventually(() => progress.realtimeFrom === a.arrivalHighWater, 'the pipe to catch up again');
      expect(everything(b)).toBe(everything(a));
      expect(everything(b).split('\n').length).toBeGreaterThan(100);
      expect(failures).toEqual([]);
      // Caught up: nothing is pinned beyond the segment being written.
      expect(a.pinnedWalBytes('pipe:p')).toBeLessThanOrEqual(SEGMENT_BYTES);
    } finally {
      await task.stop();
      await a.close();
      await b.close();
    }
  }, 120_000);
});
