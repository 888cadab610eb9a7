import { EngineError, StatusCode } from '../../engine/errors.js';
import { type AggregationName, aggregationApplies } from '../../engine/query/aggregate.js';
import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { allocateColumn, DataType, dataTypeName, valueKind } from '../../tsfile/data-type.js';
import type { ColumnBlock } from '../../tsfile/tablet.js';
import type { SelectStatement, SqlPath } from '../sql/ast.js';
import { addCalendarMonths, durationInPrecision, resolveTimeValue } from '../sql/time-literals.js';
import { deviceAlignedResult, layoutByDevice } from './align-by-device.js';
import { splitColumns } from './column-split.js';
import type { ExecutionContext } from './execution-context.js';
import { groupByLevel } from './level-grouping.js';
import { scanRows } from './raw-scan.js';
import { withFill } from './result-fill.js';
import { paginate, reversed, rowsNeeded, streamResult } from './result-stream.js';
import { blockRowsOf, checkAlias, pageColumns, resolveSeries, seriesPath } from './series-resolution.js';
import { SeriesSet } from './series-set.js';
import { clockOf } from './statement-clock.js';
import type { ResultSet } from './statement-outcome.js';
import { earlier, later, type TimeBounds, type TimeResolver, timeBounds } from './time-bounds.js';
import { storeValue } from './value-conversion.js';
import { mergeStates, needsOf, SeriesWindows } from './window-aggregator.js';
import { WindowGrid } from './window-grid.js';

/** One output column: an aggregation of one series, or of a GROUP BY LEVEL group of them. */
interface AggregateColumn {
  readonly name: string;
  readonly fn: AggregationName;
  /** The first (or only) series of `members`. */
  readonly series: SeriesSchema;
  readonly members: readonly SeriesSchema[];
  /** The result type, as IoTDB types it. */
  readonly type: DataType;
}

/** Where and how an aggregation reads: the WHERE (relative to `from`), its time range. */
interface AggregateScan {
  readonly engine: StorageEngine;
  readonly where: SelectStatement['where'];
  readonly exact: boolean;
  readonly from: readonly SqlPath[];
  readonly clock: TimeResolver;
  readonly bounds: TimeBounds;
  readonly blockRows: number;
}

/** IoTDB's result type of an aggregation over a series of `type`. */
function resultType(fn: AggregationName, type: DataType): DataType {
  switch (fn) {
    case 'count':
    case 'min_time':
    case 'max_time':
      return DataType.INT64;
    case 'sum':
    case 'avg':
      return DataType.DOUBLE;
    default:
      return type;
  }
}

function columnsOf(statement: SelectStatement, engine: StorageEngine, byDevice: boolean): AggregateColumn[] {
  const columns: AggregateColumn[] = [];
  const levels = statement.groupBy?.levels ?? [];
  for (const item of statement.items) {
    if (item.kind !== 'aggregation') {
      throw new EngineError(StatusCode.SEMANTIC_ERROR, 'Raw data and aggregation hybrid query is not supported.');
    }
    const series = resolveSeries(engine, item.path, item.absolute, statement.from);
    for (const s of series) {
      if (!aggregationApplies(item.function, s.dataType)) {
        throw new EngineError(
          StatusCode.SEMANTIC_ERROR,
          `Aggregate functions [AVG, SUM, MIN_VALUE, MAX_VALUE] only support numeric data types [INT32, INT64, FLOAT, DOUBLE], not ${dataTypeName(s.dataType)} (${seriesPath(s)})`,
        );
      }
    }
    const groups =
      levels.length === 0
        ? series.map((s) => ({ key: byDevice ? s.measurement : seriesPath(s), members: [s] }))
        : groupByLevel(item.function, item.path, series, levels);
    checkAlias(item.alias, groups.length);
    for (const g of groups) {
      const first = g.members[0]!;
      columns.push({
        name: item.alias ?? `${item.function}(${g.key})`,
        fn: item.function,
        series: first,
        members: g.members,
        type: resultType(item.function, first.dataType),
      });
    }
  }
  return pageColumns(columns, statement.soffset, statement.slimit);
}

/**
 * The windows of the statement: GROUP BY's, or one window over the WHERE range. A GROUP
 * BY without a range spans the selected series' data.
 */
function gridOf(
  statement: SelectStatement,
  context: ExecutionContext,
  clock: TimeResolver,
  bounds: TimeBounds,
  series: readonly SeriesSchema[],
): WindowGrid {
  const window = statement.groupBy?.time ?? null;
  if (window === null) return WindowGrid.whole(bounds.start, bounds.end);
  const precision = context.engine.config.timestampPrecision;
  const interval = durationInPrecision(window.interval, precision);
  const step = window.sliding === null ? interval : durationInPrecision(window.sliding, precision);
  if (interval <= 0n) throw new EngineError(StatusCode.SEMANTIC_ERROR, 'The time interval should be positive.');
  if (step <= 0n) throw new EngineError(StatusCode.SEMANTIC_ERROR, 'The sliding step should be positive.');
  const shift = window.leftOpen ? 1n : 0n;
  let start = window.start === null ? null : resolveTimeValue(window.start, clock) + shift;
  let end = window.end === null ? null : resolveTimeValue(window.end, clock) + shift;
  if (start !== null && end !== null && start >= end) {
    throw new EngineError(StatusCode.SEMANTIC_ERROR, 'Start time should be smaller than endTime in GroupBy');
  }
  if (start === null || end === null) {
    const span = dataSpan(context.engine, series, bounds);
    start ??= span.start;
    end ??= span.end + 1n;
  }
  const stepping = window.sliding ?? window.interval;
  if (window.interval.months === 0 && stepping.months === 0) {
    return new WindowGrid(start, end, interval, step, window.leftOpen);
  }
  // Calendar months, as IoTDB: every window counted from the first one's start on the
  // session's calendar (the 31st steps to each month's last day), the fixed part added.
  const origin = start;
  const fixedStep = durationInPrecision({ ...stepping, months: 0 }, precision);
  const fixedInterval = durationInPrecision({ ...window.interval, months: 0 }, precision);
  const at = (months: number, fixed: bigint) => addCalendarMonths(origin, months, precision, context.timeZone) + fixed;
  return WindowGrid.listed(
    start,
    end,
    window.leftOpen,
    (i) => at(i * stepping.months, BigInt(i) * fixedStep),
    (i) => at(i * stepping.months + window.interval.months, BigInt(i) * fixedStep + fixedInterval),
  );
}

/** The first and last times of some series in a range ({0, -1} when they hold none). */
function dataSpan(engine: StorageEngine, series: readonly SeriesSchema[], bounds: TimeBounds): TimeBounds {
  let start: bigint | null = null;
  let end: bigint | null = null;
  for (const s of series) {
    for (const block of engine.readSeries(s.device, s.measurement, bounds)) {
      if (block.length === 0) continue;
      const first = block.times[0]!;
      const last = block.times[block.length - 1]!;
      if (start === null || first < start) start = first;
      if (end === null || last > end) end = last;
    }
  }
  return start === null || end === null ? { start: 0n, end: -1n } : { start, end };
}

/**
 * Rows of aggregations, one per window in blocks of `blockRows` windows. Without a value
 * filter each series is read on its own; with one, the series are joined on time,
 * filtered, and each column's remaining points aggregated.
 */
function* aggregateRows(
  scan: AggregateScan,
  columns: readonly AggregateColumn[],
  grid: WindowGrid,
): Generator<ResultBlock> {
  if (columns.length === 0 || grid.count === 0) return;
  const set = new SeriesSet();
  const seriesOf = columns.map((c) => c.members.map((m) => set.add(m)));
  const series = set.series;
  const range: TimeBounds = {
    start: later(scan.bounds.start, grid.start),
    end: earlier(scan.bounds.end, grid.end - 1n),
  };
  let streams: Iterator<ColumnBlock>[];
  let source: Generator<ResultBlock> | null = null;
  if (range.start > range.end) {
    streams = series.map(() => [][Symbol.iterator]());
  } else if (!scan.exact && scan.where !== null) {
    source = scanRows({ ...scan, series, bounds: range });
    streams = splitColumns(source, series.length);
  } else {
    streams = series.map((s) => scan.engine.readSeries(s.device, s.measurement, range));
  }
  const windows = series.map((s, k) => {
    const functions = columns.filter((_, j) => seriesOf[j]!.includes(k)).map((c) => c.fn);
    return new SeriesWindows(streams[k]!, valueKind(s.dataType), grid, needsOf(functions));
  });
  try {
    for (let w0 = 0; w0 < grid.count; w0 += scan.blockRows) {
      const w1 = Math.min(grid.count, w0 + scan.blockRows);
      const n = w1 - w0;
      const states = windows.map((w) => w.collect(w0, w1));
      const times = new BigInt64Array(n);
      for (let i = 0; i < n; i++) times[i] = grid.label(w0 + i);
      yield {
        times,
        rowCount: n,
        columns: columns.map((c, j) => {
          const values = allocateColumn(c.type, n);
          const nulls = new Uint8Array(n);
          let anyNull = false;
          const own = seriesOf[j]!.map((k) => states[k]!);
          for (let i = 0; i < n; i++) {
            const v = (own.length === 1 ? own[0]![i]! : mergeStates(own.map((st) => st[i]!))).value(c.fn);
            if (v === null) {
              nulls[i] = 1;
              anyNull = true;
            } else {
              storeValue(values, c.type, i, v);
            }
          }
          return { type: c.type, values, nulls: anyNull ? nulls : null };
        }),
      };
    }
  } finally {
    for (const w of windows) w.close();
    source?.return(undefined);
  }
}

/**
 * SELECT of aggregations: one row over the WHERE range (IoTDB sets ignoreTimeStamp), or
 * one row per GROUP BY window stamped as IoTDB stamps it. WHERE may filter on values.
 */
export function aggregationQuery(statement: SelectStatement, context: ExecutionContext): ResultSet {
  const byDevice = statement.alignBy === 'device';
  if (byDevice && statement.groupBy !== null && statement.groupBy.levels.length > 0) {
    throw new EngineError(StatusCode.SEMANTIC_ERROR, 'GROUP BY LEVEL does not support align by device now.');
  }
  const clock = clockOf(context);
  const { bounds, exact } = timeBounds(statement.where, clock);
  const columns = columnsOf(statement, context.engine, byDevice);
  const grid = gridOf(
    statement,
    context,
    clock,
    bounds,
    columns.flatMap((c) => c.members),
  );
  const grouped = statement.groupBy?.time !== undefined && statement.groupBy.time !== null;
  const desc = grouped && statement.orderBy.some((o) => o.key === 'time' && o.direction === 'desc');
  const offset = statement.offset ?? 0;
  const scan: AggregateScan = {
    engine: context.engine,
    where: statement.where,
    exact,
    from: statement.from,
    clock,
    bounds,
    blockRows: blockRowsOf(context),
  };
  if (byDevice) return aggregationByDevice(statement, columns, scan, grid, desc, !grouped, context);
  const rows = aggregateRows(scan, columns, grid);
  const keep = statement.fill === null ? rowsNeeded(offset, statement.limit) : Number.POSITIVE_INFINITY;
  const ordered = withFill(
    desc ? reversed(rows, keep) : rows,
    statement.fill,
    context.engine.config.timestampPrecision,
  );
  return streamResult(
    columns.map((c) => c.name),
    columns.map((c) => c.type),
    !grouped,
    paginate(ordered, offset, statement.limit),
  );
}

/** Aggregations ALIGN BY DEVICE: per device (sorted) its rows; columns `Device` then `fn(measurement)`. */
function aggregationByDevice(
  statement: SelectStatement,
  columns: readonly AggregateColumn[],
  scan: AggregateScan,
  grid: WindowGrid,
  desc: boolean,
  ignoreTimeStamp: boolean,
  context: ExecutionContext,
): ResultSet {
  const layout = layoutByDevice(columns, (c) => ({
    key: `${c.fn}\u0000${c.series.measurement}\u0000${c.name}`,
    name: c.name,
    type: c.type,
  }));
  return deviceAlignedResult(statement, layout, desc, ignoreTimeStamp, context, (present, from) =>
    aggregateRows({ ...scan, from }, present, grid),
  );
}
