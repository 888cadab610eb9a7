import type { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { BufferPool } from './buffer-pool.js';
import { SeriesBuffer } from './series-buffer.js';

/**
 * The points of one data region that are not yet in a sealed TsFile, per device and
 * series. A memtable is either sequence (every time after what was flushed for its
 * device) or unsequence; once frozen it only serves queries until its file is sealed.
 */
export class MemTable {
  readonly devices = new Map<string, Map<string, SeriesBuffer>>();
  /** Devices written as aligned, so the flush writes them as aligned devices. */
  readonly alignedDevices = new Set<string>();
  minArrival = Number.POSITIVE_INFINITY;
  maxArrival = Number.NEGATIVE_INFINITY;
  firstArrivalTime = 0;
  private points = 0;
  frozen = false;
  /** Series a reader was given (by device, then measurement): their arrays are never reused. */
  private readonly lent = new Map<string, Set<string>>();

  constructor(
    readonly id: number,
    readonly sequence: boolean,
    /** The node where all of its points were first written ('' for this node). */
    readonly origin = '',
    /** Where its series' large arrays come from and go back to once it is flushed. */
    private readonly pool: BufferPool | null = null,
  ) {}

  /**
   * Marks a series as read by a reader that may outlive the memtable (a query's blocks are
   * views of its arrays): `release` leaves its arrays to the collector instead of reusing
   * them. Marked by name, so a series created after the mark is covered too.
   */
  lend(device: string, measurement: string): void {
    let names = this.lent.get(device);
    if (names === undefined) this.lent.set(device, (names = new Set()));
    names.add(measurement);
  }

  /** Once flushed and sealed: gives the arrays of the series no reader was lent back to the pool. */
  release(): void {
    for (const [device, series] of this.devices) {
      const lent = this.lent.get(device);
      for (const [name, buffer] of series) if (lent === undefined || !lent.has(name)) buffer.release();
    }
    this.devices.clear();
    this.points = 0;
  }

  get pointCount(): number {
    return this.points;
  }

  get isEmpty(): boolean {
    return this.points === 0;
  }

  /** Approximate bytes held by the buffers. */
  bytes(): number {
    let total = 0;
    for (const series of this.devices.values()) for (const b of series.values()) total += b.bytes;
    return total;
  }

  /** Adds rows [from, to) of a tablet (nulls skipped) that arrived with number `arrival`. */
  insert(tablet: Tablet, from: number, to: number, arrival: number): void {
    let series = this.devices.get(tablet.device);
    if (series === undefined) this.devices.set(tablet.device, (series = new Map()));
    if (tablet.aligned) this.alignedDevices.add(tablet.device);
    for (let j = 0; j < tablet.measurements.length; j++) {
      const name = tablet.measurements[j]!;
      let buffer = series.get(name);
      // A series re-created with another type after DELETE TIMESERIES: that deletion emptied
      // the old buffer, so it is replaced rather than mixed with values of the new type.
      if (buffer === undefined || buffer.dataType !== tablet.dataTypes[j]) {
        this.points -= buffer?.length ?? 0;
        series.set(name, (buffer = new SeriesBuffer(tablet.dataTypes[j]!, this.pool)));
      }
      const before = buffer.length;
      buffer.append(tablet.times, tablet.columns[j]!, tablet.nulls[j] ?? null, from, to);
      this.points += buffer.length - before;
    }
    if (arrival < this.minArrival) this.minArrival = arrival;
    if (arrival > this.maxArrival) this.maxArrival = arrival;
  }

  series(device: string, measurement: string): SeriesBuffer | undefined {
    return this.devices.get(device)?.get(measurement);
  }

  /**
   * Removes the points of a tablet's rows [from, to) from this memtable: a later write of
   * another origin replaced them (each origin has memtables of its own).
   */
  deleteRowsOf(tablet: Tablet, from: number, to: number): void {
    const series = this.devices.get(tablet.device);
    if (series === undefined || to <= from) return;
    let min = tablet.times[from]!;
    let max = min;
    for (let i = from + 1; i < to; i++) {
      const t = tablet.times[i]!;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    for (let j = 0; j < tablet.measurements.length; j++) {
      const buffer = series.get(tablet.measurements[j]!);
      if (buffer === undefined || buffer.length === 0) continue;
      const nulls = tablet.nulls[j];
      const times = new Set<bigint>();
      for (let i = from; i < to; i++) if (nulls?.[i] !== 1) times.add(tablet.times[i]!);
      if (times.size > 0) this.points -= buffer.deleteTimes(times, min, max);
    }
  }

  /** Removes points of matching series in [start, end]; `matches(device, measurement)` selects them. */
  delete(matches: (device: string, measurement: string) => boolean, start: bigint, end: bigint): number {
    let removed = 0;
    for (const [device, series] of this.devices) {
      for (const [name, buffer] of series) {
        if (matches(device, name)) removed += buffer.deleteRange(start, end);
      }
    }
    this.points -= removed;
    return removed;
  }

  /** Per device the largest time held (for the sequence/unsequence split at flush). */
  maxTimes(): Map<string, bigint> {
    const out = new Map<string, bigint>();
    for (const [device, series] of this.devices) {
      for (const b of series.values()) {
        const view = b.sortedView();
        if (view.length === 0) continue;
        const t = view.times[view.length - 1]!;
        const cur = out.get(device);
        if (cur === undefined || t > cur) out.set(device, t);
      }
    }
    return out;
  }

  dataTypeOf(device: string, measurement: string): DataType | undefined {
    return this.devices.get(device)?.get(measurement)?.dataType;
  }
}
