import type { TimestampPrecision } from '../../engine/engine-config.js';
import { EngineError, StatusCode } from '../../engine/errors.js';
import { INT64_MAX, INT64_MIN } from '../../tsfile/io/int64.js';
import type { Operand, Predicate, TimeValue } from '../sql/ast.js';
import { resolveTimeValue } from '../sql/time-literals.js';

export const MIN_TIME = INT64_MIN;
export const MAX_TIME = INT64_MAX;

/** An inclusive time range; `start > end` is empty. */
export interface TimeBounds {
  readonly start: bigint;
  readonly end: bigint;
}

export const ALL_TIME: TimeBounds = { start: MIN_TIME, end: MAX_TIME };

export interface TimeResolver {
  readonly precision: TimestampPrecision;
  readonly nowMillis: number;
}

/** Math.min/max for timestamps (bigints). */
export function earlier(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function later(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function isTimeValue(o: Operand): o is TimeValue {
  return o.kind === 'integer' || o.kind === 'datetime' || o.kind === 'now';
}

/** The literal side of `time <op> literal` (either order), the operator as if time were on the left. */
function timeComparison(p: Predicate): { op: string; value: TimeValue } | null {
  if (p.kind !== 'compare') return null;
  const flip: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!=' };
  if (p.left.kind === 'time' && isTimeValue(p.right)) return { op: p.op, value: p.right };
  if (p.right.kind === 'time' && isTimeValue(p.left)) return { op: flip[p.op]!, value: p.left };
  return null;
}

/**
 * The smallest time range outside which the predicate cannot hold (AND intersects, OR
 * joins, anything else leaves time open), and whether the range says all the predicate
 * says (it only constrains time, through ANDs), so rows need no further test.
 */
export function timeBounds(p: Predicate | null, clock: TimeResolver): { bounds: TimeBounds; exact: boolean } {
  if (p === null) return { bounds: ALL_TIME, exact: true };
  const cmp = timeComparison(p);
  if (cmp !== null) {
    const t = resolveTimeValue(cmp.value, clock);
    switch (cmp.op) {
      case '=':
        return { bounds: { start: t, end: t }, exact: true };
      case '>':
        return { bounds: { start: t + 1n, end: MAX_TIME }, exact: true };
      case '>=':
        return { bounds: { start: t, end: MAX_TIME }, exact: true };
      case '<':
        return { bounds: { start: MIN_TIME, end: t - 1n }, exact: true };
      case '<=':
        return { bounds: { start: MIN_TIME, end: t }, exact: true };
      default:
        return { bounds: ALL_TIME, exact: false };
    }
  }
  if (p.kind === 'between' && p.operand.kind === 'time' && isTimeValue(p.low) && isTimeValue(p.high) && !p.negated) {
    return {
      bounds: { start: resolveTimeValue(p.low, clock), end: resolveTimeValue(p.high, clock) },
      exact: true,
    };
  }
  if (p.kind === 'and') {
    const l = timeBounds(p.left, clock);
    const r = timeBounds(p.right, clock);
    return {
      bounds: {
        start: later(l.bounds.start, r.bounds.start),
        end: earlier(l.bounds.end, r.bounds.end),
      },
      exact: l.exact && r.exact,
    };
  }
  if (p.kind === 'or') {
    const l = timeBounds(p.left, clock);
    const r = timeBounds(p.right, clock);
    return {
      bounds: {
        start: earlier(l.bounds.start, r.bounds.start),
        end: later(l.bounds.end, r.bounds.end),
      },
      exact: false,
    };
  }
  return { bounds: ALL_TIME, exact: false };
}

/** The range of a statement that accepts time conditions only (DELETE, SELECT LAST); `refusal` otherwise. */
export function timeOnlyBounds(p: Predicate | null, clock: TimeResolver, refusal: string): TimeBounds {
  const { bounds, exact } = timeBounds(p, clock);
  if (!exact) throw new EngineError(StatusCode.SEMANTIC_ERROR, refusal);
  return bounds;
}
