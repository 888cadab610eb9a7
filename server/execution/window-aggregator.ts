import type { AggregationName } from '../../engine/query/aggregate.js';
import type { ColumnValues, ValueKind } from '../../tsfile/data-type.js';
import { int64Words, TWO_POW_32 } from '../../tsfile/io/int64.js';
import type { ColumnBlock } from '../../tsfile/tablet.js';
import { lowerBound, timeHalves } from './column-kernels.js';
import { MAX_TIME } from './time-bounds.js';
import type { WindowGrid } from './window-grid.js';

export type AggregateValue = number | bigint | boolean | Uint8Array;

/** What the aggregations asked of one series need beyond counts, ends and times. */
export interface AggregateNeeds {
  /** sum, avg. */
  readonly sum: boolean;
  /** min_value, max_value. */
  readonly extremes: boolean;
}

export function needsOf(functions: Iterable<AggregationName>): AggregateNeeds {
  let sum = false;
  let extremes = false;
  for (const f of functions) {
    if (f === 'sum' || f === 'avg') sum = true;
    if (f === 'min_value' || f === 'max_value') extremes = true;
  }
  return { sum, extremes };
}

/** The running aggregates of one series in one window. */
export class WindowState {
  count = 0;
  sum = 0;
  min: AggregateValue | null = null;
  max: AggregateValue | null = null;
  first: AggregateValue | null = null;
  last: AggregateValue | null = null;
  minTime: bigint | null = null;
  maxTime: bigint | null = null;

  /** The value of one aggregation; null where IoTDB answers null (no points). */
  value(fn: AggregationName): AggregateValue | null {
    switch (fn) {
      case 'count':
        return BigInt(this.count);
      case 'sum':
        return this.count === 0 ? null : this.sum;
      case 'avg':
        return this.count === 0 ? null : this.sum / this.count;
      case 'min_value':
        return this.min;
      case 'max_value':
        return this.max;
      case 'first_value':
        return this.first;
      case 'last_value':
        return this.last;
      case 'min_time':
        return this.minTime;
      case 'max_time':
        return this.maxTime;
    }
  }
}

type Numbers = Float64Array | Float32Array | Int32Array;

function valueAt(kind: ValueKind, values: ColumnValues, i: number): AggregateValue {
  if (kind === 'boolean') return (values as Uint8Array)[i] === 1;
  return (values as ArrayLike<AggregateValue>)[i]!;
}

/**
 * Folds rows [lo, hi) of a block into a window's state. Counts, first/last and times cost
 * O(1) per run; sums and extremes are one typed loop over the run.
 */
function fold(state: WindowState, kind: ValueKind, block: ColumnBlock, lo: number, hi: number, needs: AggregateNeeds) {
  const values = block.values;
  if (state.count === 0) {
    state.first = valueAt(kind, values, lo);
    state.minTime = block.times[lo]!;
  }
  state.count += hi - lo;
  state.last = valueAt(kind, values, hi - 1);
  state.maxTime = block.times[hi - 1]!;
  if (!needs.sum && !needs.extremes) return;
  if (kind === 'int64') {
    const words = int64Words(values as BigInt64Array);
    if (needs.sum) {
      let sum = 0;
      for (let i = lo; i < hi; i++) sum += words[2 * i + 1]! * TWO_POW_32 + (words[2 * i]! >>> 0);
      state.sum += sum;
    }
    if (needs.extremes) {
      let minAt = lo;
      let maxAt = lo;
      for (let i = lo + 1; i < hi; i++) {
        const h = words[2 * i + 1]!;
        const l = words[2 * i]! >>> 0;
        const mh = words[2 * minAt + 1]!;
        if (h < mh || (h === mh && l < words[2 * minAt]! >>> 0)) minAt = i;
        const xh = words[2 * maxAt + 1]!;
        if (h > xh || (h === xh && l > words[2 * maxAt]! >>> 0)) maxAt = i;
      }
      const min = (values as BigInt64Array)[minAt]!;
      const max = (values as BigInt64Array)[maxAt]!;
      if (state.min === null || min < (state.min as bigint)) state.min = min;
      if (state.max === null || max > (state.max as bigint)) state.max = max;
    }
    return;
  }
  if (kind === 'boolean' || kind === 'binary') return;
  const v = values as Numbers;
  if (needs.sum) {
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += v[i]!;
    state.sum += sum;
  }
  if (needs.extremes) {
    let min = v[lo]!;
    let max = min;
    for (let i = lo + 1; i < hi; i++) {
      const x = v[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (state.min === null || min < (state.min as number)) state.min = min;
    if (state.max === null || max > (state.max as number)) state.max = max;
  }
}

interface HeldBlock {
  readonly block: ColumnBlock;
  readonly words: Int32Array;
  readonly last: bigint;
}

/**
 * Aggregates one series' time-ordered stream window by window, a batch of consecutive
 * windows per call, reading the stream once. Points are folded as blocks arrive; a block
 * is held after a batch only if later windows still need it (sliding windows, or a block
 * that runs past the batch), so memory stays at a few blocks whatever the window size.
 */
export class SeriesWindows {
  private held: HeldBlock[] = [];
  private done = false;

  constructor(
    private readonly blocks: Iterator<ColumnBlock>,
    private readonly kind: ValueKind,
    private readonly grid: WindowGrid,
    private readonly needs: AggregateNeeds,
  ) {}

  /** States of windows [w0, w1); calls must come in increasing, adjacent batches. */
  collect(w0: number, w1: number): WindowState[] {
    const states = Array.from({ length: w1 - w0 }, () => new WindowState());
    const nextStart = w1 < this.grid.count ? this.grid.windowStart(w1) : null;
    const batchLast = this.grid.windowEnd(w1 - 1) - 1n;
    const kept: HeldBlock[] = [];
    for (const h of this.held) {
      this.foldBlock(h, states, w0, w1);
      if (nextStart !== null && h.last >= nextStart) kept.push(h);
    }
    this.held = kept;
    let covered = kept.length > 0 && kept.at(-1)!.last >= batchLast;
    while (!covered && !this.done) {
      const step = this.blocks.next();
      if (step.done) {
        this.done = true;
        break;
      }
      const block = step.value;
      if (block.length === 0) continue;
      const h: HeldBlock = { block, words: int64Words(block.times), last: block.times[block.length - 1]! };
      this.foldBlock(h, states, w0, w1);
      if (nextStart !== null && h.last >= nextStart) this.held.push(h);
      covered = h.last >= batchLast;
    }
    return states;
  }

  close(): void {
    if (!this.done) this.blocks.return?.(undefined);
    this.done = true;
    this.held = [];
  }

  private foldBlock(h: HeldBlock, states: WindowState[], w0: number, w1: number): void {
    const n = h.block.length;
    const [i0, i1] = this.grid.overlapping(h.block.times[0]!, h.last, w0, w1);
    let from = 0;
    for (let i = i0; i < i1; i++) {
      const start = timeHalves(this.grid.windowStart(i));
      const lo = lowerBound(h.words, from, n, start.hi, start.lo);
      const endTime = this.grid.windowEnd(i);
      // A window may end past the largest timestamp (one window over all time): it holds the rest.
      const end = endTime > MAX_TIME ? null : timeHalves(endTime);
      const hi = end === null ? n : lowerBound(h.words, lo, n, end.hi, end.lo);
      if (hi > lo) fold(states[i - w0]!, this.kind, h.block, lo, hi, this.needs);
      from = lo;
    }
  }
}

/**
 * The states of several series in one window as one (GROUP BY LEVEL): counts and sums
 * add, extremes compare, the first value is the earliest point's and the last the latest
 * point's (on a tie, the series listed first).
 */
export function mergeStates(states: readonly WindowState[]): WindowState {
  const out = new WindowState();
  for (const s of states) {
    if (s.count === 0) continue;
    out.count += s.count;
    out.sum += s.sum;
    if (s.min !== null && (out.min === null || s.min < out.min)) out.min = s.min;
    if (s.max !== null && (out.max === null || s.max > out.max)) out.max = s.max;
    if (out.minTime === null || s.minTime! < out.minTime) {
      out.minTime = s.minTime;
      out.first = s.first;
    }
    if (out.maxTime === null || s.maxTime! > out.maxTime) {
      out.maxTime = s.maxTime;
      out.last = s.last;
    }
  }
  return out;
}
