import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatNode, formatPath } from '../../engine/path/path.js';
import type { CreateSeriesOptions } from '../../engine/schema/schema-types.js';
import { type Compression, parseCompression } from '../../tsfile/compression-type.js';
import { type DataType, parseDataType } from '../../tsfile/data-type.js';
import { type Encoding, parseEncoding } from '../../tsfile/encoding-type.js';
import type {
  AttributeList,
  CreateAlignedTimeseriesStatement,
  CreateTimeseriesStatement,
  DeleteDatabaseStatement,
  DeleteTimeseriesStatement,
  SeriesOptions,
} from '../sql/ast.js';
import type { ExecutionContext } from './execution-context.js';
import type { StatementOutcome } from './statement-outcome.js';

const DONE: StatementOutcome = { kind: 'done' };

function word<T>(parse: (w: string) => T, text: string, what: string): T {
  try {
    return parse(text);
  } catch {
    throw new EngineError(StatusCode.METADATA_ERROR, `unsupported ${what}: ${text}`);
  }
}

function record(list: AttributeList): Record<string, string> {
  return Object.fromEntries(list);
}

/** The options of one series of CREATE [ALIGNED] TIMESERIES, checked. */
function seriesOptions(o: SeriesOptions): CreateSeriesOptions {
  const dataType: DataType = word(parseDataType, o.dataType, 'data type');
  return {
    dataType,
    ...(o.encoding === null ? {} : { encoding: word(parseEncoding, o.encoding, 'encoding') as Encoding }),
    ...(o.compressor === null
      ? {}
      : { compression: word(parseCompression, o.compressor, 'compression') as Compression }),
    alias: o.alias,
    tags: record(o.tags),
    attributes: record(o.attributes),
  };
}

export function createDatabase(path: { nodes: readonly string[] }, context: ExecutionContext): StatementOutcome {
  context.engine.createDatabase(formatPath(path.nodes));
  return DONE;
}

export function deleteDatabases(statement: DeleteDatabaseStatement, context: ExecutionContext): StatementOutcome {
  for (const p of statement.patterns) context.engine.deleteDatabases(formatPath(p.nodes));
  return DONE;
}

/** The level at which CREATE TIMESERIES may create a missing database: none when automatic schema creation is off. */
function databaseLevel(context: ExecutionContext): number {
  return context.engine.config.autoCreateSchema ? context.engine.config.defaultDatabaseLevel : 0;
}

/** Creates series of one device, answering an existing one with IoTDB's message. */
function create(
  context: ExecutionContext,
  device: string,
  aligned: boolean,
  series: readonly (CreateSeriesOptions & { measurement: string })[],
): StatementOutcome {
  const entry = context.engine.schema.device(device);
  for (const s of series) {
    if (entry?.measurements.has(s.measurement)) {
      throw new EngineError(
        StatusCode.TIMESERIES_ALREADY_EXIST,
        `Path [${device}.${formatNode(s.measurement)}] already exist`,
      );
    }
  }
  context.engine.schema.createSeries(device, aligned, series, databaseLevel(context));
  return DONE;
}

export function createTimeseries(statement: CreateTimeseriesStatement, context: ExecutionContext): StatementOutcome {
  const nodes = statement.path.nodes;
  if (nodes.length < 3)
    throw new EngineError(StatusCode.ILLEGAL_PATH, `${statement.path.text} is not a legal time series path`);
  return create(context, formatPath(nodes.slice(0, -1)), false, [
    { measurement: nodes.at(-1)!, ...seriesOptions(statement) },
  ]);
}

export function createAlignedTimeseries(
  statement: CreateAlignedTimeseriesStatement,
  context: ExecutionContext,
): StatementOutcome {
  return create(
    context,
    formatPath(statement.device.nodes),
    true,
    statement.measurements.map((m) => ({ measurement: m.name, ...seriesOptions(m) })),
  );
}

export async function deleteTimeseries(
  statement: DeleteTimeseriesStatement,
  context: ExecutionContext,
): Promise<StatementOutcome> {
  const patterns = statement.patterns.map((p) => formatPath(p.nodes));
  const missing = patterns.filter((p) => context.engine.matchSeries(p).length === 0);
  if (missing.length === patterns.length) {
    throw new EngineError(
      StatusCode.PATH_NOT_EXIST,
      `Timeseries [${missing.join(', ')}] does not exist or is not a time series`,
    );
  }
  for (const p of patterns) if (!missing.includes(p)) await context.engine.deleteTimeseries(p);
  return DONE;
}
