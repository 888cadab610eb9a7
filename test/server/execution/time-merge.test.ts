import { describe, expect, it } from 'vitest';
import type { ResultBlock } from '../../../protocol/result-block.js';
import { splitColumns } from '../../../server/execution/column-split.js';
import { mergeByTime } from '../../../server/execution/time-merge.js';
import { needsOf, SeriesWindows } from '../../../server/execution/window-aggregator.js';
import { WindowGrid } from '../../../server/execution/window-grid.js';
import { DataType } from '../../../tsfile/data-type.js';
import type { ColumnBlock } from '../../../tsfile/tablet.js';

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Series {
  readonly type: DataType;
  readonly points: [bigint, unknown][];
}

/** Cuts a series' points into blocks of random sizes (empty ones included). */
function blocksOf(s: Series, rand: () => number): ColumnBlock[] {
  const blocks: ColumnBlock[] = [];
  let at = 0;
  while (at < s.points.length) {
    const n = Math.min(s.points.length - at, Math.floor(rand() * 40));
    const part = s.points.slice(at, at + n);
    const times = BigInt64Array.from(part.map((p) => p[0]));
    const values =
      s.type === DataType.INT64
        ? BigInt64Array.from(part.map((p) => p[1] as bigint))
        : s.type === DataType.TEXT
          ? part.map((p) => p[1] as Uint8Array)
          : s.type === DataType.BOOLEAN
            ? Uint8Array.from(part.map((p) => (p[1] ? 1 : 0)))
            : Float64Array.from(part.map((p) => p[1] as number));
    blocks.push({ times, values, nulls: null, length: n });
    at += n;
  }
  return blocks;
}

function randomSeries(rand: () => number, type: DataType, shared: bigint[]): Series {
  const times = new Set<bigint>();
  // Mostly the shared timestamps (so runs line up), plus some of their own.
  for (const t of shared) if (rand() < 0.8) times.add(t);
  for (let i = 0; i < 60; i++) times.add(BigInt(Math.floor(rand() * 2000) - 1000) * 1_000_000_000_000n);
  const sorted = [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    type,
    points: sorted.map((t, i) => [
      t,
      type === DataType.INT64
        ? BigInt(i) * 3_000_000_000_001n - 7n
        : type === DataType.TEXT
          ? new TextEncoder().encode(`v${i}`)
          : type === DataType.BOOLEAN
            ? i % 3 === 0
            : i * 0.5,
    ]),
  };
}

function rowsOf(blocks: Iterable<ResultBlock>): unknown[][] {
  const rows: unknown[][] = [];
  for (const b of blocks) {
    for (let i = 0; i < b.rowCount; i++) {
      rows.push([
        b.times[i],
        ...b.columns.map((c) => {
          if (c.nulls?.[i] === 1) return null;
          const v = (c.values as ArrayLike<unknown>)[i];
          return c.type === DataType.BOOLEAN ? v === 1 : v;
        }),
      ]);
    }
  }
  return rows;
}

/** The join written the obvious way. */
function naiveJoin(series: readonly Series[]): unknown[][] {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const maps = series.map((s) => new Map(s.points));
  return times.map((t) => [t, ...maps.map((m) => (m.has(t) ? m.get(t) : null))]);
}

describe('mergeByTime', () => {
  it('joins series on time exactly as a naive join, whatever the block cuts and block size', () => {
    const types = [DataType.INT64, DataType.DOUBLE, DataType.TEXT, DataType.BOOLEAN];
    for (let seed = 1; seed <= 40; seed++) {
      const rand = random(seed);
      const shared = Array.from({ length: 150 }, (_, i) => BigInt(i * 7 - 300) * 1_000_000_000_000n);
      const k = 1 + Math.floor(rand() * 5);
      const series = Array.from({ length: k }, (_, j) => randomSeries(rand, types[(seed + j) % 4]!, shared));
      const blockRows = [1, 3, 16, 100, 10_000][seed % 5]!;
      const merged = mergeByTime(
        series.map((s) => ({ type: s.type, blocks: blocksOf(s, rand)[Symbol.iterator]() })),
        blockRows,
      );
      const blocks = [...merged];
      expect(rowsOf(blocks)).toEqual(naiveJoin(series));
      for (const b of blocks) expect(b.rowCount).toBeGreaterThan(0);
    }
  });

  it('copies runs of shared timestamps as they are, nulls where a series has no block', () => {
    const times = BigInt64Array.of(1n, 2n, 3n);
    const blocks = [
      ...mergeByTime(
        [
          {
            type: DataType.DOUBLE,
            blocks: [{ times, values: Float64Array.of(1, 2, 3), nulls: null, length: 3 }][Symbol.iterator](),
          },
          {
            type: DataType.INT64,
            blocks: [{ times, values: BigInt64Array.of(4n, 5n, 6n), nulls: null, length: 3 }][Symbol.iterator](),
          },
          { type: DataType.DOUBLE, blocks: [][Symbol.iterator]() },
        ],
        100,
      ),
    ];
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.columns[0]!.nulls).toBeNull();
    expect(rowsOf(blocks)).toEqual([
      [1n, 1, 4n, null],
      [2n, 2, 5n, null],
      [3n, 3, 6n, null],
    ]);
  });
});

describe('SeriesWindows', () => {
  it('aggregates every window as a naive scan does, tumbling, sliding and gapped, in any batch size', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rand = random(seed * 7);
      const s = randomSeries(rand, seed % 2 === 0 ? DataType.INT64 : DataType.DOUBLE, []);
      const unit = 1_000_000_000_000n;
      const interval = BigInt(1 + Math.floor(rand() * 200)) * unit;
      const step = BigInt(1 + Math.floor(rand() * 300)) * unit;
      const start = BigInt(Math.floor(rand() * 400) - 1200) * unit;
      const end = BigInt(Math.floor(rand() * 400) + 800) * unit;
      const grid = new WindowGrid(start, end, interval, step, false);
      const windows = new SeriesWindows(
        blocksOf(s, rand)[Symbol.iterator](),
        s.type === DataType.INT64 ? 'int64' : 'double',
        grid,
        needsOf(['sum', 'min_value']),
      );
      const batch = 1 + Math.floor(rand() * 20);
      for (let w0 = 0; w0 < grid.count; w0 += batch) {
        const w1 = Math.min(grid.count, w0 + batch);
        const states = windows.collect(w0, w1);
        for (let i = w0; i < w1; i++) {
          const inside = s.points.filter(([t]) => t >= grid.windowStart(i) && t < grid.windowEnd(i));
          const st = states[i - w0]!;
          expect(st.count).toBe(inside.length);
          expect(st.value('first_value')).toEqual(inside[0]?.[1] ?? null);
          expect(st.value('last_value')).toEqual(inside.at(-1)?.[1] ?? null);
          expect(st.value('max_time')).toEqual(inside.at(-1)?.[0] ?? null);
          const values = inside.map((p) => Number(p[1]));
          expect(st.value('sum')).toEqual(inside.length === 0 ? null : values.reduce((a, b) => a + b, 0));
          let min: unknown = null;
          for (const [, v] of inside) if (min === null || (v as number) < (min as number)) min = v;
          expect(st.value('min_value')).toEqual(min);
        }
      }
      windows.close();
    }
  });
});

describe('splitColumns', () => {
  it('gives each column its non-null points, pulling the source once', () => {
    let pulls = 0;
    function* source(): Generator<ResultBlock> {
      pulls++;
      yield {
        times: BigInt64Array.of(1n, 2n, 3n),
        rowCount: 3,
        columns: [
          { type: DataType.DOUBLE, values: Float64Array.of(1, 2, 3), nulls: Uint8Array.of(0, 1, 0) },
          { type: DataType.DOUBLE, values: Float64Array.of(4, 5, 6), nulls: null },
        ],
      };
    }
    const [a, b] = splitColumns(source(), 2);
    const first = a!.next().value as ColumnBlock;
    const second = b!.next().value as ColumnBlock;
    expect([...first.times]).toEqual([1n, 3n]);
    expect([...(first.values as Float64Array)]).toEqual([1, 3]);
    expect([...second.times]).toEqual([1n, 2n, 3n]);
    expect(a!.next().done).toBe(true);
    expect(b!.next().done).toBe(true);
    expect(pulls).toBe(1);
  });
});
