import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageEngine } from '../../engine/storage-engine.js';
import { deletionsUnder } from '../../pipe/extractor/deletion-scope.js';
import { PathPrefixFilter } from '../../pipe/path-prefix-filter.js';
import { DataType } from '../../tsfile/data-type.js';

let dir: string;
let engine: StorageEngine;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-deletion-scope-'));
  engine = StorageEngine.open({ dir, flushInWorker: false, walMode: 'DISABLE' });
  for (const row of [
    { device: 'root.db.d1', measurement: 's' },
    { device: 'root.db.d1', measurement: 't' },
    { device: 'root.db.d10', measurement: 's' },
    { device: 'root.db.e', measurement: 's' },
    { device: 'root.db.`d.x`', measurement: '1' },
  ]) {
    await engine.writeRows([
      {
        device: row.device,
        time: 1n,
        measurements: [row.measurement],
        dataTypes: [DataType.INT64],
        values: [1n],
        aligned: false,
      },
    ]);
  }
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const span = { start: 0n, end: 10n };

describe('the part of a deletion a pipe syncs', () => {
  it('sends the deletion as it is when the pattern takes everything it can reach', () => {
    const d = { pattern: 'root.db.**', ...span };
    expect(deletionsUnder(new PathPrefixFilter('root'), engine.schema, d)).toEqual([d]);
    const under = { pattern: 'root.db.d1.*', ...span };
    expect(deletionsUnder(new PathPrefixFilter('root.db.d1'), engine.schema, under)).toEqual([under]);
    expect(deletionsUnder(new PathPrefixFilter('root.db.d'), engine.schema, under)).toEqual([under]);
  });

  it('narrows a wider deletion to the series under the string prefix', () => {
    const d = { pattern: 'root.db.**', ...span };
    const got = deletionsUnder(new PathPrefixFilter('root.db.d1'), engine.schema, d).map((x) => x.pattern);
    expect(got.sort()).toEqual(['root.db.d1.s', 'root.db.d1.t', 'root.db.d10.s']);
    const quoted = deletionsUnder(new PathPrefixFilter('root.db.`d'), engine.schema, d).map((x) => x.pattern);
    expect(quoted).toEqual(['root.db.`d.x`.`1`']);
    expect(deletionsUnder(new PathPrefixFilter('root.db.d1'), engine.schema, d)[0]).toMatchObject(span);
  });

  it('sends nothing when the deletion and the pattern share no series', () => {
    const d = { pattern: 'root.db.e.*', ...span };
    expect(deletionsUnder(new PathPrefixFilter('root.db.d'), engine.schema, d)).toEqual([]);
  });
});
