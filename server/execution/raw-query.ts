import type { ResultBlock } from '../../protocol/result-block.js';
import type { DataType } from '../../tsfile/data-type.js';
import type { SelectStatement } from '../sql/ast.js';
import { alignedByDevice } from './align-by-device.js';
import type { ExecutionContext } from './execution-context.js';
import { computedRows, expressionColumns } from './expression-columns.js';
import { type RawScan, scanRows, selectedColumns } from './raw-scan.js';
import { withFill } from './result-fill.js';
import { paginate, reversed, rowsNeeded, streamResult } from './result-stream.js';
import { blockRowsOf } from './series-resolution.js';
import { clockOf } from './statement-clock.js';
import type { ResultSet } from './statement-outcome.js';
import { timeBounds } from './time-bounds.js';

export function rawQuery(statement: SelectStatement, context: ExecutionContext): ResultSet {
  const clock = clockOf(context);
  const { bounds, exact } = timeBounds(statement.where, clock);
  const desc = statement.orderBy.some((o) => o.key === 'time' && o.direction === 'desc');
  const offset = statement.offset ?? 0;
  const base: Omit<RawScan, 'series' | 'from'> = {
    engine: context.engine,
    where: statement.where,
    clock,
    bounds,
    exact,
    blockRows: blockRowsOf(context),
  };
  let names: string[];
  let types: DataType[];
  let rows: Iterable<ResultBlock>;
  if (statement.items.some((i) => i.kind === 'expression')) {
    const computed = expressionColumns(statement, context.engine);
    names = computed.columns.map((c) => c.name);
    types = computed.columns.map((c) => c.type);
    rows = computedRows(scanRows({ ...base, series: computed.series, from: statement.from }), computed.columns);
  } else {
    const columns = selectedColumns(statement, context.engine);
    if (statement.alignBy === 'device') return alignedByDevice(statement, columns, base, desc, context);
    names = columns.map((c) => c.name);
    types = columns.map((c) => c.series.dataType);
    rows = scanRows({ ...base, series: columns.map((c) => c.series), from: statement.from });
  }
  // FILL reads rows before OFFSET, so a reversed stream keeps them all when filling.
  const keep = statement.fill === null ? rowsNeeded(offset, statement.limit) : Number.POSITIVE_INFINITY;
  const ordered = withFill(
    desc ? reversed(rows, keep) : rows,
    statement.fill,
    context.engine.config.timestampPrecision,
  );
  return streamResult(names, types, false, paginate(ordered, offset, statement.limit));
}
