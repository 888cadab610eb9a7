import { EngineError, StatusCode } from '../../engine/errors.js';
import {
  type AggregateState,
  type AggregationName,
  aggregateValue,
  aggregateWindows,
  aggregationApplies,
} from '../../engine/query/aggregate.js';
import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { allocateColumn, DataType, dataTypeName } from '../../tsfile/data-type.js';
import type { SelectAggregation, SelectStatement } from '../sql/ast.js';
import { durationInPrecision, resolveTimeValue } from '../sql/time-literals.js';
import type { ExecutionContext } from './execution-context.js';
import { paginate, reversed, streamResult } from './result-stream.js';
import { resolveSeries, seriesKey, seriesPath } from './series-resolution.js';
import { clockOf } from './statement-clock.js';
import type { ResultSet } from './statement-outcome.js';
import { earlier, later, type TimeBounds, timeBounds } from './time-bounds.js';
import { storeValue } from './value-conversion.js';

interface AggregateColumn {
  readonly name: string;
  readonly fn: AggregationName;
  readonly series: SeriesSchema;
  readonly type: DataType;
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

function columnsOf(statement: SelectStatement, context: ExecutionContext): AggregateColumn[] {
  const columns: AggregateColumn[] = [];
  for (const item of statement.items) {
    if (item.kind !== 'aggregation') {
      throw new EngineError(StatusCode.SEMANTIC_ERROR, 'Raw data and aggregation hybrid query is not supported.');
    }
    const a = item as SelectAggregation;
    const series = resolveSeries(context.engine, a.path, a.absolute, statement.from);
    for (const s of series) {
      if (!aggregationApplies(a.function, s.dataType)) {
        throw new EngineError(
          StatusCode.SEMANTIC_ERROR,
          `Aggregate functions [AVG, SUM, MIN_VALUE, MAX_VALUE] only support numeric data types [INT32, INT64, FLOAT, DOUBLE], not ${dataTypeName(s.dataType)} (${seriesPath(s)})`,
        );
      }
      const name = a.alias !== null && series.length === 1 ? a.alias : `${a.function}(${seriesPath(s)})`;
      columns.push({ name, fn: a.function, series: s, type: resultType(a.function, s.dataType) });
    }
  }
  const from = statement.soffset ?? 0;
  return columns.slice(from, statement.slimit === null ? undefined : from + statement.slimit);
}

/** Fills row `row` of the output columns from each series' state. */
function storeRow(
  out: ResultBlock,
  row: number,
  columns: readonly AggregateColumn[],
  stateOf: (c: AggregateColumn) => AggregateState,
): void {
  columns.forEach((c, j) => {
    const value = aggregateValue(stateOf(c), c.fn);
    const column = out.columns[j]!;
    if (value === null) column.nulls![row] = 1;
    else storeValue(column.values, c.type, row, value);
  });
}

function emptyBlock(columns: readonly AggregateColumn[], rows: number): ResultBlock {
  return {
    times: new BigInt64Array(rows),
    rowCount: rows,
    columns: columns.map((c) => ({ type: c.type, values: allocateColumn(c.type, rows), nulls: new Uint8Array(rows) })),
  };
}

/**
 * SELECT of aggregations: one row over the whole range (IoTDB sets ignoreTimeStamp), or
 * one row per GROUP BY window stamped with the window's start. WHERE may only restrict time.
 */
export function aggregationQuery(statement: SelectStatement, context: ExecutionContext): ResultSet {
  if (statement.alignBy === 'device') {
    throw new EngineError(StatusCode.UNSUPPORTED_OPERATION, 'aggregations with ALIGN BY DEVICE are not supported');
  }
  if (statement.groupBy !== null && statement.groupBy.levels.length > 0) {
    throw new EngineError(StatusCode.UNSUPPORTED_OPERATION, 'GROUP BY LEVEL is not supported');
  }
  const clock = clockOf(context);
  const { bounds, exact } = timeBounds(statement.where, clock);
  if (!exact) {
    throw new EngineError(
      StatusCode.UNSUPPORTED_OPERATION,
      'aggregation queries support only time conditions in WHERE',
    );
  }
  const columns = columnsOf(statement, context);
  const names = columns.map((c) => c.name);
  const types = columns.map((c) => c.type);
  const window = statement.groupBy?.time ?? null;
  if (window === null) {
    const states = new Map<string, AggregateState>();
    const stateOf = (c: AggregateColumn): AggregateState => {
      const key = seriesKey(c.series);
      let state = states.get(key);
      if (state === undefined) {
        state = context.engine.aggregate(c.series.device, c.series.measurement, bounds);
        states.set(key, state);
      }
      return state;
    };
    function* one(): Generator<ResultBlock> {
      if (columns.length === 0) return;
      const block = emptyBlock(columns, 1);
      storeRow(block, 0, columns, stateOf);
      yield withNullMasks(block);
    }
    return streamResult(names, types, true, paginate(one(), statement.offset ?? 0, statement.limit));
  }

  const precision = context.engine.config.timestampPrecision;
  const interval = durationInPrecision(window.interval, precision);
  const step = window.sliding === null ? interval : durationInPrecision(window.sliding, precision);
  if (interval <= 0n || step <= 0n)
    throw new EngineError(StatusCode.SEMANTIC_ERROR, 'the GROUP BY interval must be positive');
  const shift = window.leftOpen ? 1n : 0n;
  let start = window.start === null ? null : resolveTimeValue(window.start, clock) + shift;
  let end = window.end === null ? null : resolveTimeValue(window.end, clock) + shift;
  if (start === null || end === null) {
    const span = dataSpan(columns, context, bounds);
    start ??= span.start;
    end ??= span.end + 1n;
  }
  const windowCount = end > start ? Number((end - start + step - 1n) / step) : 0;
  const range: TimeBounds = {
    start: later(bounds.start, start),
    end: earlier(bounds.end, end - 1n),
  };
  const perSeries = new Map<string, { start: bigint; state: AggregateState }[]>();
  const windowsOf = (c: AggregateColumn) => {
    const key = seriesKey(c.series);
    let w = perSeries.get(key);
    if (w === undefined) {
      const blocks =
        range.start <= range.end ? context.engine.readSeries(c.series.device, c.series.measurement, range) : [];
      w = aggregateWindows(blocks, c.series.dataType, start!, end!, interval, step);
      perSeries.set(key, w);
    }
    return w;
  };
  function* windows(): Generator<ResultBlock> {
    if (columns.length === 0 || windowCount === 0) return;
    const block = emptyBlock(columns, windowCount);
    for (let i = 0; i < windowCount; i++) {
      block.times[i] = start! + BigInt(i) * step - shift;
      storeRow(block, i, columns, (c) => windowsOf(c)[i]!.state);
    }
    yield withNullMasks(block);
  }
  const desc = statement.orderBy.some((o) => o.key === 'time' && o.direction === 'desc');
  const ordered = desc ? reversed(windows(), context.fetchSize) : windows();
  return streamResult(names, types, false, paginate(ordered, statement.offset ?? 0, statement.limit));
}

function withNullMasks(block: ResultBlock): ResultBlock {
  return {
    ...block,
    columns: block.columns.map((c) => ({ ...c, nulls: c.nulls?.includes(1) ? c.nulls : null })),
  };
}

/** The first and last times of the selected series (GROUP BY without a range). */
function dataSpan(columns: readonly AggregateColumn[], context: ExecutionContext, bounds: TimeBounds): TimeBounds {
  let start: bigint | null = null;
  let end: bigint | null = null;
  for (const c of columns) {
    const state = context.engine.aggregate(c.series.device, c.series.measurement, bounds);
    if (state.minTime !== null && (start === null || state.minTime < start)) start = state.minTime;
    if (state.maxTime !== null && (end === null || state.maxTime > end)) end = state.maxTime;
  }
  return start === null || end === null ? { start: 0n, end: -1n } : { start, end };
}
