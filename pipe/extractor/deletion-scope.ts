import { formatNode, formatPath } from '../../engine/path/path.js';
import { hasWildcardChar, PathPattern } from '../../engine/path/path-pattern.js';
import type { SchemaStore } from '../../engine/schema/schema-store.js';
import type { PipeDeletion } from '../connector/pipe-connector.js';
import type { PathPrefixFilter } from '../path-prefix-filter.js';

/**
 * What of a deletion a pipe syncs: the part under its pattern. When every path the
 * deletion can reach starts with the pattern (always for the default `root`), the deletion
 * goes as it is. Otherwise it becomes one deletion per series that the sender knows and
 * both select, since a string prefix such as `root.db.d` (which takes `root.db.d1` too)
 * cannot be written as an IoTDB path pattern. None when they select nothing in common.
 */
export function deletionsUnder(filter: PathPrefixFilter, schema: SchemaStore, deletion: PipeDeletion): PipeDeletion[] {
  if (filter.matchesAll) return [deletion];
  const pattern = new PathPattern(deletion.pattern);
  const firstWildcard = pattern.nodes.findIndex(hasWildcardChar);
  const literal = formatPath(firstWildcard < 0 ? pattern.nodes : pattern.nodes.slice(0, firstWildcard));
  if (literal.startsWith(filter.pattern)) return [deletion];
  const series = new Set<string>();
  for (const s of schema.matchSeries(pattern)) {
    if (filter.matchesSeries(s.device, s.measurement)) series.add(`${s.device}.${formatNode(s.measurement)}`);
  }
  return [...series].map((path) => ({ ...deletion, pattern: path }));
}
