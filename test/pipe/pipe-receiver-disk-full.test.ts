import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { startTestNode, type TestNode } from '../server/node-harness.js';
import { smallDisk } from '../tmpfs-mount.js';
import { eventually, rows } from './pipe-test-kit.js';

// B's data folder on a 4 MiB tmpfs mounted for the test (root or CAP_SYS_ADMIN needed;
// skipped, saying why, where mounting is not allowed). The engine's side of a full disk is
// also proven without a mount, by fault injection, in test/engine/disk-full.test.ts.

const disk = smallDisk('pipe-receiver-disk-full', 4);
const mountPoint = disk.path;

function tablet(index: number): Tablet {
  const count = 2000;
  return {
    device: 'root.full.d',
    aligned: false,
    measurements: ['s'],
    dataTypes: [DataType.INT64],
    times: BigInt64Array.from({ length: count }, (_, i) => BigInt(index * count + i)),
    // Values that compress badly, so B's disk fills.
    columns: [BigInt64Array.from({ length: count }, (_, i) => BigInt(((index * count + i) * 2654435761) % 1000003))],
    nulls: [null],
    rowCount: count,
  };
}

describe('a receiver whose disk is full', () => {
  it('pauses the pipe (RUNNING, retrying) instead of failing it, and resumes by itself once there is room', async (context) => {
    if (!disk.mounted()) {
      context.skip();
      return;
    }
    const ballast = join(mountPoint, 'ballast');
    writeFileSync(ballast, Buffer.alloc(3300 * 1024, 1));
    const nodes: TestNode[] = [];
    const sessions: Session[] = [];
    try {
      const a = await startTestNode();
      nodes.push(a);
      const b = await startTestNode({
        data_dirs: join(mountPoint, 'b'),
        memtable_size_threshold: String(256 * 1024),
        wal_file_size_threshold_in_byte: String(64 * 1024),
      });
      nodes.push(b);
      const sa = await Session.open({ port: a.port });
      const sb = await Session.open({ port: b.port });
      sessions.push(sa, sb);
      await sa.executeStatement(
        `create pipe full with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${b.port}')`,
      );
      await sa.executeStatement('start pipe full');
      for (let i = 0; i < 60; i++) await sa.insertTablet(tablet(i));
      await eventually(
        async () => a.logs.some((l) => /receiver busy: .*is full/.test(l)),
        'B to refuse for want of space',
      );
      const refusal = a.logs.find((l) => /receiver busy: .*is full/.test(l))!;
      expect(refusal).toMatch(new RegExp(`the (WAL|data) folder ${join(mountPoint, 'b')}/(wal|data) is full`));
      expect((await rows(sa, 'show pipes'))[0]?.[3]).toBe('RUNNING');

      rmSync(ballast);
      const want = await rows(sa, 'select count(s), sum(s) from root.full.d');
      await eventually(
        async () => JSON.stringify(await rows(sb, 'select count(s), sum(s) from root.full.d')) === JSON.stringify(want),
        'B to catch up once it has room',
        60_000,
      );
      expect(want[0]?.[1]).toBe('120000');
      expect((await rows(sa, 'show pipes'))[0]?.[3]).toBe('RUNNING');
    } finally {
      for (const s of sessions) await s.close().catch(() => {});
      for (const n of nodes.reverse()) await n.close().catch(() => {});
    }
  }, 120_000);
});
