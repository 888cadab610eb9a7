import { describe, expect, it } from 'vitest';
import type { Session } from '../../protocol/client/session.js';
import { ShapedLink } from '../../scripts/shaped-link.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

/** `rowCount` rows of 4 DOUBLE series of pseudo-random values (they barely compress), flushed into a sealed file. */
async function writeFile(session: Session, device: string, rowCount: number): Promise<void> {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let from = 0; from < rowCount; from += 10_000) {
    const n = Math.min(10_000, rowCount - from);
    const tablet: Tablet = {
      device,
      measurements: ['a', 'b', 'c', 'd'],
      dataTypes: [DataType.DOUBLE, DataType.DOUBLE, DataType.DOUBLE, DataType.DOUBLE],
      times: BigInt64Array.from({ length: n }, (_, i) => BigInt(from + i)),
      columns: [0, 1, 2, 3].map(() => Float64Array.from({ length: n }, next)),
      nulls: [null, null, null, null],
      rowCount: n,
      aligned: false,
    };
    await session.insertTablet(tablet);
  }
  await session.executeStatement('flush');
}

const WINDOW_MS = 10_000;

/** The bytes a link carries towards B in the WINDOW_MS after its first bytes. */
async function bytesInWindow(link: ShapedLink): Promise<number> {
  await eventually(async () => link.bytesUp > 0, 'first bytes on the link');
  const start = link.bytesUp;
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  return link.bytesUp - start;
}

describe('rate limits (two nodes, 10 s)', () => {
  it('a sink limit and the node-wide limit hold within 10 %; a big file is paced, not refused, and arrives whole', async () => {
    const b = await node();
    // A1 limits its one sink; A2 limits all its sinks together, two pipes sharing it.
    const a1 = await node();
    const a2 = await node({ pipe_all_sinks_rate_limit_bytes_per_second: '300000' });
    const fast = { bytesPerSecond: 100_000_000, delayMs: 0 };
    const link1 = await ShapedLink.open(b.node.port, fast);
    const link2 = await ShapedLink.open(b.node.port, fast);
    try {
      // About 5 MB of TsFile each: more than the 3 MB a 300 kB/s limit lets through in 10 s.
      await writeFile(a1.session, 'root.r1.d', 160_000);
      await writeFile(a2.session, 'root.r2.x', 80_000);
      await writeFile(a2.session, 'root.r2.y', 80_000);
      const sink = (port: number, extra = '') =>
        `with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${port}'${extra})`;
      await a1.session.executeStatement(
        `create pipe limited ${sink(link1.port, ", 'sink.rate-limit-bytes-per-second'='300000'")}`,
      );
      await a2.session.executeStatement(`create pipe x with source ('source.pattern'='root.r2.x') ${sink(link2.port)}`);
      await a2.session.executeStatement(
        `create pipe y with source ('source.pattern'='root.r2.y') ${sink(link2.port, ", 'sink.compressor'='lz4'")}`,
      );
      for (const [a, pipes] of [
        [a1, ['limited']],
        [a2, ['x', 'y']],
      ] as const) {
        for (const p of pipes) await a.session.executeStatement(`start pipe ${p}`);
      }
      const [sent1, sent2] = await Promise.all([bytesInWindow(link1), bytesInWindow(link2)]);
      const expected = (300_000 * WINDOW_MS) / 1000;
      expect(sent1).toBeGreaterThan(expected * 0.9);
      expect(sent1).toBeLessThan(expected * 1.1);
      expect(sent2).toBeGreaterThan(expected * 0.9);
      expect(sent2).toBeLessThan(expected * 1.1);
      for (const [a, device] of [
        [a1, 'root.r1.d'],
        [a2, 'root.r2.x'],
        [a2, 'root.r2.y'],
      ] as const) {
        const sql = `select count(a), sum(a), max_value(d) from ${device}`;
        const want = await rows(a.session, sql);
        await eventually(
          async () => JSON.stringify(await rows(b.session, sql).catch(() => [])) === JSON.stringify(want),
          `B equal to A for ${device}`,
          40_000,
        );
      }
    } finally {
      await link1.close();
      await link2.close();
    }
  }, 120_000);
});
