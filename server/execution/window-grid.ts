import { EngineError, StatusCode } from '../../engine/errors.js';
import { earlier } from './time-bounds.js';

/** Calendar windows are listed; more than this is a query nobody means. */
const MAX_LISTED_WINDOWS = 1_000_000;

/**
 * The windows of `GROUP BY ([start, end), interval[, step])`: window i covers
 * [start + i*step, min(start + i*step + interval, end)). A left-open range `(start, end]`
 * is held shifted by one, [start + 1, end + 1), and labels each window with its
 * (inclusive) right end, as IoTDB prints it; a left-closed one with its start. Without
 * GROUP BY the whole range is one window, stamped 0 as IoTDB stamps an aggregation row.
 */
export class WindowGrid {
  /** How many windows: i runs while start + i*step < end. */
  readonly count: number;
  private whole = false;
  /** Calendar windows (`mo` intervals): each window's start and (exclusive) end, listed. */
  private listed: { readonly starts: readonly bigint[]; readonly ends: readonly bigint[] } | null = null;

  constructor(
    readonly start: bigint,
    readonly end: bigint,
    readonly interval: bigint,
    readonly step: bigint,
    readonly leftOpen: boolean,
  ) {
    this.count = end > start ? Number((end - start + step - 1n) / step) : 0;
  }

  /**
   * Windows whose bounds a function gives (calendar months): window i is [startOf(i),
   * endOf(i)), i running while startOf(i) < end; both must increase with i.
   */
  static listed(
    start: bigint,
    end: bigint,
    leftOpen: boolean,
    startOf: (i: number) => bigint,
    endOf: (i: number) => bigint,
  ): WindowGrid {
    const starts: bigint[] = [];
    const ends: bigint[] = [];
    for (let i = 0; ; i++) {
      const s = startOf(i);
      if (s >= end) break;
      if (i >= MAX_LISTED_WINDOWS) {
        throw new EngineError(StatusCode.SEMANTIC_ERROR, `GROUP BY makes more than ${MAX_LISTED_WINDOWS} windows`);
      }
      starts.push(s);
      ends.push(earlier(endOf(i), end));
    }
    const grid = Object.create(WindowGrid.prototype) as WindowGrid;
    Object.assign(grid, { start, end, interval: 0n, step: 0n, leftOpen, count: starts.length, whole: false });
    grid.listed = { starts, ends };
    return grid;
  }

  /** One window over [start, end] inclusive (aggregation without GROUP BY). */
  static whole(start: bigint, end: bigint): WindowGrid {
    const length = end >= start ? end - start + 1n : 1n;
    const grid = new WindowGrid(start, start + length, length, length, false);
    grid.whole = true;
    return grid;
  }

  windowStart(i: number): bigint {
    if (this.listed !== null) return this.listed.starts[i]!;
    return this.start + BigInt(i) * this.step;
  }

  /** Exclusive end of window i. */
  windowEnd(i: number): bigint {
    if (this.listed !== null) return this.listed.ends[i]!;
    return earlier(this.windowStart(i) + this.interval, this.end);
  }

  /** The Time IoTDB prints for window i. */
  label(i: number): bigint {
    if (this.whole) return 0n;
    return this.leftOpen ? this.windowEnd(i) - 1n : this.windowStart(i);
  }

  /** Windows [i0, i1) within [w0, w1) that may hold a time in [first, last]. */
  overlapping(first: bigint, last: bigint, w0: number, w1: number): [number, number] {
    if (last < this.start) return [w0, w0];
    if (this.listed !== null) {
      const { starts, ends } = this.listed;
      const i0 = Math.max(w0, firstAbove(ends, first));
      const i1 = Math.min(w1, firstAbove(starts, last));
      return i1 > i0 ? [i0, i1] : [w0, w0];
    }
    const hi = Number(floorDiv(last - this.start, this.step)) + 1;
    const lo = Number(floorDiv(first - this.start - this.interval, this.step)) + 1;
    const i0 = Math.max(w0, lo);
    const i1 = Math.min(w1, hi);
    return i1 > i0 ? [i0, i1] : [w0, w0];
  }
}

/** The first index whose value is above `t` in an increasing list. */
function firstAbove(values: readonly bigint[], t: bigint): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
