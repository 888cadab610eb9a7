import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeriesBuffer } from '../../engine/memtable/series-buffer.js';
import { DataType } from '../../tsfile/data-type.js';

type Step = { kind: 'append'; times: number[] } | { kind: 'view' } | { kind: 'delete'; start: number; end: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      times: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 12 }),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'view' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 10 }))
      .map(([start, width]) => ({ kind: 'delete' as const, start, end: start + width })),
  },
);

/** Small test times spread over the 64-bit range, negative ones included (high halves differ). */
const wide = (t: number) => BigInt(t - 30) * 123_456_789_012_345n;

describe('a memtable series buffer', () => {
  it('views points by time with the latest arrival winning, across appends, views and deletions', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const buffer = new SeriesBuffer(DataType.INT64);
        const model = new Map<number, bigint>();
        let serial = 0n;
        const check = () => {
          const view = buffer.sortedView();
          const want = [...model.entries()].sort(([a], [b]) => a - b);
          expect([...view.times]).toEqual(want.map(([t]) => wide(t)));
          expect([...(view.values as BigInt64Array)]).toEqual(want.map(([, v]) => v));
        };
        for (const s of steps) {
          if (s.kind === 'append') {
            const values = BigInt64Array.from(s.times, () => ++serial);
            buffer.append(BigInt64Array.from(s.times, wide), values, null, 0, s.times.length);
            for (let i = 0; i < s.times.length; i++) model.set(s.times[i]!, values[i]!);
          } else if (s.kind === 'delete') {
            buffer.deleteRange(wide(s.start), wide(s.end));
            for (const t of [...model.keys()]) if (t >= s.start && t <= s.end) model.delete(t);
          } else {
            check();
          }
        }
        check();
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a view handed out before later appends unchanged', () => {
    const buffer = new SeriesBuffer(DataType.INT64);
    buffer.append(BigInt64Array.of(5n, 1n), BigInt64Array.of(50n, 10n), null, 0, 2);
    const first = buffer.sortedView();
    buffer.append(BigInt64Array.of(3n, 1n), BigInt64Array.of(30n, 11n), null, 0, 2);
    expect([...first.times]).toEqual([1n, 5n]);
    expect([...(first.values as BigInt64Array)]).toEqual([10n, 50n]);
    const second = buffer.sortedView();
    expect([...second.times]).toEqual([1n, 3n, 5n]);
    expect([...(second.values as BigInt64Array)]).toEqual([11n, 30n, 50n]);
  });
});
