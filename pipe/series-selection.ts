import { parsePath } from '../engine/path/path.js';
import { PathPattern } from '../engine/path/path-pattern.js';
import { pickRows } from '../tsfile/column-ops.js';
import type { Tablet } from '../tsfile/tablet.js';
import { PathPrefixFilter } from './path-prefix-filter.js';
import { PipeParameterError } from './plugin/parameter-spec.js';
import { type SeriesFilter, selectColumns } from './series-filter.js';

/** IoTDB's list form of `path` keys: patterns split at commas outside backquotes. */
export function splitPatterns(text: string, key: string): PathPattern[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of text) {
    if (c === '`') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return new PathPattern(p);
      } catch (error) {
        throw new PipeParameterError(`invalid path pattern '${p}' in '${key}': ${(error as Error).message}`);
      }
    });
}

/** `Q.**` covers every series of a device when Q matches the device or a path above it. */
function coversAllBelow(pattern: PathPattern, device: readonly string[]): boolean {
  if (pattern.nodes.at(-1) !== '**') return false;
  const above = PathPattern.of(pattern.nodes.slice(0, -1));
  for (let n = 1; n <= device.length; n++) if (above.matches(device.slice(0, n))) return true;
  return false;
}

/**
 * IoTDB 1.3's selection: `path` (IoTDB path patterns, comma-separated) when given, else the
 * prefix `pattern`; minus the series `path.exclusion` matches.
 */
export class SeriesSelection implements SeriesFilter {
  constructor(
    private readonly prefix: PathPrefixFilter,
    private readonly paths: readonly PathPattern[] | null,
    private readonly exclusions: readonly PathPattern[],
  ) {}

  static of(parameters: { get(name: string): string | null | undefined }): SeriesSelection {
    const path = parameters.get('path');
    const exclusion = parameters.get('path.exclusion');
    const paths = path === null || path === undefined ? null : splitPatterns(path, 'path');
    if (paths !== null && paths.length === 0) throw new PipeParameterError("'path' names no path pattern");
    const exclusions = exclusion === null || exclusion === undefined ? [] : splitPatterns(exclusion, 'path.exclusion');
    return new SeriesSelection(new PathPrefixFilter(parameters.get('pattern') ?? 'root'), paths, exclusions);
  }

  get matchesAll(): boolean {
    if (this.exclusions.length > 0) return false;
    if (this.paths === null) return this.prefix.matchesAll;
    return this.paths.some((p) => p.nodes.length === 2 && p.nodes[0] === 'root' && p.nodes[1] === '**');
  }

  coversDevice(device: string): boolean {
    const nodes = parsePath(device);
    if (this.exclusions.some((e) => e.mayMatchBelow(nodes))) return false;
    if (this.paths === null) return this.prefix.coversDevice(device);
    return this.paths.some((p) => coversAllBelow(p, nodes));
  }

  mayMatchDevice(device: string): boolean {
    if (this.paths === null) return this.prefix.mayMatchDevice(device);
    const nodes = parsePath(device);
    return this.paths.some((p) => p.mayMatchBelow(nodes));
  }

  matchesSeries(device: string, measurement: string): boolean {
    const included =
      this.paths === null
        ? this.prefix.matchesSeries(device, measurement)
        : this.paths.some((p) => p.matches([...parsePath(device), measurement]));
    if (!included || this.exclusions.length === 0) return included;
    const nodes = [...parsePath(device), measurement];
    return !this.exclusions.some((e) => e.matches(nodes));
  }

  coversDeletion(pattern: PathPattern): boolean {
    if (this.matchesAll) return true;
    if (this.paths !== null || this.exclusions.length > 0) return false;
    return this.prefix.coversDeletion(pattern);
  }

  filterTablet(tablet: Tablet): Tablet | null {
    if (this.coversDevice(tablet.device)) return tablet;
    if (!this.mayMatchDevice(tablet.device)) return null;
    return selectColumns(tablet, (m) => this.matchesSeries(tablet.device, m));
  }
}

/** The rows of a tablet with times in [start, end]; null when none is. */
export function rowsBetween(tablet: Tablet, start: bigint | null, end: bigint | null): Tablet | null {
  if (start === null && end === null) return tablet;
  const keep: number[] = [];
  for (let i = 0; i < tablet.rowCount; i++) {
    const t = tablet.times[i]!;
    if ((start === null || t >= start) && (end === null || t <= end)) keep.push(i);
  }
  if (keep.length === tablet.rowCount) return tablet;
  if (keep.length === 0) return null;
  return {
    ...tablet,
    rowCount: keep.length,
    times: pickRows(tablet.times, keep) as BigInt64Array,
    columns: tablet.columns.map((c) => pickRows(c, keep)),
    nulls: tablet.nulls.map((n) => (n === null || n === undefined ? null : Uint8Array.from(keep, (i) => n[i]!))),
  };
}
