import { EngineError, StatusCode } from '../../engine/errors.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import type { CompareOperator, ExpressionOperand, Operand, PathOperand, Predicate } from '../sql/ast.js';
import { type ColumnRef, compareTerms, type Eval, family, literalValue, type Term } from './predicate-compare.js';
import { andInto, notInPlace, orInto, TRUE } from './predicate-kernels.js';
import type { TimeResolver } from './time-bounds.js';

export type { ColumnRef } from './predicate-compare.js';

/** WHERE over a block: one byte per row, TRUE where the row is kept (see predicate-kernels). */
export type RowFilter = (block: ResultBlock) => Uint8Array;

/** Every one of the evals must hold. */
function all(evals: readonly Eval[]): Eval {
  if (evals.length === 1) return evals[0]!;
  return (b) => {
    const out = evals[0]!(b);
    for (let k = 1; k < evals.length; k++) andInto(out, evals[k]!(b), b.rowCount);
    return out;
  };
}

/** A WHERE clause with each operand bound to one term (one series, the time, or a value). */
type Bound =
  | { readonly kind: 'and' | 'or'; readonly left: Bound; readonly right: Bound }
  | { readonly kind: 'not'; readonly operand: Bound }
  | { readonly kind: 'compare'; readonly op: CompareOperator; readonly left: Term; readonly right: Term }
  | {
      readonly kind: 'between';
      readonly operand: Term;
      readonly low: Term;
      readonly high: Term;
      readonly negated: boolean;
    }
  | { readonly kind: 'in'; readonly operand: Term; readonly values: readonly Term[]; readonly negated: boolean }
  | { readonly kind: 'is-null'; readonly operand: Term; readonly negated: boolean };

/** More bindings than this is a query nobody means; IoTDB would plan them all. */
const MAX_BINDINGS = 4096;

function product<A, B, C>(as: readonly A[], bs: readonly B[], f: (a: A, b: B) => C): C[] {
  if (as.length * bs.length > MAX_BINDINGS) {
    throw new EngineError(
      StatusCode.SEMANTIC_ERROR,
      `the WHERE clause expands to more than ${MAX_BINDINGS} conditions`,
    );
  }
  return as.flatMap((a) => bs.map((b) => f(a, b)));
}

function compileBound(p: Bound): Eval {
  switch (p.kind) {
    case 'and':
    case 'or': {
      const l = compileBound(p.left);
      const r = compileBound(p.right);
      const join = p.kind === 'and' ? andInto : orInto;
      return (b) => {
        const out = l(b);
        join(out, r(b), b.rowCount);
        return out;
      };
    }
    case 'not':
      return negate(compileBound(p.operand));
    case 'compare':
      return compareTerms(p.left, p.op, p.right);
    case 'between': {
      const low = compareTerms(p.operand, '>=', p.low);
      const high = compareTerms(p.operand, '<=', p.high);
      const both = all([low, high]);
      return p.negated ? negate(both) : both;
    }
    case 'in': {
      const options = p.values.map((v) => compareTerms(p.operand, '=', v));
      const any: Eval = (b) => {
        const out = options.length === 0 ? new Uint8Array(b.rowCount) : options[0]!(b);
        for (let k = 1; k < options.length; k++) orInto(out, options[k]!(b), b.rowCount);
        return out;
      };
      return p.negated ? negate(any) : any;
    }
    case 'is-null': {
      const t = p.operand;
      const isNull: Eval = (b) => {
        const out = new Uint8Array(b.rowCount);
        if (t.kind === 'value') out.fill(t.value === null ? TRUE : 0);
        else if (t.kind === 'column') {
          const nulls = b.columns[t.ref.index]!.nulls;
          if (nulls !== null) out.set(nulls.subarray(0, b.rowCount));
        }
        return out;
      };
      return p.negated ? negate(isNull) : isNull;
    }
  }
}

function negate(inner: Eval): Eval {
  return (b) => {
    const out = inner(b);
    notInPlace(out, b.rowCount);
    return out;
  };
}

/**
 * Compiles a WHERE clause, once per query, into a filter of whole blocks. A path operand
 * may stand for several series (a wildcard, several FROM prefixes): as IoTDB does, the
 * clause is expanded into one clause per combination of the series its operands stand
 * for, and the expansions are joined by AND. An operand that matches no series is null,
 * so no row satisfies a condition on it.
 */
export function compileFilter(
  predicate: Predicate,
  columnsOf: (operand: PathOperand) => ColumnRef[],
  clock: TimeResolver,
  expressionsOf: (operand: ExpressionOperand) => ColumnRef[],
): RowFilter {
  const terms = (o: Operand): Term[] => {
    if (o.kind === 'time') return [{ kind: 'time' }];
    if (o.kind === 'expression') {
      const refs = expressionsOf(o);
      if (refs.length === 0) return [{ kind: 'value', value: null }];
      return refs.map((ref) => ({ kind: 'column', ref, family: family(ref.type), text: 'expression' }));
    }
    if (o.kind === 'path') {
      const refs = columnsOf(o);
      if (refs.length === 0) return [{ kind: 'value', value: null }];
      return refs.map((ref) => ({ kind: 'column', ref, family: family(ref.type), text: o.path.text }));
    }
    return [{ kind: 'value', value: literalValue(o, clock) }];
  };
  const expand = (p: Predicate): Bound[] => {
    switch (p.kind) {
      case 'and':
      case 'or':
        return product(expand(p.left), expand(p.right), (left, right) => ({ kind: p.kind, left, right }));
      case 'not':
        return expand(p.operand).map((operand) => ({ kind: 'not', operand }));
      case 'compare':
        return product(terms(p.left), terms(p.right), (left, right) => ({ kind: 'compare', op: p.op, left, right }));
      case 'between': {
        const ranges = product(terms(p.low), terms(p.high), (low, high) => ({ low, high }));
        return product(terms(p.operand), ranges, (operand, r) => ({
          kind: 'between',
          operand,
          ...r,
          negated: p.negated,
        }));
      }
      case 'in': {
        const values = p.values.filter((v) => v.kind !== 'null').map((v) => terms(v as Operand)[0]!);
        return terms(p.operand).map((operand) => ({ kind: 'in', operand, values, negated: p.negated }));
      }
      case 'is-null':
        return terms(p.operand).map((operand) => ({ kind: 'is-null', operand, negated: p.negated }));
    }
  };
  return all(expand(predicate).map(compileBound));
}
