import type { ExecutionContext } from './execution-context.js';
import type { TimeResolver } from './time-bounds.js';

/** What resolving datetime literals and `now()` needs, fixed for one statement. */
export function clockOf(context: ExecutionContext): TimeResolver {
  return { precision: context.engine.config.timestampPrecision, nowMillis: Date.now() };
}
