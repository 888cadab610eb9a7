import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineConfig } from '../../../engine/engine-config.js';
import { StorageEngine } from '../../../engine/storage-engine.js';
import type { ExecutionContext } from '../../../server/execution/execution-context.js';
import { executeStatement } from '../../../server/execution/executor.js';
import type { ResultSet } from '../../../server/execution/statement-outcome.js';
import { parseStatement } from '../../../server/sql/index.js';
import { dataTypeName } from '../../../tsfile/data-type.js';

/** A result read whole: headers, types and rows (cells as JS values, text decoded, null for null). */
export interface Table {
  readonly columns: string[];
  readonly types: string[];
  readonly ignoreTimeStamp: boolean;
  readonly rows: unknown[][];
}

const decoder = new TextDecoder();

export function readAll(result: ResultSet): Table {
  const rows: unknown[][] = [];
  for (let b = result.next(); b !== null; b = result.next()) {
    for (let i = 0; i < b.rowCount; i++) {
      const cells = b.columns.map((c) => {
        if (c.nulls?.[i] === 1) return null;
        const v = (c.values as ArrayLike<unknown>)[i];
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
  /** Runs statements; returns the last one's table (or null for a statement without rows). */
  sql(text: string, fetchSize?: number): Promise<Table | null>;
  close(): Promise<void>;
}

export function openSqlSession(config: Partial<EngineConfig> = {}): SqlSession {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-sql-'));
  const engine = StorageEngine.open({ dir, walMode: 'DISABLE', flushInWorker: false, ...config });
  const context = (fetchSize: number): ExecutionContext => ({
    engine,
    user: 'root',
    timeZone: '+08:00',
    now: () => BigInt(Date.now()),
    fetchSize,
    version: '0.1.0',
    delegate: async (s) => {
      throw new Error(`delegated: ${s.kind}`);
    },
  });
  return {
    engine,
    async sql(text, fetchSize = 1000) {
      const outcome = await executeStatement(parseStatement(text, { timeZone: '+08:00' }), context(fetchSize));
      return outcome.kind === 'rows' ? readAll(outcome.result) : null;
    },
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
