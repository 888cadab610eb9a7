import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import type { SelectSeries, SelectStatement, SqlPath } from '../sql/ast.js';
import { gatherBlock, projectBlock } from './block-ops.js';
import { selectedRows } from './column-kernels.js';
import type { RowFilter } from './predicate.js';
import { checkAlias, pageColumns, resolveSeries, seriesPath } from './series-resolution.js';
import { SeriesSet } from './series-set.js';
import type { TimeBounds, TimeResolver } from './time-bounds.js';
import { mergeByTime } from './time-merge.js';

/** One output column of a raw query: its header and its series. */
export interface RawColumn {
  readonly name: string;
  readonly series: SeriesSchema;
}

/** The selected columns in order: each item expanded (sorted per FROM prefix), SOFFSET/SLIMIT applied. */
export function selectedColumns(statement: SelectStatement, engine: StorageEngine): RawColumn[] {
  const columns: RawColumn[] = [];
  for (const item of statement.items as readonly SelectSeries[]) {
    const series = resolveSeries(engine, item.path, item.absolute, statement.from);
    checkAlias(item.alias, series.length);
    for (const s of series) columns.push({ name: item.alias ?? seriesPath(s), series: s });
  }
  return pageColumns(columns, statement.soffset, statement.slimit);
}

/** What one raw scan needs: the series to read, the WHERE (relative to `from`), the range. */
export interface RawScan {
  readonly engine: StorageEngine;
  readonly series: readonly SeriesSchema[];
  readonly where: SelectStatement['where'];
  readonly from: readonly SqlPath[];
  readonly clock: TimeResolver;
  readonly bounds: TimeBounds;
  /** False when WHERE says more than the time range. */
  readonly exact: boolean;
  readonly blockRows: number;
}

/**
 * Rows of a raw scan in time order: the series joined on time, WHERE applied to whole
 * blocks, one column per entry of `scan.series` (in that order).
 */
export function* scanRows(scan: RawScan): Generator<ResultBlock> {
  if (scan.series.length === 0 || scan.bounds.start > scan.bounds.end) return;
  const set = new SeriesSet();
  const output = scan.series.map((s) => set.add(s));
  const filter: RowFilter | null =
    scan.exact || scan.where === null ? null : set.filter(scan.engine, scan.where, scan.from, scan.clock);
  const blocks = mergeByTime(set.inputs(scan.engine, scan.bounds), scan.blockRows);
  if (filter === null) {
    for (const block of blocks) yield projectBlock(block, output);
    return;
  }
  for (const block of blocks) {
    const { rows, count } = selectedRows(filter(block), block.rowCount);
    if (count === 0) continue;
    const projected = projectBlock(block, output);
    yield count === block.rowCount ? projected : gatherBlock(projected, rows, count);
  }
}

/** SELECT of raw series, aligned by time (IoTDB's default) or by device. */
