import { EngineError, StatusCode } from '../../engine/errors.js';
import { parsePath } from '../../engine/path/path.js';
import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { allocateColumn, DataType } from '../../tsfile/data-type.js';
import type { SelectSeries, SelectStatement } from '../sql/ast.js';
import { pathOf } from '../sql/path-syntax.js';
import type { ExecutionContext } from './execution-context.js';
import { paginate, reversed, streamResult } from './result-stream.js';
import { type MergeInput, mergeRows } from './row-merge.js';
import { compileRowTest } from './row-predicate.js';
import { resolveSeries, seriesKey, seriesPath } from './series-resolution.js';
import { clockOf } from './statement-clock.js';
import type { ResultSet } from './statement-outcome.js';
import { type TimeBounds, timeBounds } from './time-bounds.js';
import { utf8 } from './value-conversion.js';

interface Column {
  readonly name: string;
  readonly series: SeriesSchema;
}

/** The selected columns in order: each item expanded, SOFFSET/SLIMIT applied. */
function selectedColumns(statement: SelectStatement, context: ExecutionContext): Column[] {
  const columns: Column[] = [];
  for (const item of statement.items as readonly SelectSeries[]) {
    const series = resolveSeries(context.engine, item.path, item.absolute, statement.from);
    for (const s of series)
      columns.push({ name: item.alias !== null && series.length === 1 ? item.alias : seriesPath(s), series: s });
  }
  const from = statement.soffset ?? 0;
  return columns.slice(from, statement.slimit === null ? undefined : from + statement.slimit);
}

/** Merged rows of some series, with the WHERE clause applied to each row. */
function mergedBlocks(
  statement: SelectStatement,
  context: ExecutionContext,
  columns: readonly Column[],
  bounds: TimeBounds,
  exact: boolean,
): Generator<ResultBlock> {
  const merged: SeriesSchema[] = [];
  const index = new Map<string, number>();
  const columnOf = (s: SeriesSchema): number => {
    const key = seriesKey(s);
    let j = index.get(key);
    if (j === undefined) {
      j = merged.length;
      merged.push(s);
      index.set(key, j);
    }
    return j;
  };
  const output = columns.map((c) => columnOf(c.series));
  const visible = merged.length;
  const test =
    exact || statement.where === null
      ? null
      : compileRowTest(
          statement.where,
          (o) => resolveSeries(context.engine, o.path, o.absolute, statement.from),
          columnOf,
          clockOf(context),
        );
  const inputs: MergeInput[] = merged.map((s) => ({
    type: s.dataType,
    blocks: context.engine.readSeries(s.device, s.measurement, bounds),
  }));
  return mergeRows(inputs, { blockRows: context.fetchSize, output, test, visible });
}

/** SELECT of raw series, aligned by time or by device. */
export function rawQuery(statement: SelectStatement, context: ExecutionContext): ResultSet {
  const { bounds, exact } = timeBounds(statement.where, clockOf(context));
  const desc = statement.orderBy.some((o) => o.key === 'time' && o.direction === 'desc');
  const columns = selectedColumns(statement, context);
  const offset = statement.offset ?? 0;
  if (statement.alignBy === 'device') return alignedByDevice(statement, context, columns, bounds, exact, desc, offset);
  const rows = (): Generator<ResultBlock> => {
    if (columns.length === 0 || bounds.start > bounds.end) return (function* () {})();
    const blocks = mergedBlocks(statement, context, columns, bounds, exact);
    return desc ? reversed(blocks, context.fetchSize) : blocks;
  };
  return streamResult(
    columns.map((c) => c.name),
    columns.map((c) => c.series.dataType),
    false,
    paginate(rows(), offset, statement.limit),
  );
}

function alignedByDevice(
  statement: SelectStatement,
  context: ExecutionContext,
  columns: readonly Column[],
  bounds: TimeBounds,
  exact: boolean,
  desc: boolean,
  offset: number,
): ResultSet {
  const measurements: string[] = [];
  const types = new Map<string, DataType>();
  const devices = new Map<string, Column[]>();
  for (const c of columns) {
    const name = c.series.measurement;
    const known = types.get(name);
    if (known === undefined) {
      measurements.push(name);
      types.set(name, c.series.dataType);
    } else if (known !== c.series.dataType) {
      throw new EngineError(
        StatusCode.SEMANTIC_ERROR,
        `the data types of the same measurement column should be the same across devices: ${name}`,
      );
    }
    const list = devices.get(c.series.device) ?? [];
    if (!list.some((x) => x.series.measurement === name)) list.push(c);
    devices.set(c.series.device, list);
  }
  const deviceOrder = [...devices.keys()].sort();
  function* rows(): Generator<ResultBlock> {
    if (bounds.start > bounds.end) return;
    for (const device of deviceOrder) {
      const own = devices.get(device)!;
      // WHERE names measurements of the device itself, as IoTDB reads it when aligning by device.
      const deviceStatement = { ...statement, from: [pathOf(parsePath(device))] };
      const blocks = mergedBlocks(deviceStatement, context, own, bounds, exact);
      const ordered = desc ? reversed(blocks, context.fetchSize) : blocks;
      const label = utf8(device);
      for (const block of ordered) {
        const byName = new Map(own.map((c, j) => [c.series.measurement, block.columns[j]!]));
        yield {
          times: block.times,
          rowCount: block.rowCount,
          columns: [
            { type: DataType.TEXT, values: new Array<Uint8Array>(block.rowCount).fill(label), nulls: null },
            ...measurements.map(
              (m) =>
                byName.get(m) ?? {
                  type: types.get(m)!,
                  values: allocateColumn(types.get(m)!, block.rowCount),
                  nulls: new Uint8Array(block.rowCount).fill(1),
                },
            ),
          ],
        };
      }
    }
  }
  return streamResult(
    ['Device', ...measurements],
    [DataType.TEXT, ...measurements.map((m) => types.get(m)!)],
    false,
    paginate(rows(), offset, statement.limit),
  );
}
