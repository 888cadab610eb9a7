import { earlier } from './time-bounds.js';

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

  constructor(
    readonly start: bigint,
    readonly end: bigint,
    readonly interval: bigint,
    readonly step: bigint,
    readonly leftOpen: boolean,
  ) {
    this.count = end > start ? Number((end - start + step - 1n) / step) : 0;
  }

  /** One window over [start, end] inclusive (aggregation without GROUP BY). */
  static whole(start: bigint, end: bigint): WindowGrid {
    const length = end >= start ? end - start + 1n : 1n;
    const grid = new WindowGrid(start, start + length, length, length, false);
    grid.whole = true;
    return grid;
  }

  windowStart(i: number): bigint {
    return this.start + BigInt(i) * this.step;
  }

  /** Exclusive end of window i. */
  windowEnd(i: number): bigint {
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
    const hi = Number(floorDiv(last - this.start, this.step)) + 1;
    const lo = Number(floorDiv(first - this.start - this.interval, this.step)) + 1;
    const i0 = Math.max(w0, lo);
    const i1 = Math.min(w1, hi);
    return i1 > i0 ? [i0, i1] : [w0, w0];
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
