import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import type { ExpressionOperand, Operand, PathOperand, Predicate, SqlPath } from '../sql/ast.js';
import { expressionPaths } from '../sql/expression-paths.js';
import { type CompiledExpression, compileExpression, expandPaths } from './expression-eval.js';
import type { ColumnRef, RowFilter } from './predicate.js';
import { compileFilter } from './predicate.js';
import { resolveSeries, seriesKey, seriesPath } from './series-resolution.js';
import type { TimeBounds, TimeResolver } from './time-bounds.js';
import type { MergeInput } from './time-merge.js';

/**
 * The distinct series a query reads, in first-use order: a series selected twice, or
 * selected and filtered on, is read once and joined once.
 */
export class SeriesSet {
  readonly series: SeriesSchema[] = [];
  private readonly index = new Map<string, number>();

  /** The merged column of a series, added if new. */
  add(s: SeriesSchema): number {
    const key = seriesKey(s);
    let j = this.index.get(key);
    if (j === undefined) {
      j = this.series.length;
      this.series.push(s);
      this.index.set(key, j);
    }
    return j;
  }

  /**
   * Compiles WHERE against this set: series it names are added (read and joined with the
   * selected ones, then dropped from the output). Relative paths resolve under `from`.
   */
  filter(engine: StorageEngine, where: Predicate, from: readonly SqlPath[], clock: TimeResolver): RowFilter {
    const resolve = (o: PathOperand) => resolveSeries(engine, o.path, o.absolute, from);
    // Every series WHERE names joins first, so the columns of expressions computed per
    // block can follow the merged ones at known places.
    for (const o of predicatePaths(where)) for (const s of resolve(o)) this.add(s);
    const base = this.series.length;
    const computed: CompiledExpression[] = [];
    const columnsOf = (o: PathOperand): ColumnRef[] =>
      resolve(o).map((s) => ({ index: this.add(s), type: s.dataType }));
    const expressionsOf = (o: ExpressionOperand): ColumnRef[] =>
      expandPaths(expressionPaths(o.expression), resolve).map((binding) => {
        const c = compileExpression(o.expression, (p) => {
          const s = binding.get(p)!;
          return { index: this.add(s), type: s.dataType, name: seriesPath(s) };
        });
        computed.push(c);
        return { index: base + computed.length - 1, type: c.type };
      });
    const filter = compileFilter(where, columnsOf, clock, expressionsOf);
    if (computed.length === 0) return filter;
    return (block) => filter({ ...block, columns: [...block.columns, ...computed.map((c) => c.evaluate(block))] });
  }

  /** One block stream per series over a time range. */
  inputs(engine: StorageEngine, bounds: TimeBounds): MergeInput[] {
    return this.series.map((s) => ({
      type: s.dataType,
      blocks: engine.readSeries(s.device, s.measurement, bounds),
    }));
  }
}

/** The series operands of a WHERE clause, those inside expressions included. */
function predicatePaths(p: Predicate): PathOperand[] {
  const of = (o: Operand): PathOperand[] =>
    o.kind === 'path' ? [o] : o.kind === 'expression' ? expressionPaths(o.expression) : [];
  switch (p.kind) {
    case 'and':
    case 'or':
      return [...predicatePaths(p.left), ...predicatePaths(p.right)];
    case 'not':
      return predicatePaths(p.operand);
    case 'compare':
      return [...of(p.left), ...of(p.right)];
    case 'between':
      return [...of(p.operand), ...of(p.low), ...of(p.high)];
    case 'in':
    case 'is-null':
      return of(p.operand);
  }
}
