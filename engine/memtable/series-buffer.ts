import { copyColumn, viewColumn } from '../../tsfile/column-ops.js';
import { allocateColumn, type ColumnValues, type DataType } from '../../tsfile/data-type.js';
import { firstNotIncreasing, int64Words } from '../../tsfile/io/int64.js';
import type { ColumnBlock } from '../../tsfile/tablet.js';
import type { BufferPool } from './buffer-pool.js';
import { type FixedArray, grown, reservedOf } from './growable-array.js';

const INITIAL_CAPACITY = 64;
/** Above this many increasing runs, sorting the points beats ordering the runs. */
const RUNS_MAX = 65536;

/**
 * The points of one series in a memtable, in arrival order, in growable typed arrays.
 * `sortedView()` gives them ordered by time with duplicates collapsed to the latest
 * arrival (the last appended), computed once per batch of appends.
 */
export class SeriesBuffer {
  private times: BigInt64Array;
  private values: ColumnValues;
  private count = 0;
  /** Times never decreased and never repeated: the view is the buffer itself. */
  private strictlyIncreasing = true;
  /** Points [0, sortedPrefix) are strictly increasing; only those after it need sorting. */
  private sortedPrefix = 0;
  /**
   * Written out of order at some point. Such a series is sorted into fresh arrays now and
   * then, and its sort loops run markedly slower over reserved (resizable) buffers than over
   * plain arrays, so it grows by copies instead.
   */
  private disordered = false;
  private view: ColumnBlock | null = null;
  private binaryBytes = 0;

  constructor(
    readonly dataType: DataType,
    /** Where large arrays come from and go back to (none: fresh ones, left to the collector). */
    private readonly pool: BufferPool | null = null,
  ) {
    this.times = new BigInt64Array(INITIAL_CAPACITY);
    this.values = allocateColumn(dataType, INITIAL_CAPACITY);
  }

  /**
   * Gives its large arrays back to the pool and empties the series. Only for a series that
   * nothing reads any more: a view handed out before would see other points later.
   */
  release(): void {
    if (this.pool !== null) {
      const times = reservedOf(this.times);
      if (times !== null) this.pool.give(times);
      const values = Array.isArray(this.values) ? null : reservedOf(this.values as FixedArray);
      if (values !== null) this.pool.give(values);
    }
    this.times = new BigInt64Array(0);
    this.values = allocateColumn(this.dataType, 0);
    this.count = 0;
    this.sortedPrefix = 0;
    this.strictlyIncreasing = true;
    this.disordered = false;
    this.binaryBytes = 0;
    this.view = null;
  }

  get length(): number {
    return this.count;
  }

  /** Approximate memory held, for the memtable budget. */
  get bytes(): number {
    const width = Array.isArray(this.values) ? 16 : this.values.BYTES_PER_ELEMENT;
    return this.times.length * 8 + this.times.length * width + this.binaryBytes;
  }

  /** Appends rows [from, to) whose `nulls` byte is not 1. */
  append(times: BigInt64Array, values: ColumnValues, nulls: Uint8Array | null, from: number, to: number): void {
    this.ensure(this.count + (to - from));
    const first = this.count;
    if (nulls === null) {
      this.times.set(times.subarray(from, to), first);
      copyColumn(values, from, to, this.values, first);
      this.count += to - from;
    } else {
      let n = first;
      for (let i = from; i < to; i++) {
        if (nulls[i] === 1) continue;
        let j = i + 1;
        while (j < to && nulls[j] !== 1) j++;
        this.times.set(times.subarray(i, j), n);
        copyColumn(values, i, j, this.values, n);
        n += j - i;
        i = j - 1;
      }
      this.count = n;
    }
    if (Array.isArray(values)) {
      const v = this.values as Uint8Array[];
      for (let i = first; i < this.count; i++) this.binaryBytes += v[i]!.length;
    }
    if (this.strictlyIncreasing) {
      const broken = firstNotIncreasing(this.times, Math.max(0, first - 1), this.count);
      this.strictlyIncreasing = broken < 0;
      this.sortedPrefix = broken < 0 ? this.count : broken;
      if (broken >= 0) this.disordered = true;
    }
    this.view = null;
  }

  /** Removes points in [start, end]. */
  deleteRange(start: bigint, end: bigint): number {
    return this.remove((t) => t >= start && t <= end);
  }

  /** Removes points at the given times, all of which lie in [min, max]. */
  deleteTimes(times: ReadonlySet<bigint>, min: bigint, max: bigint): number {
    return this.remove((t) => t >= min && t <= max && times.has(t));
  }

  private remove(removes: (t: bigint) => boolean): number {
    let kept = 0;
    let keptPrefix = 0;
    for (let i = 0; i < this.count; i++) {
      const t = this.times[i]!;
      if (removes(t)) continue;
      if (i < this.sortedPrefix) keptPrefix++;
      this.times[kept] = t;
      (this.values as unknown as unknown[])[kept] = (this.values as unknown as unknown[])[i];
      kept++;
    }
    const removed = this.count - kept;
    this.count = kept;
    this.sortedPrefix = this.strictlyIncreasing ? kept : keptPrefix;
    this.view = null;
    return removed;
  }

  /** Points ordered by time, latest arrival winning on equal times. Valid until the next append. */
  sortedView(): ColumnBlock {
    if (this.view !== null) return this.view;
    const n = this.count;
    if (this.strictlyIncreasing) {
      this.view = {
        times: this.times.subarray(0, n),
        values: viewColumn(this.values, 0, n),
        nulls: null,
        length: n,
      };
      return this.view;
    }
    // Sort only what came after the sorted prefix, merge the two, and keep the result as
    // the buffer itself: a series written out of order is sorted once per batch of appends,
    // in time proportional to the batch, not to the whole series. Times are compared and
    // moved as 32-bit halves, so no BigInt is made per point.
    const p = this.sortedPrefix;
    const w = int64Words(this.times);
    // Index order of two points by time (signed high half, then unsigned low half).
    const compare = (a: number, b: number) => w[2 * a + 1]! - w[2 * b + 1]! || (w[2 * a]! >>> 0) - (w[2 * b]! >>> 0);
    // The increasing runs after the prefix (a tablet each, typically), found once for both ways.
    const runStarts: number[] = p < n ? [p] : [];
    for (let i = p + 1; i < n; i++) if (compare(i, i - 1) <= 0) runStarts.push(i);
    const disjoint = this.disjointRunsView(w, compare, p === 0 ? runStarts : [0, ...runStarts]);
    if (disjoint !== null) return disjoint;
    // Stable by time: equal times keep arrival order, so the last of a run is the latest.
    const tail = mergeRuns(runStarts, n, compare);
    const { outTimes, outValues, ow } = this.allocateOrdered();
    const move = elementMover(this.values, outValues);
    let i = 0;
    let m = 0;
    for (let k = 0; k < tail.length; k++) {
      let latest = tail[k]!;
      while (k + 1 < tail.length && compare(tail[k + 1]!, latest) === 0) latest = tail[++k]!;
      let j = i;
      while (j < p && compare(j, latest) < 0) j++;
      if (j > i) {
        ow.set(w.subarray(2 * i, 2 * j), 2 * m);
        copyColumn(this.values, i, j, outValues, m);
        m += j - i;
      }
      // A prefix point at the same time arrived earlier: the tail's replaces it.
      i = j < p && compare(j, latest) === 0 ? j + 1 : j;
      ow[2 * m] = w[2 * latest]!;
      ow[2 * m + 1] = w[2 * latest + 1]!;
      move(latest, m);
      m++;
    }
    if (i < p) {
      ow.set(w.subarray(2 * i, 2 * p), 2 * m);
      copyColumn(this.values, i, p, outValues, m);
      m += p - i;
    }
    return this.adoptOrdered(outTimes, outValues, m);
  }

  /**
   * The common out-of-order case in one pass: the points form increasing runs (starting at
   * `runStarts`) whose time ranges do not overlap, so sorting the runs by their first time
   * and laying them end to end sorts the points. Null when two runs overlap.
   */
  private disjointRunsView(
    w: Int32Array,
    compare: (a: number, b: number) => number,
    runStarts: readonly number[],
  ): ColumnBlock | null {
    if (runStarts.length > RUNS_MAX) return null;
    const n = this.count;
    const runs = runStarts.map((start, r) => ({ start, end: runStarts[r + 1] ?? n }));
    runs.sort((a, b) => compare(a.start, b.start));
    for (let r = 1; r < runs.length; r++) if (compare(runs[r - 1]!.end - 1, runs[r]!.start) >= 0) return null;
    const { outTimes, outValues, ow } = this.allocateOrdered();
    let m = 0;
    for (const { start, end } of runs) {
      ow.set(w.subarray(2 * start, 2 * end), 2 * m);
      copyColumn(this.values, start, end, outValues, m);
      m += end - start;
    }
    return this.adoptOrdered(outTimes, outValues, m);
  }

  /** Arrays for the ordered points, of the buffer's capacity so appends go on without growing. */
  private allocateOrdered(): { outTimes: BigInt64Array; outValues: ColumnValues; ow: Int32Array } {
    const outTimes = new BigInt64Array(this.times.length);
    return { outTimes, outValues: allocateColumn(this.dataType, this.times.length), ow: int64Words(outTimes) };
  }

  /** The ordered points become the buffer (all of it one increasing prefix) and its view. */
  private adoptOrdered(outTimes: BigInt64Array, outValues: ColumnValues, m: number): ColumnBlock {
    this.times = outTimes;
    this.values = outValues;
    this.count = m;
    this.sortedPrefix = m;
    this.strictlyIncreasing = true;
    this.view = { times: outTimes.subarray(0, m), values: viewColumn(outValues, 0, m), nulls: null, length: m };
    return this.view;
  }

  private ensure(capacity: number): void {
    if (capacity <= this.times.length) return;
    let next = this.times.length * 2;
    while (next < capacity) next *= 2;
    const inPlace = !this.disordered;
    this.times = grown(this.times, this.count, next, this.pool, inPlace);
    if (Array.isArray(this.values)) {
      const values = allocateColumn(this.dataType, next) as Uint8Array[];
      const old = this.values as Uint8Array[];
      for (let i = 0; i < this.count; i++) values[i] = old[i]!;
      this.values = values;
    } else {
      this.values = grown(this.values as FixedArray, this.count, next, this.pool, inPlace) as ColumnValues;
    }
  }
}

/**
 * Moves one value from `from[i]` to `to[j]` for a column's class; INT64 columns go by their
 * 32-bit halves so that no BigInt is made.
 */
function elementMover(from: ColumnValues, to: ColumnValues): (i: number, j: number) => void {
  if (from instanceof BigInt64Array) {
    const src = int64Words(from);
    const dst = int64Words(to as BigInt64Array);
    return (i, j) => {
      dst[2 * j] = src[2 * i]!;
      dst[2 * j + 1] = src[2 * i + 1]!;
    };
  }
  const src = from as unknown as { [k: number]: unknown };
  const dst = to as unknown as { [k: number]: unknown };
  return (i, j) => {
    dst[j] = src[i];
  };
}

/**
 * The indexes from runStarts[0] to n-1 ordered by time, stably (equal times keep arrival
 * order): the increasing runs starting at `runStarts` are merged pairwise, bottom up, on
 * typed arrays.
 */
function mergeRuns(runStarts: readonly number[], n: number, compare: (a: number, b: number) => number): Uint32Array {
  const p = runStarts[0]!;
  let from = new Uint32Array(n - p);
  for (let i = 0; i < from.length; i++) from[i] = p + i;
  let bounds = [...runStarts.map((start) => start - p), from.length];
  let to = new Uint32Array(from.length);
  while (bounds.length > 2) {
    const merged: number[] = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const a = bounds[r]!;
      const b = bounds[r + 1]!;
      const c = r + 2 < bounds.length ? bounds[r + 2]! : b;
      let i = a;
      let j = b;
      let k = a;
      while (i < b && j < c) to[k++] = compare(from[j]!, from[i]!) < 0 ? from[j++]! : from[i++]!;
      while (i < b) to[k++] = from[i++]!;
      while (j < c) to[k++] = from[j++]!;
      merged.push(c);
    }
    bounds = merged;
    [from, to] = [to, from];
  }
  return from;
}
