import { afterEach, expect } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { startTestNode, type TestNode } from '../server/node-harness.js';

/** Nodes and sessions of a test file, closed after each test. */
export function pipeNodes(): (settings?: Record<string, string>) => Promise<{ node: TestNode; session: Session }> {
  const nodes: TestNode[] = [];
  const sessions: Session[] = [];
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.close().catch(() => {});
    for (const n of nodes.splice(0)) await n.close().catch(() => {});
  });
  return async (settings = {}) => {
    const node = await startTestNode(settings);
    nodes.push(node);
    const session = await Session.open({ port: node.port });
    sessions.push(session);
    return { node, session };
  };
}

// ignoreBOM: a leading U+FEFF is part of a value and must survive.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Every row of a query as text cells (time first), for comparing two nodes. */
export async function rows(session: Session, sql: string): Promise<string[][]> {
  const out: string[][] = [];
  const { blocks } = await session.query(sql);
  for (const b of blocks as ResultBlock[]) {
    for (let i = 0; i < b.rowCount; i++) {
      out.push([
        String(b.times[i]),
        ...b.columns.map((c) => {
          if (c.nulls?.[i] === 1) return 'null';
          const v = (c.values as ArrayLike<unknown>)[i];
          return v instanceof Uint8Array ? decoder.decode(v) : String(v);
        }),
      ]);
    }
  }
  return out;
}

export async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * `create pipe NAME [with source (SOURCE)] with connector (...)` towards a node on `port`, with
 * the given connector plugin.
 */
export function createPipeSql(name: string, connector: string, port: number, extra = '', source = ''): string {
  const sourceClause = source === '' ? '' : ` with source (${source})`;
  return `create pipe ${name}${sourceClause} with connector ('connector'='${connector}', 'connector.ip'='127.0.0.1', 'connector.port'='${port}'${extra})`;
}

/** Every row of `select ** from root` as one text, for comparing two nodes. */
export async function everything(session: Session): Promise<string> {
  const { result, blocks } = await session.query('select ** from root');
  const lines = [result.columnNames.join(',')];
  for (const b of blocks as ResultBlock[]) {
    for (let i = 0; i < b.rowCount; i++) {
      lines.push(
        [
          b.times[i],
          ...b.columns.map((c) => (c.nulls?.[i] === 1 ? 'null' : String((c.values as ArrayLike<unknown>)[i]))),
        ].join(','),
      );
    }
  }
  return lines.join('\n');
}

/** A small random program of writes over few points, so later writes overwrite earlier ones. */
export function randomStatements(seed: number, count: number): string[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor(state / 65536) % n;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const t = next(40);
    const roll = next(100);
    if (roll < 5) out.push('flush');
    else if (roll < 12)
      out.push(`delete from root.db.${next(2) === 0 ? 'plain' : 'al'}.* where time >= ${t} and time <= ${t + next(5)}`);
    else if (roll < 56) out.push(`insert into root.db.plain(time, a, b) values (${t}, ${seed + k}, '${k}')`);
    else out.push(`insert into root.db.al(time, a, b) aligned values (${t}, ${seed + k}, ${next(2) === 0})`);
  }
  return out;
}

/** Waits until B holds what A holds (A may still change meanwhile). */
export async function eventuallyEqual(a: Session, b: Session, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  let want = await everything(a);
  while (Date.now() < until) {
    if ((await everything(b)) === want) return;
    await new Promise((r) => setTimeout(r, 100));
    want = await everything(a);
  }
  expect(await everything(b)).toBe(want);
}
