import { formatNode } from '../../engine/path/path.js';
import { PathPattern } from '../../engine/path/path-pattern.js';
import type { SchemaStore } from '../../engine/schema/schema-store.js';
import type { PipeDeletion } from '../connector/pipe-connector.js';
import type { SeriesFilter } from '../series-filter.js';
import type { TimeBounds } from './source-scope.js';

/**
 * What of a deletion a pipe syncs: the part under its selection. When every path the
 * deletion can reach is selected (always for the default `root`; for a prefix `pattern`,
 * when they start with it), the deletion goes as it is. Otherwise it becomes one deletion per series that the sender knows and
 * both select, since a string prefix such as `root.db.d` (which takes `root.db.d1` too)
 * cannot be written as an IoTDB path pattern. None when they select nothing in common.
 */
export function deletionsUnder(
  filter: SeriesFilter,
  schema: SchemaStore,
  whole: PipeDeletion,
  times: TimeBounds = { start: null, end: null },
): PipeDeletion[] {
  // Only the part inside the pipe's event times is the pipe's.
  const start = times.start !== null && times.start > whole.start ? times.start : whole.start;
  const end = times.end !== null && times.end < whole.end ? times.end : whole.end;
  if (start > end) return [];
  const deletion = { ...whole, start, end };
  if (filter.matchesAll) return [deletion];
  const pattern = new PathPattern(deletion.pattern);
  if (filter.coversDeletion(pattern)) return [deletion];
  const series = new Set<string>();
  for (const s of schema.matchSeries(pattern)) {
    if (filter.matchesSeries(s.device, s.measurement)) series.add(`${s.device}.${formatNode(s.measurement)}`);
  }
  return [...series].map((path) => ({ ...deletion, pattern: path }));
}
