import type { ResultBlock, ResultColumn } from '../../protocol/result-block.js';
import { DataType, valueKind } from '../../tsfile/data-type.js';
import type { FillClause } from '../sql/ast.js';
import { durationInPrecision, type TimestampPrecision } from '../sql/time-literals.js';
import { utf8 } from './value-conversion.js';

/**
 * FILL over a result's rows in output order (before OFFSET and LIMIT, as IoTDB plans it),
 * column by column, IoTDB 1.3's rules:
 * - PREVIOUS: a null takes the column's last non-null value; with an interval, only when
 *   that value is at most the interval away in time. Every type.
 * - LINEAR: a null between two non-null values takes the value on the straight line
 *   between them at its time; nulls before the first or after the last stay. INT32,
 *   INT64, FLOAT and DOUBLE only (integers truncated toward zero, as Java casts).
 * - constant: a null takes the constant where the constant's type fits the column's (the
 *   table in IoTDB's FILL documentation); other columns are left as they are.
 */
export function* filledRows(
  blocks: Iterable<ResultBlock>,
  fill: FillClause,
  precision: TimestampPrecision,
): Generator<ResultBlock> {
  if (fill.kind === 'linear') {
    yield* linearFilled(blocks);
    return;
  }
  if (fill.kind === 'constant') {
    for (const block of blocks) yield mapNullColumns(block, (c, j) => constantFilled(c, fill.value, j));
    return;
  }
  const interval =
    fill.interval === null
      ? null
      : 'kind' in fill.interval
        ? fill.interval.value
        : durationInPrecision(fill.interval, precision);
  const last: ({ time: bigint; value: unknown } | null)[] = [];
  for (const block of blocks) {
    yield mapColumns(block, (c, j) => {
      let held = last[j] ?? null;
      let out: ResultColumn = c;
      for (let i = 0; i < block.rowCount; i++) {
        const t = block.times[i]!;
        if (c.nulls === null || c.nulls[i] === 0) {
          held = { time: t, value: c.values[i] };
          continue;
        }
        if (held === null) continue;
        const gap = t >= held.time ? t - held.time : held.time - t;
        if (interval !== null && gap > interval) continue;
        if (out === c) out = copied(c);
        (out.values as unknown[])[i] = held.value;
        out.nulls![i] = 0;
      }
      last[j] = held;
      return out;
    });
  }
}

/** The block with some columns replaced; columns without nulls are passed as they are. */
function mapColumns(block: ResultBlock, fn: (c: ResultColumn, j: number) => ResultColumn): ResultBlock {
  return { ...block, columns: block.columns.map((c, j) => fn(c, j)) };
}

function mapNullColumns(block: ResultBlock, fn: (c: ResultColumn, j: number) => ResultColumn): ResultBlock {
  return mapColumns(block, (c, j) => (c.nulls === null ? c : fn(c, j)));
}

/** A column the fill may write into: values and null marks copied. */
function copied(c: ResultColumn): ResultColumn {
  const values = Array.isArray(c.values) ? [...c.values] : (c.values as Uint8Array).slice();
  return { type: c.type, values: values as ResultColumn['values'], nulls: c.nulls!.slice() };
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The constant as a value of a column of `type`, or undefined where IoTDB does not fill. */
function constantFor(type: DataType, constant: Extract<FillClause, { kind: 'constant' }>['value']): unknown {
  const asText = () =>
    utf8(
      constant.kind === 'string'
        ? constant.value
        : constant.kind === 'boolean'
          ? String(constant.value)
          : constant.text,
    );
  switch (type) {
    case DataType.TEXT:
    case DataType.STRING:
      return asText();
    case DataType.BOOLEAN:
      return constant.kind === 'boolean' ? (constant.value ? 1 : 0) : undefined;
    case DataType.INT32:
      if (constant.kind !== 'integer') return undefined;
      return constant.value >= INT32_MIN && constant.value <= INT32_MAX ? Number(constant.value) : undefined;
    case DataType.INT64:
      return constant.kind === 'integer' ? BigInt.asIntN(64, constant.value) : undefined;
    case DataType.FLOAT:
    case DataType.DOUBLE:
      if (constant.kind === 'integer') return Number(constant.value);
      return constant.kind === 'float' ? constant.value : undefined;
    default:
      return undefined;
  }
}

function constantFilled(
  c: ResultColumn,
  constant: Extract<FillClause, { kind: 'constant' }>['value'],
  _j: number,
): ResultColumn {
  const value = constantFor(c.type, constant);
  if (value === undefined) return c;
  const out = copied(c);
  for (let i = 0; i < out.nulls!.length; i++) {
    if (out.nulls![i] === 1) {
      (out.values as unknown[])[i] = value;
      out.nulls![i] = 0;
    }
  }
  return { ...out, nulls: null };
}

const LINEAR_KINDS = new Set(['int32', 'int64', 'float', 'double']);

function linearType(type: DataType): boolean {
  return type !== DataType.DATE && type !== DataType.TIMESTAMP && LINEAR_KINDS.has(valueKind(type));
}

interface Point {
  readonly time: bigint;
  readonly value: number | bigint;
}

/**
 * LINEAR needs the next non-null value of a column: blocks are held until every null in
 * them that has a value before it also has one after it (or the rows end), then filled
 * and let go. Memory is the span of the longest run of nulls.
 */
function* linearFilled(blocks: Iterable<ResultBlock>): Generator<ResultBlock> {
  const held: ResultBlock[] = [];
  const before: (Point | null)[] = [];
  const release = function* (count: number): Generator<ResultBlock> {
    const out = held.splice(0, count);
    for (let b = 0; b < out.length; b++) {
      const block = out[b]!;
      const later = [...out.slice(b + 1), ...held];
      yield mapColumns(block, (c, j) => {
        if (!linearType(c.type)) return c;
        let prev = before[j] ?? null;
        let out2: ResultColumn = c;
        let next: Point | null = null;
        for (let i = 0; i < block.rowCount; i++) {
          const t = block.times[i]!;
          if (c.nulls === null || c.nulls[i] === 0) {
            prev = { time: t, value: c.values[i] as number | bigint };
            continue;
          }
          if (prev === null) continue;
          if (next === null || next.time <= t) next = nextPoint(block, j, i + 1, later);
          if (next === null) continue;
          if (out2 === c) out2 = copied(c);
          (out2.values as unknown[])[i] = interpolate(c.type, prev, next, t);
          out2.nulls![i] = 0;
        }
        before[j] = prev;
        return out2;
      });
    }
  };
  for (const block of blocks) {
    held.push(block);
    const ready = settledBlocks(held, before);
    if (ready > 0) yield* release(ready);
  }
  yield* release(held.length);
}

/** The first non-null point of column j from row `from` of `block`, then in `later` blocks. */
function nextPoint(block: ResultBlock, j: number, from: number, later: readonly ResultBlock[]): Point | null {
  const scan = (b: ResultBlock, start: number): Point | null => {
    const c = b.columns[j]!;
    for (let i = start; i < b.rowCount; i++) {
      if (c.nulls === null || c.nulls[i] === 0) return { time: b.times[i]!, value: c.values[i] as number | bigint };
    }
    return null;
  };
  const here = scan(block, from);
  if (here !== null) return here;
  for (const b of later) {
    const p = scan(b, 0);
    if (p !== null) return p;
  }
  return null;
}

/**
 * How many leading held blocks can be filled now: those before the block where some
 * column's trailing run of nulls starts after a non-null value (its next value is unknown).
 */
function settledBlocks(held: readonly ResultBlock[], before: readonly (Point | null)[]): number {
  let ready = held.length;
  const columns = held[0]!.columns.length;
  for (let j = 0; j < columns; j++) {
    if (!linearType(held[0]!.columns[j]!.type)) continue;
    ready = Math.min(ready, openRunBlock(held, j, before[j] != null));
  }
  return ready;
}

/**
 * The held block where column j's trailing run of nulls begins, when a value precedes it
 * (so its nulls wait for the next value); `held.length` when there is no such run.
 */
function openRunBlock(held: readonly ResultBlock[], j: number, valueBefore: boolean): number {
  for (let b = held.length - 1; b >= 0; b--) {
    const block = held[b]!;
    const c = block.columns[j]!;
    for (let i = block.rowCount - 1; i >= 0; i--) {
      if (c.nulls === null || c.nulls[i] === 0) return i === block.rowCount - 1 ? b + 1 : b;
    }
  }
  return valueBefore ? 0 : held.length;
}

function interpolate(type: DataType, a: Point, b: Point, t: bigint): number | bigint {
  const factor = b.time === a.time ? 0 : Number(t - a.time) / Number(b.time - a.time);
  const av = Number(a.value);
  const v = av + (Number(b.value) - av) * factor;
  switch (type) {
    case DataType.INT32:
      return Math.trunc(v);
    case DataType.INT64:
      return BigInt(Math.trunc(v));
    case DataType.FLOAT:
      return Math.fround(v);
    default:
      return v;
  }
}

/** The rows filled as the statement's FILL says, or as they are without one. */
export function withFill(
  blocks: Iterable<ResultBlock>,
  fill: FillClause | null,
  precision: TimestampPrecision,
): Iterable<ResultBlock> {
  return fill === null ? blocks : filledRows(blocks, fill, precision);
}
