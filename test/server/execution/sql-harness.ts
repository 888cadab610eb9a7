import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { EngineConfig } from '../../../engine/engine-config.js';
import { StorageEngine } from '../../../engine/storage-engine.js';
import type { ExecutionContext } from '../../../server/execution/execution-context.js';
import { executeStatement } from '../../../server/execution/executor.js';
import type { ResultSet, StatementOutcome } from '../../../server/execution/statement-outcome.js';
import { parseStatement } from '../../../server/sql/index.js';
import { DataType, dataTypeName } from '../../../tsfile/data-type.js';

/** A result read whole: headers, types and rows (cells as JS values, text decoded, booleans as such, null for null). */
export interface Table {
  readonly columns: string[];
  readonly types: string[];
  readonly ignoreTimeStamp: boolean;
  readonly rows: unknown[][];
}

// ignoreBOM: a leading U+FEFF is part of a value and must survive.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export function readAll(result: ResultSet): Table {
  const rows: unknown[][] = [];
  for (let b = result.next(); b !== null; b = result.next()) {
    for (let i = 0; i < b.rowCount; i++) {
      const cells = b.columns.map((c) => {
        if (c.nulls?.[i] === 1) return null;
        const v = (c.values as ArrayLike<unknown>)[i];
        if (c.type === DataType.BOOLEAN) return v === 1;
        return v instanceof Uint8Array ? decoder.decode(v) : v;
      });
      rows.push(result.ignoreTimeStamp ? cells : [b.times[i], ...cells]);
    }
  }
  return {
    columns: [...result.columnNames],
    types: result.dataTypes.map((t) => dataTypeName(t)),
    ignoreTimeStamp: result.ignoreTimeStamp,
    rows,
  };
}

export interface SqlSession {
  readonly engine: StorageEngine;
  /** The engine's folder (a place for scratch files too). */
  readonly dir: string;
  /** Runs statements; returns the last one's table (or null for a statement without rows). */
  sql(text: string, fetchSize?: number): Promise<Table | null>;
  /** Runs a statement that answers rows and returns them. */
  rows(text: string, fetchSize?: number): Promise<unknown[][]>;
  /** The statement's outcome (for what `sql` does not show: block sizes, delegation). */
  run(text: string, fetchSize?: number): Promise<StatementOutcome>;
  close(): Promise<void>;
}

/** The wall clock the sessions' `now()` reads, in ms. */
export const NOW_MS = 1_700_000_000_000;

export function openSqlSession(config: Partial<EngineConfig> = {}): SqlSession {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-sql-'));
  const engine = StorageEngine.open({ dir, walMode: 'DISABLE', flushInWorker: false, ...config });
  const context = (fetchSize: number): ExecutionContext => ({
    engine,
    user: 'root',
    timeZone: '+08:00',
    now: () => BigInt(NOW_MS),
    fetchSize,
    version: '0.1.0',
    delegate: async (s) => ({ kind: 'done', message: `delegated ${s.kind}` }),
  });
  const run = (text: string, fetchSize = 1000) =>
    executeStatement(parseStatement(text, { timeZone: '+08:00' }), context(fetchSize));
  return {
    engine,
    dir,
    run,
    async sql(text, fetchSize = 1000) {
      const outcome = await run(text, fetchSize);
      return outcome.kind === 'rows' ? readAll(outcome.result) : null;
    },
    async rows(text, fetchSize = 1000) {
      const outcome = await run(text, fetchSize);
      if (outcome.kind !== 'rows') throw new Error(`${text} answered no rows`);
      return readAll(outcome.result).rows;
    },
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows of two devices the query tests share: d1 with a null, d2 with other times. */
const SAMPLE_ROWS = [
  'insert into root.sg.d1(time, s1, s2) values (1, 10, 1.5), (2, 20, 2.5), (3, 30, null), (5, 50, 5.5)',
  'insert into root.sg.d2(time, s1) values (2, 200), (4, 400)',
];

/** Gives every test of the file a fresh session over the sample rows (through `use`), closed after it. */
export function withSampleRows(use: (session: SqlSession) => void): void {
  let session: SqlSession;
  beforeEach(async () => {
    session = openSqlSession();
    for (const sql of SAMPLE_ROWS) await session.sql(sql);
    use(session);
  });
  afterEach(async () => session.close());
}
