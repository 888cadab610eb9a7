import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTabletsAsTsFile } from '../../pipe/connector/transport/tablets-tsfile.js';
import { DataType } from '../../tsfile/data-type.js';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import type { Tablet } from '../../tsfile/tablet.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tablet(device: string, times: number[], values: number[], nulls: number[] = [], aligned = false): Tablet {
  return {
    device,
    measurements: ['s'],
    dataTypes: [DataType.INT64],
    times: BigInt64Array.from(times, BigInt),
    columns: [BigInt64Array.from(values, BigInt)],
    nulls: [nulls.length === 0 ? null : Uint8Array.from(times, (_, i) => (nulls.includes(i) ? 1 : 0))],
    rowCount: times.length,
    aligned,
  };
}

function points(reader: TsFileReader, device: string): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  for (const block of reader.readSeries(device, 's')) {
    for (let i = 0; i < block.length; i++) out.push([block.times[i]!, (block.values as BigInt64Array)[i]!]);
  }
  return out;
}

describe('a batch of tablets as a TsFile (sink.format = tsfile)', () => {
  it('sorts each series by time, the later tablet winning a time both wrote, null cells left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tablets-tsfile-'));
    dirs.push(dir);
    const path = join(dir, 'batch.tsfile');
    writeTabletsAsTsFile(
      [
        tablet('root.t.d', [5, 1, 3], [50, 10, 30]),
        tablet('root.t.a', [2, 1], [20, 10], [], true),
        tablet('root.t.d', [3, 7, 2], [31, 70, 0], [2]),
      ],
      path,
    );
    const reader = TsFileReader.open(path);
    try {
      expect(reader.devices()).toEqual(['root.t.a', 'root.t.d']);
      expect(reader.isAligned('root.t.a')).toBe(true);
      expect(points(reader, 'root.t.d')).toEqual([
        [1n, 10n],
        [3n, 31n],
        [5n, 50n],
        [7n, 70n],
      ]);
      expect(points(reader, 'root.t.a')).toEqual([
        [1n, 10n],
        [2n, 20n],
      ]);
    } finally {
      reader.close();
    }
  });
});
