import type { PathPattern } from '../engine/path/path-pattern.js';
import type { Tablet } from '../tsfile/tablet.js';

/** Which series a pipe syncs, as the pipe task, history and deletions ask it. */
export interface SeriesFilter {
  /** Every series is selected. */
  readonly matchesAll: boolean;
  /** Every series of the device is selected. */
  coversDevice(device: string): boolean;
  /** Some series of the device may be selected. */
  mayMatchDevice(device: string): boolean;
  matchesSeries(device: string, measurement: string): boolean;
  /** Whether every series a deletion pattern can reach is selected, so the deletion may go as it is. */
  coversDeletion(pattern: PathPattern): boolean;
  /** The tablet cut to the selected columns; null when none is. */
  filterTablet(tablet: Tablet): Tablet | null;
}

/** The tablet's columns that `matches`, as a tablet; null when none does. */
export function selectColumns(tablet: Tablet, matches: (measurement: string) => boolean): Tablet | null {
  const keep = tablet.measurements.map((_, j) => j).filter((j) => matches(tablet.measurements[j]!));
  if (keep.length === 0) return null;
  if (keep.length === tablet.measurements.length) return tablet;
  return {
    ...tablet,
    measurements: keep.map((j) => tablet.measurements[j]!),
    dataTypes: keep.map((j) => tablet.dataTypes[j]!),
    columns: keep.map((j) => tablet.columns[j]!),
    nulls: keep.map((j) => tablet.nulls[j] ?? null),
  };
}
