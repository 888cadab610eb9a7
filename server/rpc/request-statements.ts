import type { TimestampPrecision } from '../../engine/engine-config.js';
import { EngineError, StatusCode } from '../../engine/errors.js';
import type { AggregationName } from '../../engine/query/aggregate.js';
import type {
  I64,
  TSAggregationQueryReq,
  TSCreateTimeseriesReq,
  TSLastDataQueryReq,
  TSRawDataQueryReq,
} from '../../protocol/rpc-types.js';
import { i64ToBigInt, TAggregationType } from '../../protocol/rpc-types.js';
import { compressionName } from '../../tsfile/compression-type.js';
import { dataTypeName } from '../../tsfile/data-type.js';
import { encodingName } from '../../tsfile/encoding-type.js';
import type {
  AttributeList,
  CreateTimeseriesStatement,
  IntegerLiteral,
  Pagination,
  Predicate,
  SelectLastStatement,
  SelectStatement,
  SqlPath,
} from '../sql/ast.js';
import { parsePath } from '../sql/path-syntax.js';

/*
 * The structured RPCs (raw, last and aggregation queries, createTimeseries, deleteData)
 * become the statements their SQL would parse to, so privilege checks and execution are
 * the same code as for SQL.
 */

const NO_PAGINATION: Pagination = { limit: null, offset: null, slimit: null, soffset: null };
const NANOS_PER_UNIT: Record<TimestampPrecision, bigint> = { ms: 1_000_000n, us: 1_000n, ns: 1n };

function fullPath(text: string): SqlPath {
  return parsePath(text);
}

function integer(value: bigint): IntegerLiteral {
  return { kind: 'integer', text: String(value), value };
}

function timeCompare(op: '>=' | '<' | '<=', value: I64): Predicate {
  return { kind: 'compare', op, left: { kind: 'time' }, right: integer(i64ToBigInt(value)) };
}

function and(left: Predicate, right: Predicate): Predicate {
  return { kind: 'and', left, right };
}

/** executeRawDataQuery: the series in [startTime, endTime). */
export function rawDataQuery(req: TSRawDataQueryReq): SelectStatement {
  return {
    kind: 'select',
    items: req.paths.map((p) => ({ kind: 'series', path: fullPath(p), absolute: true, alias: null })),
    from: [],
    where: and(timeCompare('>=', req.startTime), timeCompare('<', req.endTime)),
    groupBy: null,
    orderBy: [],
    fill: null,
    alignBy: 'time',
    ...NO_PAGINATION,
  };
}

/** executeLastDataQuery: the last point of each series at or after `time`. */
export function lastDataQuery(req: TSLastDataQueryReq): SelectLastStatement {
  return {
    kind: 'select-last',
    items: req.paths.map((p) => ({ kind: 'series', path: fullPath(p), absolute: true, alias: null })),
    from: [],
    where: timeCompare('>=', req.time),
    orderBy: [],
    ...NO_PAGINATION,
  };
}

const AGGREGATION_NAMES: ReadonlyMap<number, AggregationName> = new Map([
  [TAggregationType.COUNT, 'count'],
  [TAggregationType.AVG, 'avg'],
  [TAggregationType.SUM, 'sum'],
  [TAggregationType.FIRST_VALUE, 'first_value'],
  [TAggregationType.LAST_VALUE, 'last_value'],
  [TAggregationType.MAX_TIME, 'max_time'],
  [TAggregationType.MIN_TIME, 'min_time'],
  [TAggregationType.MAX_VALUE, 'max_value'],
  [TAggregationType.MIN_VALUE, 'min_value'],
]);

/**
 * executeAggregationQuery: `aggregations[i](paths[i])`, over [startTime, endTime) and,
 * when `interval` is set, in windows of that length (sliding by `slidingStep`).
 */
export function aggregationQuery(req: TSAggregationQueryReq, precision: TimestampPrecision): SelectStatement {
  if (req.paths.length !== req.aggregations.length) {
    throw new EngineError(
      StatusCode.ILLEGAL_PARAMETER,
      `${req.paths.length} paths but ${req.aggregations.length} aggregations`,
    );
  }
  const items = req.paths.map((p, i) => {
    const name = AGGREGATION_NAMES.get(req.aggregations[i]!);
    if (name === undefined) {
      throw new EngineError(
        StatusCode.UNSUPPORTED_OPERATION,
        `aggregation type ${req.aggregations[i]} is not supported`,
      );
    }
    return { kind: 'aggregation' as const, function: name, path: fullPath(p), absolute: true, alias: null };
  });
  const start = req.startTime ?? null;
  const end = req.endTime ?? null;
  let where: Predicate | null = null;
  if (start !== null) where = timeCompare('>=', start);
  if (end !== null) where = where === null ? timeCompare('<', end) : and(where, timeCompare('<', end));
  let groupBy: SelectStatement['groupBy'] = null;
  if (req.interval !== null && req.interval !== undefined) {
    if (start === null || end === null) {
      throw new EngineError(StatusCode.ILLEGAL_PARAMETER, 'a windowed aggregation needs startTime and endTime');
    }
    const duration = (units: bigint) => ({ text: String(units), months: 0, nanos: units * NANOS_PER_UNIT[precision] });
    const sliding = req.slidingStep ?? null;
    groupBy = {
      time: {
        start: integer(i64ToBigInt(start)),
        end: integer(i64ToBigInt(end)),
        leftOpen: false,
        interval: duration(i64ToBigInt(req.interval)),
        sliding: sliding === null ? null : duration(i64ToBigInt(sliding)),
      },
      levels: [],
    };
  }
  return {
    kind: 'select',
    items,
    from: [],
    where,
    groupBy,
    orderBy: [],
    fill: null,
    alignBy: 'time',
    ...NO_PAGINATION,
  };
}

function attributes(map: Record<string, string> | null | undefined): AttributeList {
  return Object.entries(map ?? {});
}

function codeName<T>(name: (code: number) => T, code: number, what: string): T {
  try {
    return name(code);
  } catch {
    throw new EngineError(StatusCode.ILLEGAL_PARAMETER, `unknown ${what} code ${code}`);
  }
}

/** One series of createTimeseries / createMultiTimeseries. */
export function createTimeseries(
  req: Pick<
    TSCreateTimeseriesReq,
    'path' | 'dataType' | 'encoding' | 'compressor' | 'tags' | 'attributes' | 'measurementAlias'
  >,
): CreateTimeseriesStatement {
  return {
    kind: 'create-timeseries',
    path: fullPath(req.path),
    dataType: codeName(dataTypeName, req.dataType, 'data type'),
    encoding: codeName(encodingName, req.encoding, 'encoding'),
    compressor: codeName(compressionName, req.compressor, 'compression'),
    alias: req.measurementAlias ?? null,
    tags: attributes(req.tags),
    attributes: attributes(req.attributes),
  };
}

/** deleteData: points of the series in [startTime, endTime]. */
export function deleteDataStatement(paths: readonly string[], startTime: I64, endTime: I64) {
  return {
    kind: 'delete-data' as const,
    patterns: paths.map((p) => parsePath(p, { wildcards: true })),
    where: and(timeCompare('>=', startTime), timeCompare('<=', endTime)),
  };
}
