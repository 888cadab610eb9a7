import { DEFAULTS } from '../format/tsfile-format.js';

/**
 * The size the reference writer sees for a page of `count` points at a size check: its
 * encoders' written-out bytes plus their bounds on what they still hold.
 */
export type ReferencePageEstimate = (count: number) => number;

/**
 * Decides when a page is full, as the reference ChunkWriter does: at `maxPointsInPage`
 * points, or when the page's size passes `pageSizeBytes` at a size check. Checks happen
 * after 1500 points and then at the point count projected to fill the page, as in Java.
 *
 * With a `reference` estimate (the time and value encodings model the reference's own
 * accounting, see `ReferencePageSize`) the decisions are exactly the reference's, so pages
 * end where its pages end. Otherwise the size is estimated from the bytes per point
 * measured on this series' earlier pages (a trial encoding measures the first): encoders
 * here run once per page, where Java's watch their output grow.
 */
export class PageSizer {
  private bytesPerPoint = 0;
  private nextCheck: number = DEFAULTS.pageSizeCheckMinPoints;

  constructor(
    private readonly pageSizeBytes: number,
    private readonly maxPointsInPage: number,
    private readonly reference: ReferencePageEstimate | null = null,
  ) {}

  /** How many more points may enter a page holding `count` before the next decision. */
  room(count: number): number {
    return Math.max(1, Math.min(this.maxPointsInPage, this.nextCheck) - count);
  }

  /** Whether a page of `count` points is full; `measure` encodes the page to learn its size. */
  isFull(count: number, measure: () => number): boolean {
    if (count >= this.maxPointsInPage) return true;
    if (count < this.nextCheck) return false;
    let estimate: number;
    if (this.reference !== null) {
      estimate = this.reference(count);
    } else {
      if (this.bytesPerPoint === 0) this.bytesPerPoint = Math.max(measure() / count, 1e-3);
      estimate = this.bytesPerPoint * count;
    }
    if (estimate > this.pageSizeBytes) {
      this.nextCheck = DEFAULTS.pageSizeCheckMinPoints;
      return true;
    }
    this.nextCheck = Math.max(count + 1, projectedCount(this.pageSizeBytes, estimate, count));
    return false;
  }

  /** Learns from a sealed page's encoded size. */
  sealed(count: number, encodedBytes: number): void {
    if (count > 0) this.bytesPerPoint = Math.max(encodedBytes / count, 1e-3);
  }

  /** A new chunk starts: the reference makes a new chunk writer, whose first check is at 1500 points. */
  newChunk(): void {
    this.nextCheck = DEFAULTS.pageSizeCheckMinPoints;
  }
}

/** The reference's next check, `(int) (((float) pageSize / size) * count)`, in float arithmetic. */
export function projectedCount(pageSizeBytes: number, size: number, count: number): number {
  return Math.trunc(Math.fround(Math.fround(Math.fround(pageSizeBytes) / Math.fround(size)) * count));
}
