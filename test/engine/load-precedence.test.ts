import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Row } from '../../engine/rows.js';
import { StorageEngine } from '../../engine/storage-engine.js';
import { DataType } from '../../tsfile/data-type.js';

const dirs: string[] = [];
const engines: StorageEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(): StorageEngine {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-load-'));
  dirs.push(dir);
  const engine = StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC' });
  engines.push(engine);
  return engine;
}

const row = (time: bigint, value: bigint, aligned: boolean): Row => ({
  device: 'root.db.d',
  time,
  measurements: ['s'],
  dataTypes: [DataType.INT64],
  values: [value],
  aligned,
});

function values(engine: StorageEngine): string[] {
  return [...engine.readSeries('root.db.d', 's')].flatMap((b) =>
    [...b.times].map((t, i) => `${t}=${(b.values as BigInt64Array)[i]}`),
  );
}

describe('a loaded file among data written before and after it', () => {
  for (const aligned of [false, true]) {
    it(`ranks above what arrived before it and below what arrives after (aligned: ${aligned})`, async () => {
      const source = open();
      await source.writeRows([row(1n, 100n, aligned), row(5n, 500n, aligned), row(9n, 900n, aligned)]);
      await source.flush();
      const file = source.sealedFiles()[0]!.path;

      const engine = open();
      // Older values of the same points, some flushed, some still in a memtable.
      await engine.writeRows([row(1n, 1n, aligned)]);
      await engine.flush();
      await engine.writeRows([row(5n, 5n, aligned), row(7n, 7n, aligned)]);
      await engine.load(file);
      expect(values(engine)).toEqual(['1=100', '5=500', '7=7', '9=900']);
      // Newer values after the load win, whether or not they fall inside the file's times.
      await engine.writeRows([row(5n, 55n, aligned), row(8n, 88n, aligned), row(12n, 12n, aligned)]);
      expect(values(engine)).toEqual(['1=100', '5=55', '7=7', '8=88', '9=900', '12=12']);
      await engine.flush();
      expect(values(engine)).toEqual(['1=100', '5=55', '7=7', '8=88', '9=900', '12=12']);
    });
  }
});
