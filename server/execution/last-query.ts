import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { DataType, dataTypeName } from '../../tsfile/data-type.js';
import { valueText } from '../../tsfile/text/value-text.js';
import type { SelectLastStatement } from '../sql/ast.js';
import type { ExecutionContext } from './execution-context.js';
import { paginate, streamResult } from './result-stream.js';
import { resolveSeries, seriesKey, seriesPath } from './series-resolution.js';
import { clockOf } from './statement-clock.js';
import type { ResultSet } from './statement-outcome.js';
import { timeOnlyBounds } from './time-bounds.js';
import { utf8 } from './value-conversion.js';

interface LastRow {
  readonly series: SeriesSchema;
  readonly time: bigint;
  readonly path: string;
  readonly value: string;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Device then measurement: the order IoTDB plans a last query in. */
function bySeries(a: LastRow, b: LastRow): number {
  return byText(a.series.device, b.series.device) || byText(a.series.measurement, b.series.measurement);
}

/**
 * SELECT LAST: per series (each once) its latest point in the WHERE range, as rows of
 * (Time, Timeseries, Value, DataType), the value as IoTDB prints it. Rows come in series
 * order unless ORDER BY TIMESERIES or TIME says otherwise.
 */
export function lastQuery(statement: SelectLastStatement, context: ExecutionContext): ResultSet {
  const bounds = timeOnlyBounds(
    statement.where,
    clockOf(context),
    'Last query only supports time filters in WHERE (time >, >=, =, <, <=, BETWEEN joined by AND).',
  );
  const seen = new Set<string>();
  const rows: LastRow[] = [];
  for (const item of statement.items) {
    for (const s of resolveSeries(context.engine, item.path, item.absolute, statement.from)) {
      if (seen.has(seriesKey(s))) continue;
      seen.add(seriesKey(s));
      const last = context.engine.last(s.device, s.measurement, bounds);
      if (last === null) continue;
      rows.push({ series: s, time: last.time, path: seriesPath(s), value: valueText(s.dataType, last.value) });
    }
  }
  const key = statement.orderBy.find((o) => o.key === 'timeseries' || o.key === 'time');
  if (key?.key === 'time') rows.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : bySeries(a, b)));
  else if (key?.key === 'timeseries') rows.sort((a, b) => byText(a.path, b.path));
  else rows.sort(bySeries);
  if (key?.direction === 'desc') rows.reverse();
  function* blocks(): Generator<ResultBlock> {
    if (rows.length === 0) return;
    yield {
      times: BigInt64Array.from(rows.map((r) => r.time)),
      rowCount: rows.length,
      columns: [
        { type: DataType.TEXT, values: rows.map((r) => utf8(r.path)), nulls: null },
        { type: DataType.TEXT, values: rows.map((r) => utf8(r.value)), nulls: null },
        { type: DataType.TEXT, values: rows.map((r) => utf8(dataTypeName(r.series.dataType))), nulls: null },
      ],
    };
  }
  return streamResult(
    ['Timeseries', 'Value', 'DataType'],
    [DataType.TEXT, DataType.TEXT, DataType.TEXT],
    false,
    paginate(blocks(), statement.offset ?? 0, statement.limit),
  );
}
