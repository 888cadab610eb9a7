import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { startTestNode, type TestNode } from '../server/node-harness.js';
import { eventually, eventuallyEqual, everything, randomStatements } from './pipe-test-kit.js';

const SEGMENT_BYTES = 4096;
const PIN_BOUND_BYTES = 8192;

/** The PinnedWalBytes cell of `pipe` in SHOW PIPES PROGRESS. */
async function pinnedWalBytes(session: Session, pipe: string): Promise<number> {
  const { result, blocks } = await session.query('show pipes progress');
  const id = result.columnNames.indexOf('ID');
  const pinned = result.columnNames.indexOf('PinnedWalBytes');
  const text = (b: (typeof blocks)[number], column: number, row: number) =>
    new TextDecoder().decode((b.columns[column]!.values as Uint8Array[])[row]!);
  for (const b of blocks) {
    for (let r = 0; r < b.rowCount; r++) if (text(b, id, r) === pipe) return Number(text(b, pinned, r));
  }
  throw new Error(`no pipe ${pipe} in SHOW PIPES PROGRESS`);
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  return total;
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
      for (const sql of randomStatements(3, 80)) await a.executeStatement(sql);
      await a.executeStatement(
        `create pipe a2b with source ('source.inclusion'='data') with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${firstB.port}')`,
      );
      await a.executeStatement('start pipe a2b');
      await eventuallyEqual(a, firstSessionB, 30_000);

      // B goes down; A keeps taking writes, deletions of points B holds among them.
      await firstSessionB.close();
      await firstB.node.stop();
      const walDir = join(nodeA.dir, 'data', 'wal');
      let walMax = 0;
      const outage = randomStatements(5, 300);
      for (let k = 0; k < outage.length; k++) {
        await a.executeStatement(outage[k]!);
        walMax = Math.max(walMax, folderBytes(walDir));
      }
      // SHOW PIPES PROGRESS says what the pipe pins: past the bound it let go, so at most the bound and a segment.
      const pinnedDuringOutage = await pinnedWalBytes(a, 'a2b');
      expect(pinnedDuringOutage).toBeLessThanOrEqual(PIN_BOUND_BYTES + SEGMENT_BYTES);
      expect(nodeA.logs.some((l) => /pipe a2b pinned \d+ bytes of WAL, .* lets go of the WAL/.test(l))).toBe(true);
      // The bound, the segment being written, and the segments of memtables not yet flushed.
      expect(walMax).toBeLessThanOrEqual(PIN_BOUND_BYTES + 2 * SEGMENT_BYTES);

      // B comes back on its folder and port: it gets the sealed files and the deletions.
      const { session: b } = await open({ data_dirs: join(firstB.dir, 'data'), rpc_port: String(firstB.port) });
      await eventuallyEqual(a, b, 30_000);
      expect((await everything(b)).split('\n').length).toBeGreaterThan(20);
      // Caught up, the pipe pins at most the segment being written, without waiting for a flush.
      await eventually(
        async () => (await pinnedWalBytes(a, 'a2b')) <= SEGMENT_BYTES,
        'the pin to shrink once caught up',
      );
    } finally {
      for (const s of sessions) await s.close().catch(() => {});
      for (const n of nodes.reverse()) await n.close().catch(() => {});
    }
  }, 120_000);
});
