import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StorageEngine } from '../../engine/storage-engine.js';
import { DataType } from '../../tsfile/data-type.js';

type Op =
  | { kind: 'write'; device: number; times: number[]; value: number }
  | { kind: 'flush' }
  | { kind: 'delete'; device: number | null; start: number; end: number }
  | { kind: 'restart' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      device: fc.nat(2),
      times: fc.array(fc.nat(60), { minLength: 1, maxLength: 8 }),
      value: fc.integer({ min: -1000, max: 1000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      device: fc.option(fc.nat(2), { nil: null }),
      start: fc.nat(60),
      end: fc.nat(60),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

/** Reads every point of the model's devices from the engine. */
function readAll(engine: StorageEngine): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (let d = 0; d < 3; d++) {
    const points = new Map<number, number>();
    let last = -1;
    for (const b of engine.readSeries(`root.m.d${d}`, 's')) {
      for (let i = 0; i < b.length; i++) {
        const t = Number(b.times[i]!);
        if (t <= last) throw new Error(`times not increasing: ${t} after ${last}`);
        last = t;
        points.set(t, Number((b.values as BigInt64Array)[i]!));
      }
    }
    out.set(`root.m.d${d}`, points);
  }
  return out;
}

describe('query results equal an in-memory model', () => {
  it('under random writes (in and out of order), flushes, deletions and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
        const dir = mkdtempSync(join(tmpdir(), 'engine-model-'));
        const model = new Map<string, Map<number, number>>([0, 1, 2].map((d) => [`root.m.d${d}`, new Map()]));
        let engine = StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC' });
        try {
          let counter = 0;
          for (const op of ops) {
            if (op.kind === 'write') {
              const device = `root.m.d${op.device}`;
              const values = op.times.map(() => op.value * 100 + counter++);
              await engine.write({
                device,
                aligned: false,
                measurements: ['s'],
                dataTypes: [DataType.INT64],
                times: BigInt64Array.from(op.times, BigInt),
                columns: [BigInt64Array.from(values, BigInt)],
                nulls: [null],
                rowCount: op.times.length,
              });
              for (let i = 0; i < op.times.length; i++) model.get(device)!.set(op.times[i]!, values[i]!);
            } else if (op.kind === 'flush') {
              await engine.flush();
            } else if (op.kind === 'delete') {
              const [start, end] = op.start <= op.end ? [op.start, op.end] : [op.end, op.start];
              await engine.delete(
                op.device === null ? 'root.m.**' : `root.m.d${op.device}.s`,
                BigInt(start),
                BigInt(end),
              );
              for (const [device, points] of model) {
                if (op.device !== null && device !== `root.m.d${op.device}`) continue;
                for (const t of [...points.keys()]) if (t >= start && t <= end) points.delete(t);
              }
            } else {
              await engine.close();
              engine = StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC' });
            }
            expect(readAll(engine)).toEqual(model);
          }
        } finally {
          await engine.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
