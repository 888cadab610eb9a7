import { DEFAULTS } from '../format/tsfile-format.js';
import { projectedCount } from './page-sizer.js';

/** What the checks read of an aligned device's open page. */
export interface AlignedPageProbe {
  /** Values present in the page's rows so far, for value column `column`. */
  present(column: number): number;
  /** The size the reference's time writer sees for `rows` rows. */
  timeSize(rows: number): number;
  /** The size the reference's writer of value column `column` sees, with `present` values in `rows` rows. */
  valueSize(column: number, rows: number, present: number): number;
}

/**
 * The reference's page decisions for an aligned device, made exactly (used where the time
 * and every value encoding model the reference's size accounting). After each row the time
 * column's writer checks its page, then each value column's writer in column order; the
 * first that finds its page full ends the page of every column, and the writers after it
 * do not check. Each writer keeps its own next check and counts its own points: rows for
 * the time writer, present values for a value writer (ValueChunkWriter).
 */
export class AlignedPageChecks {
  private timeNext: number = DEFAULTS.pageSizeCheckMinPoints;
  private readonly valueNext: number[];

  constructor(
    private readonly pageSizeBytes: number,
    private readonly maxPointsInPage: number,
    columns: number,
  ) {
    this.valueNext = new Array<number>(columns).fill(DEFAULTS.pageSizeCheckMinPoints);
  }

  /** Rows that may enter the page before any writer could check (a value column gains at most one value a row). */
  room(rows: number, probe: AlignedPageProbe): number {
    let room = Math.min(this.maxPointsInPage, this.timeNext) - rows;
    for (let j = 0; j < this.valueNext.length; j++) {
      room = Math.min(room, Math.min(this.maxPointsInPage, this.valueNext[j]!) - probe.present(j));
    }
    return Math.max(1, room);
  }

  isFull(rows: number, probe: AlignedPageProbe): boolean {
    if (rows >= this.maxPointsInPage) return true;
    if (rows >= this.timeNext) {
      const size = probe.timeSize(rows);
      if (size > this.pageSizeBytes) {
        this.timeNext = DEFAULTS.pageSizeCheckMinPoints;
        return true;
      }
      this.timeNext = projectedCount(this.pageSizeBytes, size, rows);
    }
    for (let j = 0; j < this.valueNext.length; j++) {
      const present = probe.present(j);
      if (present === this.maxPointsInPage) return true;
      if (present < this.valueNext[j]!) continue;
      const size = probe.valueSize(j, rows, present);
      if (size > this.pageSizeBytes) {
        this.valueNext[j] = DEFAULTS.pageSizeCheckMinPoints;
        return true;
      }
      this.valueNext[j] = projectedCount(this.pageSizeBytes, size, present);
    }
    return false;
  }

  /** A new chunk: the reference makes new writers. */
  newChunk(): void {
    this.timeNext = DEFAULTS.pageSizeCheckMinPoints;
    this.valueNext.fill(DEFAULTS.pageSizeCheckMinPoints);
  }
}
