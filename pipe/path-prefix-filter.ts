import { formatNode } from '../engine/path/path.js';
import type { Tablet } from '../tsfile/tablet.js';

/**
 * IoTDB 1.2's `extractor.pattern`: a series is synced when its full path, as text with
 * backquotes, starts with the pattern. So `root.aligned.1` takes `root.aligned.1TS` and
 * `root.aligned.100TS.s` but not ``root.aligned.`1` ``. The default `root` takes everything.
 */
export class PathPrefixFilter {
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

  /** The tablet cut to the matching columns; null when none match. */
  filterTablet(tablet: Tablet): Tablet | null {
    if (this.coversDevice(tablet.device)) return tablet;
    if (!this.mayMatchDevice(tablet.device)) return null;
    const keep = tablet.measurements
      .map((_, j) => j)
      .filter((j) => this.matchesSeries(tablet.device, tablet.measurements[j]!));
    if (keep.length === 0) return null;
    return {
      ...tablet,
      measurements: keep.map((j) => tablet.measurements[j]!),
      dataTypes: keep.map((j) => tablet.dataTypes[j]!),
      columns: keep.map((j) => tablet.columns[j]!),
      nulls: keep.map((j) => tablet.nulls[j] ?? null),
    };
  }
}
