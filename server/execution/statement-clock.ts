import type { ExecutionContext } from './execution-context.js';
import type { TimeResolver } from './time-bounds.js';

const UNITS_PER_MS = { ms: 1n, us: 1_000n, ns: 1_000_000n } as const;

/** What a statement resolves `now()` and datetimes with: the context's clock read once, so every `now()` agrees. */
export interface StatementClock extends TimeResolver {
  /** `now()` in the engine's timestamp precision (an INSERT row without a time). */
  readonly now: bigint;
}

export function clockOf(context: ExecutionContext): StatementClock {
  const precision = context.engine.config.timestampPrecision;
  const now = context.now();
  return { precision, now, nowMillis: Number(now / UNITS_PER_MS[precision]) };
}
