import { afterEach } from 'vitest';
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

/** `create pipe NAME with connector (...)` towards a node on `port`, with the given connector plugin. */
export function createPipeSql(name: string, connector: string, port: number, extra = ''): string {
  return `create pipe ${name} with connector ('connector'='${connector}', 'connector.ip'='127.0.0.1', 'connector.port'='${port}'${extra})`;
}
