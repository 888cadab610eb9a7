import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import type { PathOperand, Predicate, SqlPath } from '../sql/ast.js';
import type { ColumnRef, RowFilter } from './predicate.js';
import { compileFilter } from './predicate.js';
import { resolveSeries, seriesKey } from './series-resolution.js';
import type { TimeBounds, TimeResolver } from './time-bounds.js';
import type { MergeInput } from './time-merge.js';

/**
 * The distinct series a query reads, in first-use order: a series selected twice, or
 * selected and filtered on, is read once and joined once.
 */
export class SeriesSet {
  readonly series: SeriesSchema[] = [];
  private readonly index = new Map<string, number>();

  /** The merged column of a series, added if new. */
  add(s: SeriesSchema): number {
    const key = seriesKey(s);
    let j = this.index.get(key);
    if (j === undefined) {
      j = this.series.length;
      this.series.push(s);
      this.index.set(key, j);
    }
    return j;
  }

  /**
   * Compiles WHERE against this set: series it names are added (read and joined with the
   * selected ones, then dropped from the output). Relative paths resolve under `from`.
   */
  filter(engine: StorageEngine, where: Predicate, from: readonly SqlPath[], clock: TimeResolver): RowFilter {
    const columnsOf = (o: PathOperand): ColumnRef[] =>
      resolveSeries(engine, o.path, o.absolute, from).map((s) => ({ index: this.add(s), type: s.dataType }));
    return compileFilter(where, columnsOf, clock);
  }

  /** One block stream per series over a time range. */
  inputs(engine: StorageEngine, bounds: TimeBounds): MergeInput[] {
    return this.series.map((s) => ({
      type: s.dataType,
      blocks: engine.readSeries(s.device, s.measurement, bounds),
    }));
  }
}
