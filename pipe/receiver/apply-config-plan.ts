import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatPath, parsePath } from '../../engine/path/path.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import type { ConfigPlan } from '../../protocol/pipe/config-plan/config-plan.js';
import { checkManageDatabase, type ReceiverAuth } from './receiver-auth.js';

/** What applying a config plan may use: the engine, the node's users, the sender's login and its data's origin. */
export interface ConfigPlanContext {
  readonly engine: StorageEngine;
  readonly auth: ReceiverAuth;
  /** The user the sender logged in as. */
  readonly user: string;
  readonly origin: string;
}

/**
 * Applies a config-node plan a pipe sent (TRANSFER_CONFIG_PLAN): the one dispatch point by
 * plan kind, each checking the sender's privileges first. Each kind is idempotent, so at-least-once delivery leaves this node as the
 * sender: a database that exists is taken as created, one that is gone as dropped.
 */
export async function applyConfigPlan(plan: ConfigPlan, context: ConfigPlanContext): Promise<void> {
  const { engine, origin } = context;
  switch (plan.kind) {
    case 'create-database':
      checkManageDatabase(context.auth, context.user);
      if (engine.schema.hasDatabase(canonical(plan.name))) return;
      engine.createDatabase(plan.name, { origin });
      return;
    case 'delete-database':
      checkManageDatabase(context.auth, context.user);
      if (!engine.schema.hasDatabase(canonical(plan.name))) return;
      engine.deleteDatabases(plan.name, { origin });
      return;
  }
}

function canonical(name: string): string {
  try {
    return formatPath(parsePath(name));
  } catch (error) {
    throw new EngineError(StatusCode.ILLEGAL_PATH, (error as Error).message);
  }
}
