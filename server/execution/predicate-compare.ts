import { EngineError, StatusCode } from '../../engine/errors.js';
import { PayloadError } from '../../protocol/payload-error.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { parseStringValue } from '../../protocol/string-record-values.js';
import { DataType, dataTypeName, valueKind } from '../../tsfile/data-type.js';
import { int64Words, TWO_POW_32 } from '../../tsfile/io/int64.js';
import type { CompareOperator, Literal } from '../sql/ast.js';
import { resolveTimeValue } from '../sql/time-literals.js';
import { timeHalves } from './column-kernels.js';
import {
  compareInt64,
  compareNumberColumns,
  compareNumbers,
  compareText,
  compareTextColumns,
  flipOperator,
  orderTable,
  UNKNOWN,
} from './predicate-kernels.js';
import type { TimeResolver } from './time-bounds.js';

/**
 * One comparison of WHERE, its operands bound: the time, one merged column, or a value.
 * Each is compiled once into a function of whole blocks that picks the kernel for the
 * operands' types and converts a literal once.
 */

/** A merged column a path operand stands for. */
export interface ColumnRef {
  readonly index: number;
  readonly type: DataType;
}

/** Truth values of a condition over a block's rows (see predicate-kernels). */
export type Eval = (block: ResultBlock) => Uint8Array;

export type Scalar = bigint | number | string | boolean | Uint8Array | null;

/** How a value compares: exact 64-bit integers, other numbers, booleans, text. */
type Family = 'int64' | 'number' | 'boolean' | 'text';

export type Term =
  | { readonly kind: 'time' }
  | { readonly kind: 'column'; readonly ref: ColumnRef; readonly family: Family; readonly text: string }
  | { readonly kind: 'value'; readonly value: Scalar };

const encoder = new TextEncoder();

export function family(type: DataType): Family {
  switch (valueKind(type)) {
    case 'int64':
      return 'int64';
    case 'boolean':
      return 'boolean';
    case 'binary':
      return 'text';
    default:
      return 'number';
  }
}

export function literalValue(l: Literal, clock: TimeResolver): Scalar {
  switch (l.kind) {
    case 'integer':
    case 'float':
    case 'string':
    case 'boolean':
    case 'binary':
      return l.value;
    case 'null':
      return null;
    default:
      return resolveTimeValue(l, clock);
  }
}

function incompatible(op: string, left: string, right: string): EngineError {
  return new EngineError(
    StatusCode.SEMANTIC_ERROR,
    `The data types of the operands of '${op}' are not compatible: ${left} and ${right}`,
  );
}

function describe(t: Term): string {
  if (t.kind === 'time') return 'time (INT64)';
  if (t.kind === 'column') return `${t.text} (${dataTypeName(t.ref.type)})`;
  return scalarText(t.value);
}

/** A value as a statement would write it. */
function scalarText(value: Scalar): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString('hex')}'`;
  return String(value);
}

/** A column (or the time) of the block as doubles: how columns compare with each other. */
function asDoubles(t: Term, block: ResultBlock): { values: Float64Array; nulls: Uint8Array | null } {
  const n = block.rowCount;
  if (t.kind === 'time' || (t.kind === 'column' && t.family === 'int64')) {
    const words =
      t.kind === 'time' ? int64Words(block.times) : int64Words(block.columns[t.ref.index]!.values as BigInt64Array);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = words[2 * i + 1]! * TWO_POW_32 + (words[2 * i]! >>> 0);
    return { values: out, nulls: t.kind === 'time' ? null : block.columns[t.ref.index]!.nulls };
  }
  const c = block.columns[(t as Extract<Term, { kind: 'column' }>).ref.index]!;
  const values = c.values;
  if (values instanceof Float64Array) return { values, nulls: c.nulls };
  const out = new Float64Array(n);
  out.set((values as Float32Array).subarray(0, n));
  return { values: out, nulls: c.nulls };
}

/** `vector op value`: one kernel per family, the literal converted once. */
function compareWithValue(v: Exclude<Term, { kind: 'value' }>, op: CompareOperator, value: Scalar): Eval {
  const table = orderTable(op);
  if (value === null) return (b) => new Uint8Array(b.rowCount).fill(UNKNOWN);
  const fam: Family = v.kind === 'time' ? 'int64' : v.family;
  const type = v.kind === 'time' ? DataType.INT64 : v.ref.type;
  const index = v.kind === 'column' ? v.ref.index : -1;
  if ((fam === 'int64' || fam === 'number') && typeof value === 'string' && type === DataType.DATE) {
    try {
      value = parseStringValue(value, DataType.DATE) as number;
    } catch (error) {
      if (error instanceof PayloadError) throw incompatible(op, describe(v), `'${value}'`);
      throw error;
    }
  }
  if (fam === 'int64' && typeof value === 'bigint') {
    const { hi, lo } = timeHalves(value);
    return (b) => {
      const out = new Uint8Array(b.rowCount);
      if (index < 0) compareInt64(int64Words(b.times), null, b.rowCount, hi, lo, table, out);
      else {
        const c = b.columns[index]!;
        compareInt64(int64Words(c.values as BigInt64Array), c.nulls, b.rowCount, hi, lo, table, out);
      }
      return out;
    };
  }
  if ((fam === 'int64' || fam === 'number') && (typeof value === 'number' || typeof value === 'bigint')) {
    const x = Number(value);
    return (b) => {
      const out = new Uint8Array(b.rowCount);
      if (fam === 'int64') {
        const d = asDoubles(v, b);
        compareNumbers(d.values, d.nulls, b.rowCount, x, table, out);
      } else {
        const c = b.columns[index]!;
        compareNumbers(c.values as Float64Array, c.nulls, b.rowCount, x, table, out);
      }
      return out;
    };
  }
  if (fam === 'boolean' && typeof value === 'boolean') {
    const x = value ? 1 : 0;
    return (b) => {
      const out = new Uint8Array(b.rowCount);
      const c = b.columns[index]!;
      compareNumbers(c.values as Uint8Array, c.nulls, b.rowCount, x, table, out);
      return out;
    };
  }
  if (fam === 'text' && (typeof value === 'string' || (value instanceof Uint8Array && type === DataType.BLOB))) {
    const x = typeof value === 'string' ? encoder.encode(value) : value;
    return (b) => {
      const out = new Uint8Array(b.rowCount);
      const c = b.columns[index]!;
      compareText(c.values as Uint8Array[], c.nulls, b.rowCount, x, table, out);
      return out;
    };
  }
  throw incompatible(op, describe(v), scalarText(value));
}

export function compareTerms(left: Term, op: CompareOperator, right: Term): Eval {
  if (left.kind === 'value' && right.kind === 'value') {
    const c = compareScalars(left.value, right.value);
    const result = c === null ? UNKNOWN : orderTable(op)[c]!;
    return (b) => new Uint8Array(b.rowCount).fill(result);
  }
  if (right.kind === 'value') return compareWithValue(left as Exclude<Term, { kind: 'value' }>, op, right.value);
  if (left.kind === 'value') return compareWithValue(right, flipOperator(op), left.value);
  const lf: Family = left.kind === 'time' ? 'int64' : left.family;
  const rf: Family = right.kind === 'time' ? 'int64' : right.family;
  const table = orderTable(op);
  const numeric = (f: Family) => f === 'int64' || f === 'number';
  if ((numeric(lf) && numeric(rf)) || (lf === 'boolean' && rf === 'boolean')) {
    return (b) => {
      const out = new Uint8Array(b.rowCount);
      const l = lf === 'boolean' ? booleanDoubles(left, b) : asDoubles(left, b);
      const r = rf === 'boolean' ? booleanDoubles(right, b) : asDoubles(right, b);
      compareNumberColumns(l.values, l.nulls, r.values, r.nulls, b.rowCount, table, out);
      return out;
    };
  }
  if (lf === 'text' && rf === 'text') {
    const li = (left as Extract<Term, { kind: 'column' }>).ref.index;
    const ri = (right as Extract<Term, { kind: 'column' }>).ref.index;
    return (b) => {
      const out = new Uint8Array(b.rowCount);
      const l = b.columns[li]!;
      const r = b.columns[ri]!;
      compareTextColumns(l.values as Uint8Array[], l.nulls, r.values as Uint8Array[], r.nulls, b.rowCount, table, out);
      return out;
    };
  }
  throw incompatible(op, describe(left), describe(right));
}

function booleanDoubles(t: Term, block: ResultBlock): { values: Float64Array; nulls: Uint8Array | null } {
  const c = block.columns[(t as Extract<Term, { kind: 'column' }>).ref.index]!;
  const out = new Float64Array(block.rowCount);
  out.set((c.values as Uint8Array).subarray(0, block.rowCount));
  return { values: out, nulls: c.nulls };
}

/** Order of two literals (0 less, 1 equal, 2 greater, 3 unordered) or null when one is null. */
function compareScalars(a: Scalar, b: Scalar): number | null {
  if (a === null || b === null) return null;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array)) return null;
    const c = Buffer.compare(a, b);
    return c < 0 ? 0 : c > 0 ? 2 : 1;
  }
  if (typeof a === 'string' || typeof b === 'string' || typeof a === 'boolean' || typeof b === 'boolean') {
    const x = String(a);
    const y = String(b);
    return x < y ? 0 : x > y ? 2 : 1;
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? 0 : a > b ? 2 : 1;
  const x = Number(a);
  const y = Number(b);
  return x < y ? 0 : x > y ? 2 : x === y ? 1 : 3;
}
