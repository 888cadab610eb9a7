import { EngineError, StatusCode } from '../../engine/errors.js';
import type { AuthorPlan } from '../../protocol/pipe/config-plan/author-plan.js';
import type { AuthApplier } from './auth-sync.js';
import { changeOfPlan } from './author-plans.js';

/**
 * Applies a received AuthorPlan (from a TRANSFER_CONFIG_PLAN request) for the user the
 * sending connection logged in as. A role plan is refused, as this node has no roles; the
 * applier's refusals carry IoTDB's codes.
 */
export async function applyAuthorPlan(applier: AuthApplier | null, plan: AuthorPlan, sender: string): Promise<void> {
  if (applier === null) {
    throw new EngineError(
      StatusCode.UNSUPPORTED_OPERATION,
      `this receiver does not apply user plans (type ${plan.type})`,
    );
  }
  const change = changeOfPlan(plan);
  if (change === null) {
    throw new EngineError(
      StatusCode.UNSUPPORTED_OPERATION,
      `role plans (type ${plan.type}) are not supported: this node has users but no roles`,
    );
  }
  await applier.apply(change, sender);
}
