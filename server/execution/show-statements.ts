import { formatPath, parsePath } from '../../engine/path/path.js';
import { PathPattern } from '../../engine/path/path-pattern.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { compressionName } from '../../tsfile/compression-type.js';
import { DataType, dataTypeName } from '../../tsfile/data-type.js';
import { encodingName } from '../../tsfile/encoding-type.js';
import type {
  CountDatabasesStatement,
  CountDevicesStatement,
  CountTimeseriesStatement,
  ShowDatabasesStatement,
  ShowDevicesStatement,
  ShowTimeseriesStatement,
  SqlPath,
} from '../sql/ast.js';
import type { ExecutionContext } from './execution-context.js';
import { paginate, streamResult } from './result-stream.js';
import { seriesPath } from './series-resolution.js';
import type { ResultSet } from './statement-outcome.js';
import { textRows, typedRows } from './text-rows.js';

const ALL = PathPattern.of(['root', '**']);
/** IoTDB's default time partition interval (one week in ms); shown, not used. */
const TIME_PARTITION_INTERVAL = 604_800_000n;

function patternOf(p: SqlPath | null): PathPattern {
  return p === null ? ALL : PathPattern.of(p.nodes);
}

function json(map: Readonly<Record<string, string>>): string | null {
  return Object.keys(map).length === 0 ? null : JSON.stringify(map);
}

function databasesOf(statement: { pattern: SqlPath | null }, context: ExecutionContext): string[] {
  const pattern = patternOf(statement.pattern);
  return context.engine.schema.listDatabases().filter((d) => pattern.matches(parsePath(d)));
}

const DATABASE_COLUMNS = [
  'Database',
  'SchemaReplicationFactor',
  'DataReplicationFactor',
  'TimePartitionOrigin',
  'TimePartitionInterval',
];
const DATABASE_TYPES = [DataType.TEXT, DataType.INT32, DataType.INT32, DataType.INT64, DataType.INT64];
/** SHOW DATABASES DETAILS adds the region group counts: one node, one region group of each kind per database. */
const DETAIL_COLUMNS = [
  'SchemaRegionGroupNum',
  'MinSchemaRegionGroupNum',
  'MaxSchemaRegionGroupNum',
  'DataRegionGroupNum',
  'MinDataRegionGroupNum',
  'MaxDataRegionGroupNum',
];

/** SHOW DATABASES [DETAILS]: IoTDB 1.3's columns, one replica of everything on this single node. */
export function showDatabases(statement: ShowDatabasesStatement, context: ExecutionContext): ResultSet {
  const rows = databasesOf(statement, context)
    .sort()
    .map((d) => [d, 1, 1, 0n, TIME_PARTITION_INTERVAL, ...(statement.details ? DETAIL_COLUMNS.map(() => 1) : [])]);
  return typedRows(
    [...DATABASE_COLUMNS, ...(statement.details ? DETAIL_COLUMNS : [])],
    [...DATABASE_TYPES, ...(statement.details ? DETAIL_COLUMNS.map(() => DataType.INT32) : [])],
    rows,
  );
}

/** COUNT DATABASES: IoTDB's `count(database)` header, an INT32. */
export function countDatabases(statement: CountDatabasesStatement, context: ExecutionContext): ResultSet {
  return typedRows(['count(database)'], [DataType.INT32], [[databasesOf(statement, context).length]]);
}

/** SHOW TIMESERIES: IoTDB 1.3's eleven TEXT columns. */
export function showTimeseries(statement: ShowTimeseriesStatement, context: ExecutionContext): ResultSet {
  const series = context.engine.schema.matchSeries(patternOf(statement.pattern));
  const rows = series.map((s) => [
    seriesPath(s),
    s.alias,
    context.engine.schema.device(s.device)?.database ?? null,
    dataTypeName(s.dataType),
    encodingName(s.encoding),
    compressionName(s.compression),
    json(s.tags),
    json(s.attributes),
    null,
    null,
    'BASE',
  ]);
  const names = [
    'Timeseries',
    'Alias',
    'Database',
    'DataType',
    'Encoding',
    'Compression',
    'Tags',
    'Attributes',
    'Deadband',
    'DeadbandParameters',
    'ViewType',
  ];
  const all = textRows(names, rows as (string | null)[][]);
  return paged(all, statement.offset, statement.limit);
}

/** SHOW DEVICES [WITH DATABASE]: Device, [Database,] IsAligned, Template, TTL(ms). */
export function showDevices(statement: ShowDevicesStatement, context: ExecutionContext): ResultSet {
  const devices = context.engine.schema
    .matchDevices(patternOf(statement.pattern))
    .filter((d) => d.measurements.size > 0);
  const names = statement.withDatabase
    ? ['Device', 'Database', 'IsAligned', 'Template', 'TTL(ms)']
    : ['Device', 'IsAligned', 'Template', 'TTL(ms)'];
  const rows = devices.map((d) =>
    statement.withDatabase
      ? [d.device, d.database, String(d.aligned), null, 'INF']
      : [d.device, String(d.aligned), null, 'INF'],
  );
  return paged(textRows(names, rows), statement.offset, statement.limit);
}

export function countTimeseries(statement: CountTimeseriesStatement, context: ExecutionContext): ResultSet {
  const series = context.engine.schema.matchSeries(patternOf(statement.pattern));
  if (statement.groupByLevel === null) return typedRows(['count(timeseries)'], [DataType.INT64], [[series.length]]);
  const level = statement.groupByLevel;
  const counts = new Map<string, number>();
  for (const s of series) {
    const nodes = [...parsePath(s.device), s.measurement];
    if (nodes.length <= level) continue;
    const key = formatPath(nodes.slice(0, level + 1));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rows = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => [k, n]);
  return typedRows(['Column', 'count(timeseries)'], [DataType.TEXT, DataType.INT64], rows);
}

export function countDevices(statement: CountDevicesStatement, context: ExecutionContext): ResultSet {
  const devices = context.engine.schema
    .matchDevices(patternOf(statement.pattern))
    .filter((d) => d.measurements.size > 0);
  return typedRows(['count(devices)'], [DataType.INT64], [[devices.length]]);
}

export function showVersion(context: ExecutionContext): ResultSet {
  return textRows(['Version', 'BuildInfo'], [[context.version, `iotdb-lite ${context.version}`]]);
}

function paged(result: ResultSet, offset: number | null, limit: number | null): ResultSet {
  function* blocks(): Generator<ResultBlock> {
    for (let b = result.next(); b !== null; b = result.next()) yield b;
  }
  return streamResult(result.columnNames, result.dataTypes, true, paginate(blocks(), offset ?? 0, limit));
}
