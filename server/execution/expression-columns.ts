import { EngineError, StatusCode } from '../../engine/errors.js';
import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import type { PathOperand, SelectStatement } from '../sql/ast.js';
import { expressionPaths } from '../sql/expression-paths.js';
import { gatherBlock } from './block-ops.js';
import { type CompiledExpression, compileExpression, expandPaths } from './expression-eval.js';
import { checkAlias, pageColumns, resolveSeries, seriesPath } from './series-resolution.js';
import { SeriesSet } from './series-set.js';

/** The output of a SELECT with expressions: its columns, computed from the series it reads. */
export interface ExpressionColumns {
  readonly columns: readonly CompiledExpression[];
  /** The series to scan, in the order the columns index them. */
  readonly series: readonly SeriesSchema[];
}

/**
 * Expands the select list: a series item gives a column per series, an expression one per
 * combination of the series its paths match, each named as IoTDB names it (or its alias).
 */
export function expressionColumns(statement: SelectStatement, engine: StorageEngine): ExpressionColumns {
  if (statement.alignBy === 'device') {
    throw new EngineError(StatusCode.UNSUPPORTED_OPERATION, 'expressions with ALIGN BY DEVICE are not supported');
  }
  const set = new SeriesSet();
  const resolve = (p: PathOperand) => resolveSeries(engine, p.path, p.absolute, statement.from);
  const columns: CompiledExpression[] = [];
  for (const item of statement.items) {
    if (item.kind === 'aggregation') {
      throw new EngineError(StatusCode.SEMANTIC_ERROR, 'Raw data and aggregation hybrid query is not supported.');
    }
    if (item.kind === 'series') {
      const series = resolveSeries(engine, item.path, item.absolute, statement.from);
      checkAlias(item.alias, series.length);
      for (const s of series) {
        const index = set.add(s);
        columns.push({ name: item.alias ?? seriesPath(s), type: s.dataType, evaluate: (b) => b.columns[index]! });
      }
      continue;
    }
    const bindings = expandPaths(expressionPaths(item.expression), resolve);
    checkAlias(item.alias, bindings.length);
    for (const binding of bindings) {
      const c = compileExpression(item.expression, (p) => {
        const s = binding.get(p)!;
        return { index: set.add(s), type: s.dataType, name: seriesPath(s) };
      });
      columns.push(item.alias === null ? c : { ...c, name: item.alias });
    }
  }
  return { columns: pageColumns(columns, statement.soffset, statement.slimit), series: set.series };
}

/**
 * The output rows from the scanned ones: each column computed, and a row kept only when
 * one of its cells is not null (a row where `s1 + s2` has no value is not in the result).
 */
export function* computedRows(
  blocks: Iterable<ResultBlock>,
  columns: readonly CompiledExpression[],
): Generator<ResultBlock> {
  for (const block of blocks) {
    const out: ResultBlock = { ...block, columns: columns.map((c) => c.evaluate(block)) };
    const rows = new Int32Array(block.rowCount);
    let count = 0;
    for (let i = 0; i < block.rowCount; i++) {
      if (out.columns.some((c) => c.nulls === null || c.nulls[i] === 0)) rows[count++] = i;
    }
    if (count === block.rowCount) yield out;
    else if (count > 0) yield gatherBlock(out, rows, count);
  }
}
