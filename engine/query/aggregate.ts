import { type DataType, valueKind } from '../../tsfile/data-type.js';
import type { ColumnBlock } from '../../tsfile/tablet.js';

export type AggregationName =
  | 'count'
  | 'sum'
  | 'avg'
  | 'min_value'
  | 'max_value'
  | 'first_value'
  | 'last_value'
  | 'min_time'
  | 'max_time';

export const AGGREGATIONS: readonly AggregationName[] = [
  'count',
  'sum',
  'avg',
  'min_value',
  'max_value',
  'first_value',
  'last_value',
  'min_time',
  'max_time',
];

/** Running state of every aggregation over one series (and one window). */
export interface AggregateState {
  count: number;
  sum: number;
  min: number | bigint | boolean | Uint8Array | null;
  max: number | bigint | boolean | Uint8Array | null;
  first: number | bigint | boolean | Uint8Array | null;
  last: number | bigint | boolean | Uint8Array | null;
  minTime: bigint | null;
  maxTime: bigint | null;
}

export function emptyAggregate(): AggregateState {
  return { count: 0, sum: 0, min: null, max: null, first: null, last: null, minTime: null, maxTime: null };
}

/** Whether IoTDB defines the aggregation for the type (sum/avg/min/max need numbers). */
export function aggregationApplies(name: AggregationName, type: DataType): boolean {
  if (name === 'sum' || name === 'avg' || name === 'min_value' || name === 'max_value') {
    const kind = valueKind(type);
    return kind === 'int32' || kind === 'int64' || kind === 'float' || kind === 'double';
  }
  return true;
}

/** Folds rows [from, to) of a time-ordered block into the state. */
export function accumulate(
  state: AggregateState,
  dataType: DataType,
  block: ColumnBlock,
  from = 0,
  to = block.length,
): void {
  if (to <= from) return;
  const kind = valueKind(dataType);
  const values = block.values as ArrayLike<unknown>;
  const numeric = kind === 'int32' || kind === 'int64' || kind === 'float' || kind === 'double';
  for (let i = from; i < to; i++) {
    let v = values[i] as number | bigint | boolean | Uint8Array;
    if (kind === 'boolean') v = v === 1;
    if (state.count === 0) {
      state.first = v;
      state.minTime = block.times[i]!;
      if (numeric) {
        state.min = v;
        state.max = v;
      }
    }
    if (numeric) {
      const x = typeof v === 'bigint' ? Number(v) : (v as number);
      state.sum += x;
      if ((v as number) < (state.min as number)) state.min = v;
      if ((v as number) > (state.max as number)) state.max = v;
    }
    state.last = v;
    state.count++;
  }
  state.maxTime = block.times[to - 1]!;
}

/** The value of one aggregation; null where IoTDB prints null (no points). */
export function aggregateValue(
  state: AggregateState,
  name: AggregationName,
): number | bigint | boolean | Uint8Array | null {
  switch (name) {
    case 'count':
      return state.count;
    case 'sum':
      return state.count === 0 ? null : state.sum;
    case 'avg':
      return state.count === 0 ? null : state.sum / state.count;
    case 'min_value':
      return state.min;
    case 'max_value':
      return state.max;
    case 'first_value':
      return state.first;
    case 'last_value':
      return state.last;
    case 'min_time':
      return state.minTime;
    case 'max_time':
      return state.maxTime;
  }
}

/**
 * GROUP BY ([start, end), interval[, step]) windows over a time-ordered stream: one state
 * per window, windows left-closed and right-open as IoTDB's.
 */
export function aggregateWindows(
  blocks: Iterable<ColumnBlock>,
  dataType: DataType,
  start: bigint,
  end: bigint,
  interval: bigint,
  step: bigint = interval,
): { start: bigint; state: AggregateState }[] {
  const windows: { start: bigint; state: AggregateState }[] = [];
  for (let w = start; w < end; w += step) windows.push({ start: w, state: emptyAggregate() });
  if (windows.length === 0) return windows;
  for (const block of blocks) {
    for (const win of windows) {
      const wEnd = win.start + interval < end ? win.start + interval : end;
      let from = 0;
      while (from < block.length && block.times[from]! < win.start) from++;
      let to = from;
      while (to < block.length && block.times[to]! < wEnd) to++;
      accumulate(win.state, dataType, block, from, to);
    }
  }
  return windows;
}
