import { EngineError, StatusCode } from '../../engine/errors.js';
import type { ResultSet } from '../execution/statement-outcome.js';
import { QueryCursor } from './query-cursor.js';

/** At most this many open queries per session: a client that never closes them is refused, not a leak. */
export const OPEN_QUERIES_MAX = 1024;

/**
 * A logged-in client: its user, time zone and open queries. A session belongs to the
 * connection that opened it and ends with it, as in IoTDB.
 */
export class ClientSession {
  private readonly queries = new Map<bigint, QueryCursor>();
  private nextStatementId = 0n;
  /** `sql_dialect` from the client's openSession configuration, when it sent one. */
  sqlDialect: string | null = null;

  constructor(
    readonly id: bigint,
    readonly user: string,
    public timeZone: string,
    private readonly nextQueryId: () => bigint,
  ) {}

  requestStatementId(): bigint {
    return this.nextStatementId++;
  }

  openQuery(statementId: bigint, result: ResultSet): QueryCursor {
    if (this.queries.size >= OPEN_QUERIES_MAX) {
      result.close();
      throw new EngineError(
        StatusCode.QUERY_PROCESS_ERROR,
        `too many open queries in this session (${OPEN_QUERIES_MAX}); close finished ones with closeOperation`,
      );
    }
    const cursor = new QueryCursor(this.nextQueryId(), statementId, result);
    this.queries.set(cursor.id, cursor);
    return cursor;
  }

  query(queryId: bigint): QueryCursor | undefined {
    return this.queries.get(queryId);
  }

  closeQuery(queryId: bigint): boolean {
    const cursor = this.queries.get(queryId);
    if (cursor === undefined) return false;
    cursor.close();
    this.queries.delete(queryId);
    return true;
  }

  closeStatement(statementId: bigint): void {
    for (const cursor of [...this.queries.values()]) {
      if (cursor.statementId === statementId) this.closeQuery(cursor.id);
    }
  }

  close(): void {
    for (const id of [...this.queries.keys()]) this.closeQuery(id);
  }
}
