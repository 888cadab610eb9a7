import type { TimestampPrecision } from '../../engine/engine-config.js';
import { parseTimeBound } from '../pipe-definition.js';
import { PipeParameterError } from '../plugin/parameter-spec.js';
import type { SeriesFilter } from '../series-filter.js';
import { SeriesSelection } from '../series-selection.js';
import { inclusionOf, type PipeInclusion } from './inclusion.js';

/** An inclusive range of event times; null: unbounded on that side. */
export interface TimeBounds {
  readonly start: bigint | null;
  readonly end: bigint | null;
}

/** What the built-in extractor selects: series, and event times for history and for realtime. */
export interface SourceScope {
  readonly filter: SeriesFilter;
  readonly history: TimeBounds;
  readonly realtime: TimeBounds;
  /** What kinds of events the pipe carries (`inclusion`). */
  readonly inclusion: PipeInclusion;
}

function bound(text: string | null | undefined, precision: TimestampPrecision, nowMs: number): bigint | null {
  return text === null || text === undefined ? null : parseTimeBound(text, precision, nowMs);
}

function later(a: bigint | null, b: bigint | null): bigint | null {
  return a === null ? b : b === null ? a : a > b ? a : b;
}

function earlier(a: bigint | null, b: bigint | null): bigint | null {
  return a === null ? b : b === null ? a : a < b ? a : b;
}

/**
 * The extractor's selection. `start-time` / `end-time` (IoTDB 1.3) bound the event times
 * of history and realtime alike; IoTDB 1.2's `history.start-time` / `history.end-time`
 * bound history only (both kinds given: history keeps what lies inside both). `now` is
 * the pipe's creation time, so a restart does not move it.
 */
export function sourceScope(
  parameters: { get(name: string): string | null | undefined },
  precision: TimestampPrecision,
  creationTimeMs: number,
): SourceScope {
  const start = bound(parameters.get('start-time'), precision, creationTimeMs);
  const end = bound(parameters.get('end-time'), precision, creationTimeMs);
  const historyStart = later(start, bound(parameters.get('history.start-time'), precision, creationTimeMs));
  const historyEnd = earlier(end, bound(parameters.get('history.end-time'), precision, creationTimeMs));
  for (const [s, e, what] of [
    [start, end, 'start-time'],
    [historyStart, historyEnd, 'history.start-time'],
  ] as const) {
    if (s !== null && e !== null && s > e) {
      throw new PipeParameterError(`${what} (${s}) is later than the end time (${e}): the pipe would sync nothing`);
    }
  }
  return {
    filter: SeriesSelection.of(parameters),
    history: { start: historyStart, end: historyEnd },
    realtime: { start, end },
    inclusion: inclusionOf(parameters),
  };
}
