import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { startTestNode, type TestNode } from '../server/node-harness.js';

const SEGMENT_BYTES = 4096;
const PIN_BOUND_BYTES = 8192;

/** Every row of `select ** from root` as one text, for comparing two nodes. */
async function everything(session: Session): Promise<string> {
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

/** Writes over few points (so later ones overwrite and delete earlier ones), flushes now and then. */
function statements(seed: number, count: number): string[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor(state / 65536) % n;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const t = next(60);
    const roll = next(100);
    if (roll < 6) out.push('flush');
    else if (roll < 14) out.push(`delete from root.db.d.* where time >= ${t} and time <= ${t + next(6)}`);
    else out.push(`insert into root.db.d(time, a, b) values (${t}, ${seed * 1000 + k}, '${'x'.repeat(next(40))}')`);
  }
  return out;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  return total;
}

async function eventuallyEqual(a: Session, b: Session): Promise<void> {
  const until = Date.now() + 30_000;
  let want = await everything(a);
  while (Date.now() < until) {
    if ((await everything(b)) === want) return;
    await new Promise((r) => setTimeout(r, 100));
    want = await everything(a);
  }
  expect(await everything(b)).toBe(want);
}

describe('a receiver node down for a while', () => {
  it('costs the sender node bounded WAL (pipe_max_allowed_pinned_wal_size_in_byte, logged); the receiver ends equal', async () => {
    const nodes: TestNode[] = [];
    const sessions: Session[] = [];
    const open = async (settings: Record<string, string> = {}) => {
      const node = await startTestNode(settings);
      nodes.push(node);
      const session = await Session.open({ port: node.port });
      sessions.push(session);
      return { node, session };
    };
    try {
      const { node: nodeA, session: a } = await open({
        wal_file_size_threshold_in_byte: String(SEGMENT_BYTES),
        memtable_size_threshold: '4096',
        pipe_max_allowed_pinned_wal_size_in_byte: String(PIN_BOUND_BYTES),
      });
      const { node: firstB, session: firstSessionB } = await open();
      for (const sql of statements(3, 80)) await a.executeStatement(sql);
      await a.executeStatement(
        `create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${firstB.port}')`,
      );
      await a.executeStatement('start pipe a2b');
      await eventuallyEqual(a, firstSessionB);

      // B goes down; A keeps taking writes, deletions of points B holds among them.
      await firstSessionB.close();
      await firstB.node.stop();
      const walDir = join(nodeA.dir, 'data', 'wal');
      let walMax = 0;
      const outage = statements(5, 300);
      for (let k = 0; k < outage.length; k++) {
        await a.executeStatement(outage[k]!);
        walMax = Math.max(walMax, folderBytes(walDir));
      }
      expect(nodeA.logs.some((l) => /pipe a2b pinned \d+ bytes of WAL, .* lets go of the WAL/.test(l))).toBe(true);
      // The bound, the segment being written, and the segments of memtables not yet flushed.
      expect(walMax).toBeLessThanOrEqual(PIN_BOUND_BYTES + 2 * SEGMENT_BYTES);

      // B comes back on its folder and port: it gets the sealed files and the deletions.
      const { session: b } = await open({ data_dirs: join(firstB.dir, 'data'), rpc_port: String(firstB.port) });
      await eventuallyEqual(a, b);
      expect((await everything(b)).split('\n').length).toBeGreaterThan(20);
      expect((await a.query('show pipes')).result.columnNames.length).toBeGreaterThan(0);
    } finally {
      for (const s of sessions) await s.close().catch(() => {});
      for (const n of nodes.reverse()) await n.close().catch(() => {});
    }
  }, 120_000);
});
