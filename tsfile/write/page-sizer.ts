import { DEFAULTS } from '../format/tsfile-format.js';

/**
 * Decides when a page is full, as the reference ChunkWriter does: at `maxPointsInPage`
 * points, or when the encoded size passes `pageSizeBytes`. Java watches its encoders'
 * output grow; encoders here run once per page, so the size is estimated from the bytes
 * per point measured on this series' earlier pages (a trial encoding measures the first).
 * Checks happen after 1500 points and then at the projected point count, as in Java.
 */
export class PageSizer {
  private bytesPerPoint = 0;
  private nextCheck: number = DEFAULTS.pageSizeCheckMinPoints;

  constructor(
    private readonly pageSizeBytes: number,
    private readonly maxPointsInPage: number,
  ) {}

  /** How many more points may enter a page holding `count` before the next decision. */
  room(count: number): number {
    return Math.max(1, Math.min(this.maxPointsInPage, this.nextCheck) - count);
  }

  /** Whether a page of `count` points is full; `measure` encodes the page to learn its size. */
  isFull(count: number, measure: () => number): boolean {
    if (count >= this.maxPointsInPage) return true;
    if (count < this.nextCheck) return false;
    if (this.bytesPerPoint === 0) this.bytesPerPoint = Math.max(measure() / count, 1e-3);
    const estimate = this.bytesPerPoint * count;
    if (estimate > this.pageSizeBytes) {
      this.nextCheck = DEFAULTS.pageSizeCheckMinPoints;
      return true;
    }
    this.nextCheck = Math.max(count + 1, Math.trunc((this.pageSizeBytes / estimate) * count));
    return false;
  }

  /** Learns from a sealed page's encoded size. */
  sealed(count: number, encodedBytes: number): void {
    if (count > 0) this.bytesPerPoint = Math.max(encodedBytes / count, 1e-3);
  }
}
