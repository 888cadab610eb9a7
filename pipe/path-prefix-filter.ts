import { formatNode, formatPath } from '../engine/path/path.js';
import { hasWildcardChar, type PathPattern } from '../engine/path/path-pattern.js';
import type { Tablet } from '../tsfile/tablet.js';
import { type SeriesFilter, selectColumns } from './series-filter.js';

/**
 * IoTDB 1.2's `extractor.pattern`: a series is synced when its full path, as text with
 * backquotes, starts with the pattern. So `root.aligned.1` takes `root.aligned.1TS` and
 * `root.aligned.100TS.s` but not ``root.aligned.`1` ``. The default `root` takes everything.
 */
export class PathPrefixFilter implements SeriesFilter {
  constructor(readonly pattern: string) {}

  get matchesAll(): boolean {
    return this.pattern === 'root';
  }

  /** Every series of the device matches. */
  coversDevice(device: string): boolean {
    return device.startsWith(this.pattern);
  }

  /** Some series of the device may match. */
  mayMatchDevice(device: string): boolean {
    return device.startsWith(this.pattern) || this.pattern.startsWith(`${device}.`);
  }

  matchesSeries(device: string, measurement: string): boolean {
    return `${device}.${formatNode(measurement)}`.startsWith(this.pattern);
  }

  /** Every path the deletion can reach starts with its literal part, which starts with the pattern. */
  coversDeletion(pattern: PathPattern): boolean {
    if (this.matchesAll) return true;
    const firstWildcard = pattern.nodes.findIndex(hasWildcardChar);
    const literal = formatPath(firstWildcard < 0 ? pattern.nodes : pattern.nodes.slice(0, firstWildcard));
    return literal.startsWith(this.pattern);
  }

  /** The tablet cut to the matching columns; null when none match. */
  filterTablet(tablet: Tablet): Tablet | null {
    if (this.coversDevice(tablet.device)) return tablet;
    if (!this.mayMatchDevice(tablet.device)) return null;
    return selectColumns(tablet, (m) => this.matchesSeries(tablet.device, m));
  }
}
