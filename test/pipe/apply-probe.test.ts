import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCompressedReq } from '../../protocol/pipe/pipe-compressed-req.js';
import { pipeCompressor } from '../../protocol/pipe/pipe-compression.js';
import { encodeHandshakeV1, encodeTabletBatch, encodeTabletRaw } from '../../protocol/pipe/pipe-requests.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { startTestNode, type TestNode } from '../server/node-harness.js';

const dirs: string[] = [];
const nodes: TestNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tablet(device: string, times: number[]): Tablet {
  return {
    device,
    measurements: ['s'],
    dataTypes: [DataType.INT32],
    times: BigInt64Array.from(times, BigInt),
    columns: [Int32Array.from(times)],
    nulls: [null],
    rowCount: times.length,
    aligned: false,
  };
}

describe('the receiver apply probe (pipe_receiver_apply_probe_file)', () => {
  it('stamps every applied tablet with its device, last time and the monotonic clock, in order, compressed or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apply-probe-'));
    dirs.push(dir);
    const file = join(dir, 'probe.txt');
    const node = await startTestNode({ pipe_receiver_apply_probe_file: file });
    nodes.push(node);
    const client = await node.connect();
    try {
      const before = process.hrtime.bigint();
      expect((await client.rpc.pipeTransfer(encodeHandshakeV1('ms'))).status.code).toBe(200);
      expect((await client.rpc.pipeTransfer(encodeTabletRaw(tablet('root.p.a', [1, 5])))).status.code).toBe(200);
      const batch = encodeTabletBatch([tablet('root.p.b', [7]), tablet('root.p.a', [9, 10, 11])]);
      const compressed = encodeCompressedReq(batch, [pipeCompressor('gzip'), pipeCompressor('snappy')]);
      expect((await client.rpc.pipeTransfer(compressed)).status.code).toBe(200);
      const after = process.hrtime.bigint();
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '));
      expect(lines.map(([device, last]) => [device, last])).toEqual([
        ['root.p.a', '5'],
        ['root.p.b', '7'],
        ['root.p.a', '11'],
      ]);
      const stamps = lines.map((l) => BigInt(l[2]!));
      for (const stamp of stamps) {
        expect(stamp > before && stamp < after).toBe(true);
      }
      expect([...stamps].sort((x, y) => (x < y ? -1 : 1))).toEqual(stamps);
    } finally {
      client.end();
    }
  });
});
