import { copyColumn, viewColumn } from '../../tsfile/column-ops.js';
import { allocateColumn, type ColumnValues, type DataType } from '../../tsfile/data-type.js';
import { firstNotIncreasing } from '../../tsfile/io/int64.js';
import type { ColumnBlock } from '../../tsfile/tablet.js';

const INITIAL_CAPACITY = 64;

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
  private view: ColumnBlock | null = null;
  private binaryBytes = 0;

  constructor(readonly dataType: DataType) {
    this.times = new BigInt64Array(INITIAL_CAPACITY);
    this.values = allocateColumn(dataType, INITIAL_CAPACITY);
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
    }
    this.view = null;
  }

  /** Removes points in [start, end]. */
  deleteRange(start: bigint, end: bigint): number {
    let kept = 0;
    let keptPrefix = 0;
    for (let i = 0; i < this.count; i++) {
      const t = this.times[i]!;
      if (t >= start && t <= end) continue;
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
    // in time proportional to the batch, not to the whole series.
    const p = this.sortedPrefix;
    const t = this.times;
    const tail = Array.from({ length: n - p }, (_, i) => p + i);
    // Stable by time: equal times keep arrival order, so the last of a run is the latest.
    tail.sort((a, b) => (t[a]! < t[b]! ? -1 : t[a]! > t[b]! ? 1 : a - b));
    const capacity = this.times.length;
    const outTimes = new BigInt64Array(capacity);
    const outValues = allocateColumn(this.dataType, capacity);
    const from = this.values as unknown as unknown[];
    const to = outValues as unknown as unknown[];
    let i = 0;
    let m = 0;
    for (let k = 0; k < tail.length; k++) {
      let latest = tail[k]!;
      const time = t[latest]!;
      while (k + 1 < tail.length && t[tail[k + 1]!] === time) latest = tail[++k]!;
      let j = i;
      while (j < p && t[j]! < time) j++;
      if (j > i) {
        outTimes.set(t.subarray(i, j), m);
        copyColumn(this.values, i, j, outValues, m);
        m += j - i;
      }
      // A prefix point at the same time arrived earlier: the tail's replaces it.
      i = j < p && t[j] === time ? j + 1 : j;
      outTimes[m] = time;
      to[m] = from[latest];
      m++;
    }
    if (i < p) {
      outTimes.set(t.subarray(i, p), m);
      copyColumn(this.values, i, p, outValues, m);
      m += p - i;
    }
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
    const times = new BigInt64Array(next);
    times.set(this.times.subarray(0, this.count));
    const values = allocateColumn(this.dataType, next);
    if (Array.isArray(values)) {
      const old = this.values as Uint8Array[];
      for (let i = 0; i < this.count; i++) values[i] = old[i]!;
    } else {
      (values as Float64Array).set((this.values as Float64Array).subarray(0, this.count));
    }
    this.times = times;
    this.values = values;
  }
}
