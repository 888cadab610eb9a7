import type { StorageEngine } from '../../engine/storage-engine.js';
import type { Statement } from '../sql/ast.js';
import type { StatementOutcome } from './statement-outcome.js';

/**
 * Statements the data executor does not run itself: users and privileges, pipes. The node
 * plugs its user store and (when present) its pipe manager in here.
 */
export type DelegatedStatementRunner = (statement: Statement, context: ExecutionContext) => Promise<StatementOutcome>;

/** Everything a statement runs against. One per call; cheap to build. */
export interface ExecutionContext {
  readonly engine: StorageEngine;
  /** The session's user (privilege checks happen before the executor is called). */
  readonly user: string;
  /** The session's time zone (IANA name or offset) for datetime literals and results. */
  readonly timeZone: string;
  /** Wall-clock now in the engine's timestamp precision (`now()` in SQL). */
  readonly now: () => bigint;
  /** Rows per result block the executor should aim for (the client's fetch size). */
  readonly fetchSize: number;
  /** The node's version string for SHOW VERSION. */
  readonly version: string;
  readonly delegate: DelegatedStatementRunner;
  /**
   * The `sql_dialect` the client named when it opened its session (IoTDB's later clients
   * send one, earlier ones none): SHOW PIPES spells its estimate column as that generation does.
   */
  readonly sqlDialect?: string | null;
}
