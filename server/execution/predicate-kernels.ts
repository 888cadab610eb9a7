import type { CompareOperator } from '../sql/ast.js';

/**
 * Comparison loops of WHERE over whole columns. A result is one byte per row in SQL's
 * three-valued logic: FALSE, TRUE, or UNKNOWN where a null took part; a row is kept only
 * when its predicate is TRUE (as IoTDB's filter keeps a row whose condition is non-null
 * and true).
 */
export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;

/** An operator as a table from an ordering (0 less, 1 equal, 2 greater, 3 unordered: NaN) to a truth value. */
export type OrderTable = Uint8Array;

const TABLES: Record<CompareOperator, readonly number[]> = {
  '=': [0, 1, 0, 0],
  '!=': [1, 0, 1, 1],
  '<': [1, 0, 0, 0],
  '<=': [1, 1, 0, 0],
  '>': [0, 0, 1, 0],
  '>=': [0, 1, 1, 0],
};

export function orderTable(op: CompareOperator): OrderTable {
  return Uint8Array.from(TABLES[op]);
}

/** `a op b` read as `b op' a`. */
export function flipOperator(op: CompareOperator): CompareOperator {
  switch (op) {
    case '<':
      return '>';
    case '<=':
      return '>=';
    case '>':
      return '<';
    case '>=':
      return '<=';
    default:
      return op;
  }
}

type Numbers = Float64Array | Float32Array | Int32Array | Uint8Array;

/** values[i] op x. */
export function compareNumbers(
  values: Numbers,
  nulls: Uint8Array | null,
  n: number,
  x: number,
  table: OrderTable,
  out: Uint8Array,
): void {
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    out[i] = v < x ? table[0]! : v > x ? table[2]! : v === x ? table[1]! : table[3]!;
  }
  if (nulls !== null) for (let i = 0; i < n; i++) if (nulls[i] === 1) out[i] = UNKNOWN;
}

/** Exact 64-bit values[i] op (hi, lo), the values as 32-bit halves (INT64 columns, time). */
export function compareInt64(
  words: Int32Array,
  nulls: Uint8Array | null,
  n: number,
  hi: number,
  lo: number,
  table: OrderTable,
  out: Uint8Array,
): void {
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1]!;
    const l = words[2 * i]! >>> 0;
    out[i] = h < hi || (h === hi && l < lo) ? table[0]! : h === hi && l === lo ? table[1]! : table[2]!;
  }
  if (nulls !== null) for (let i = 0; i < n; i++) if (nulls[i] === 1) out[i] = UNKNOWN;
}

/** a[i] op b[i], both read as numbers. */
export function compareNumberColumns(
  a: Float64Array,
  aNulls: Uint8Array | null,
  b: Float64Array,
  bNulls: Uint8Array | null,
  n: number,
  table: OrderTable,
  out: Uint8Array,
): void {
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const w = b[i]!;
    out[i] = v < w ? table[0]! : v > w ? table[2]! : v === w ? table[1]! : table[3]!;
  }
  if (aNulls !== null) for (let i = 0; i < n; i++) if (aNulls[i] === 1) out[i] = UNKNOWN;
  if (bNulls !== null) for (let i = 0; i < n; i++) if (bNulls[i] === 1) out[i] = UNKNOWN;
}

/** Byte-wise order of two byte strings (UTF-8 order is code point order). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/** values[i] op x for text. */
export function compareText(
  values: readonly Uint8Array[],
  nulls: Uint8Array | null,
  n: number,
  x: Uint8Array,
  table: OrderTable,
  out: Uint8Array,
): void {
  for (let i = 0; i < n; i++) {
    const c = compareBytes(values[i]!, x);
    out[i] = c < 0 ? table[0]! : c > 0 ? table[2]! : table[1]!;
  }
  if (nulls !== null) for (let i = 0; i < n; i++) if (nulls[i] === 1) out[i] = UNKNOWN;
}

/** a[i] op b[i] for text. */
export function compareTextColumns(
  a: readonly Uint8Array[],
  aNulls: Uint8Array | null,
  b: readonly Uint8Array[],
  bNulls: Uint8Array | null,
  n: number,
  table: OrderTable,
  out: Uint8Array,
): void {
  for (let i = 0; i < n; i++) {
    const c = compareBytes(a[i]!, b[i]!);
    out[i] = c < 0 ? table[0]! : c > 0 ? table[2]! : table[1]!;
  }
  if (aNulls !== null) for (let i = 0; i < n; i++) if (aNulls[i] === 1) out[i] = UNKNOWN;
  if (bNulls !== null) for (let i = 0; i < n; i++) if (bNulls[i] === 1) out[i] = UNKNOWN;
}

// Three-valued connectives, indexed [a * 3 + b].
const AND = Uint8Array.of(0, 0, 0, 0, 1, 2, 0, 2, 2);
const OR = Uint8Array.of(0, 1, 2, 1, 1, 1, 2, 1, 2);
const NOT = Uint8Array.of(1, 0, 2);

/** a := a AND b. */
export function andInto(a: Uint8Array, b: Uint8Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = AND[a[i]! * 3 + b[i]!]!;
}

/** a := a OR b. */
export function orInto(a: Uint8Array, b: Uint8Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = OR[a[i]! * 3 + b[i]!]!;
}

/** a := NOT a. */
export function notInPlace(a: Uint8Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = NOT[a[i]!]!;
}
