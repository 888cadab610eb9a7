import { EngineError, StatusCode } from '../../engine/errors.js';
import { statementPrivileges } from '../auth/statement-privileges.js';
import { runUserStatement, USER_STATEMENT_KINDS } from '../auth/user-statements.js';
import type { ExecutionContext } from '../execution/execution-context.js';
import { executeStatement } from '../execution/executor.js';
import type { StatementOutcome } from '../execution/statement-outcome.js';
import type { Statement } from '../sql/ast.js';
import type { ClientSession } from './client-session.js';
import type { NodeServices } from './node-services.js';

const NANOS_PER_MS: Record<string, bigint> = { ms: 1n, us: 1_000n, ns: 1_000_000n };

/** Checks the session user's privileges, then runs the statement where it belongs. */
export async function runStatement(
  services: NodeServices,
  session: ClientSession,
  statement: Statement,
  fetchSize: number,
): Promise<StatementOutcome> {
  checkPrivileges(services, session.user, statement);
  const precision = services.engine.config.timestampPrecision;
  const context: ExecutionContext = {
    engine: services.engine,
    user: session.user,
    timeZone: session.timeZone,
    now: () => BigInt(Date.now()) * NANOS_PER_MS[precision]!,
    fetchSize,
    version: services.version,
    delegate: (s, c) => delegated(services, s, c),
    sqlDialect: session.sqlDialect,
  };
  if (delegatedKind(statement)) return delegated(services, statement, context);
  if (services.queryObserved === undefined) return executeStatement(statement, context);
  const started = performance.now();
  const outcome = await executeStatement(statement, context);
  if (outcome.kind === 'rows') services.queryObserved((performance.now() - started) / 1000);
  return outcome;
}

export function checkPrivileges(services: NodeServices, user: string, statement: Statement): void {
  for (const need of statementPrivileges(statement, user)) {
    const denied = services.users.deniedMessage(user, need);
    if (denied !== null) throw new EngineError(StatusCode.NO_PERMISSION, denied);
  }
}

function delegatedKind(statement: Statement): boolean {
  return USER_STATEMENT_KINDS.has(statement.kind) || statement.kind.includes('pipe');
}

async function delegated(
  services: NodeServices,
  statement: Statement,
  context: ExecutionContext,
): Promise<StatementOutcome> {
  if (USER_STATEMENT_KINDS.has(statement.kind)) return runUserStatement(statement, services.users);
  return services.pipeStatements(statement, context);
}
