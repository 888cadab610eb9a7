import type { ResultBlock } from '../../protocol/result-block.js';
import { DataType, dataTypeName } from '../../tsfile/data-type.js';
import type { SelectLastStatement } from '../sql/ast.js';
import type { ExecutionContext } from './execution-context.js';
import { paginate, streamResult } from './result-stream.js';
import { resolveSeries, seriesKey, seriesPath } from './series-resolution.js';
import { clockOf } from './statement-clock.js';
import type { ResultSet } from './statement-outcome.js';
import { timeOnlyBounds } from './time-bounds.js';
import { utf8, valueText } from './value-conversion.js';

/**
 * SELECT LAST: per series its latest point at or after the WHERE time, as rows of
 * (Time, Timeseries, Value, DataType), the value in text as IoTDB prints it.
 */
export function lastQuery(statement: SelectLastStatement, context: ExecutionContext): ResultSet {
  const bounds = timeOnlyBounds(statement.where, clockOf(context), 'SELECT LAST');
  const seen = new Set<string>();
  const rows: { time: bigint; path: string; value: string; type: string }[] = [];
  for (const item of statement.items) {
    for (const s of resolveSeries(context.engine, item.path, item.absolute, statement.from)) {
      if (seen.has(seriesKey(s))) continue;
      seen.add(seriesKey(s));
      const last = context.engine.last(s.device, s.measurement, bounds);
      if (last === null) continue;
      rows.push({
        time: last.time,
        path: seriesPath(s),
        value: valueText(s.dataType, last.value),
        type: dataTypeName(s.dataType),
      });
    }
  }
  const key = statement.orderBy.find((o) => o.key === 'timeseries' || o.key === 'time');
  if (key !== undefined) {
    rows.sort((a, b) =>
      key.key === 'time'
        ? a.time < b.time
          ? -1
          : a.time > b.time
            ? 1
            : 0
        : a.path < b.path
          ? -1
          : a.path > b.path
            ? 1
            : 0,
    );
    if (key.direction === 'desc') rows.reverse();
  }
  function* blocks(): Generator<ResultBlock> {
    if (rows.length === 0) return;
    yield {
      times: BigInt64Array.from(rows.map((r) => r.time)),
      rowCount: rows.length,
      columns: [
        { type: DataType.TEXT, values: rows.map((r) => utf8(r.path)), nulls: null },
        { type: DataType.TEXT, values: rows.map((r) => utf8(r.value)), nulls: null },
        { type: DataType.TEXT, values: rows.map((r) => utf8(r.type)), nulls: null },
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
