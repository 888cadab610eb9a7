import { EngineError, StatusCode } from '../../engine/errors.js';
import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import { type ColumnValues, type DataType, valueKind } from '../../tsfile/data-type.js';
import type { CompareOperator, Literal, Operand, Predicate } from '../sql/ast.js';
import { resolveTimeValue } from '../sql/time-literals.js';
import type { TimeResolver } from './time-bounds.js';

/** The rows being built: the predicate reads row `r` of these. */
export interface RowView {
  times: BigInt64Array;
  columns: ColumnValues[];
  nulls: Uint8Array[];
}

export type RowTest = (view: RowView, r: number) => boolean;
type Scalar = bigint | number | boolean | string | null;
type Getter = (view: RowView, r: number) => Scalar;

const decoder = new TextDecoder();

function columnGetter(index: number, type: DataType): Getter {
  switch (valueKind(type)) {
    case 'boolean':
      return (v, r) => (v.nulls[index]![r] === 1 ? null : (v.columns[index] as Uint8Array)[r] === 1);
    case 'binary':
      return (v, r) => (v.nulls[index]![r] === 1 ? null : decoder.decode((v.columns[index] as Uint8Array[])[r]!));
    default:
      return (v, r) => (v.nulls[index]![r] === 1 ? null : (v.columns[index] as Float64Array)[r]!);
  }
}

function literalValue(l: Literal, clock: TimeResolver): Scalar {
  switch (l.kind) {
    case 'integer':
      return l.value;
    case 'float':
      return l.value;
    case 'string':
      return l.value;
    case 'boolean':
      return l.value;
    case 'null':
      return null;
    default:
      return resolveTimeValue(l, clock);
  }
}

function compare(a: Scalar, b: Scalar): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    if (typeof a !== typeof b) return null;
    return a === b ? 0 : 1;
  }
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function holds(op: CompareOperator, c: number | null): boolean {
  if (c === null) return false;
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

/**
 * Compiles a WHERE clause into a test of one row, once per query. A path operand may stand
 * for several series (a wildcard, several FROM prefixes): the condition must hold for each,
 * as IoTDB expands it. `columnOf` gives (and may add) the merged column of a series.
 */
export function compileRowTest(
  predicate: Predicate,
  seriesOf: (operand: Extract<Operand, { kind: 'path' }>) => SeriesSchema[],
  columnOf: (series: SeriesSchema) => number,
  clock: TimeResolver,
): RowTest {
  const getters = (o: Operand): Getter[] => {
    if (o.kind === 'time') return [(v, r) => v.times[r]!];
    if (o.kind === 'path') {
      const series = seriesOf(o);
      if (series.length === 0) return [() => null];
      return series.map((s) => columnGetter(columnOf(s), s.dataType));
    }
    const value = literalValue(o, clock);
    return [() => value];
  };
  const all = (tests: RowTest[]): RowTest => (tests.length === 1 ? tests[0]! : (v, r) => tests.every((t) => t(v, r)));
  const build = (p: Predicate): RowTest => {
    switch (p.kind) {
      case 'and': {
        const l = build(p.left);
        const rt = build(p.right);
        return (v, r) => l(v, r) && rt(v, r);
      }
      case 'or': {
        const l = build(p.left);
        const rt = build(p.right);
        return (v, r) => l(v, r) || rt(v, r);
      }
      case 'not': {
        const inner = build(p.operand);
        return (v, r) => !inner(v, r);
      }
      case 'compare': {
        const ls = getters(p.left);
        const rs = getters(p.right);
        return all(
          ls.flatMap((l) =>
            rs.map(
              (g): RowTest =>
                (v, r) =>
                  holds(p.op, compare(l(v, r), g(v, r))),
            ),
          ),
        );
      }
      case 'between': {
        const xs = getters(p.operand);
        const [low] = getters(p.low);
        const [high] = getters(p.high);
        return all(
          xs.map(
            (x): RowTest =>
              (v, r) => {
                const value = x(v, r);
                const lo = compare(value, low!(v, r));
                const hi = compare(value, high!(v, r));
                if (lo === null || hi === null) return false;
                return (lo >= 0 && hi <= 0) !== p.negated;
              },
          ),
        );
      }
      case 'in': {
        const xs = getters(p.operand);
        const values = p.values.map((l) => literalValue(l, clock));
        return all(
          xs.map(
            (x): RowTest =>
              (v, r) => {
                const value = x(v, r);
                if (value === null) return false;
                return values.some((w) => compare(value, w) === 0) !== p.negated;
              },
          ),
        );
      }
      case 'is-null': {
        const xs = getters(p.operand);
        return all(
          xs.map(
            (x): RowTest =>
              (v, r) =>
                (x(v, r) === null) !== p.negated,
          ),
        );
      }
    }
  };
  try {
    return build(predicate);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError(StatusCode.SEMANTIC_ERROR, (error as Error).message);
  }
}
