import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageEngine } from '../../engine/storage-engine.js';
import type { TapEvent } from '../../engine/tap/tap-events.js';
import { DataType } from '../../tsfile/data-type.js';
import { int64Tablet } from './int64-tablet.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'schema-events-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(): StorageEngine {
  return StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC' });
}

/** An event as `kind arrival what`, for comparing orders. */
function describeEvent(e: TapEvent): string {
  if (e.kind === 'schema') {
    const c = e.change;
    const what =
      c.op === 'create-series' || c.op === 'delete-series'
        ? c.series.map((s) => `${s.device}.${s.measurement}`).join(',')
        : c.database;
    return `${c.op} ${e.arrival} ${what}${e.origin === '' ? '' : ` from ${e.origin}`}`;
  }
  if (e.kind === 'insert') return `insert ${e.arrival} ${e.tablet.device}`;
  if (e.kind === 'delete') return `delete ${e.arrival} ${e.pattern}`;
  return 'tsfile-sealed';
}

describe('schema changes on the tap', () => {
  it('come in arrival order with the data: a series created for a write before it, a drop after its data deletion', async () => {
    const engine = open();
    try {
      const seen: string[] = [];
      engine.tap.subscribe((e) => seen.push(describeEvent(e)));
      engine.tap.pin('pipe:p', engine.arrivalHighWater);
      engine.createDatabase('root.db');
      engine.createTimeseries('root.db.e', true, [{ measurement: 'x', dataType: DataType.INT32 }], {
        origin: 'node-b',
      });
      await engine.write(int64Tablet('root.db.d', [1], [1]));
      await engine.write(int64Tablet('root.db.d', [2], [2]));
      await engine.deleteTimeseries('root.db.d.s');
      engine.deleteDatabases('root.db');
      expect(seen).toEqual([
        'create-database 1 root.db',
        'create-series 2 root.db.e.x from node-b',
        'create-series 3 root.db.d.s',
        'insert 4 root.db.d',
        'insert 5 root.db.d',
        'delete 6 root.db.d.s',
        'delete-series 7 root.db.d.s',
        'delete-database 8 root.db',
      ]);
    } finally {
      await engine.close();
    }
  });

  it('are kept for a pinned consumer across a restart, merged with the WAL by arrival; numbers are not given twice', async () => {
    let engine = open();
    engine.createDatabase('root.db');
    engine.tap.pin('pipe:p', engine.arrivalHighWater);
    await engine.write(int64Tablet('root.db.d', [1], [1]));
    engine.createTimeseries('root.db.d', false, [{ measurement: 't', dataType: DataType.DOUBLE }]);
    await engine.close();

    engine = open();
    try {
      expect([...engine.walEvents(2)].map(describeEvent)).toEqual([
        'create-series 2 root.db.d.s',
        'insert 3 root.db.d',
        'create-series 4 root.db.d.t',
      ]);
      // The last arrival number went to a schema change, which the WAL does not hold.
      expect(engine.arrivalHighWater).toBe(5);
      engine.tap.pin('pipe:p', 4);
      expect([...engine.walEvents(4)].map(describeEvent)).toEqual(['create-series 4 root.db.d.t']);
      await engine.write(int64Tablet('root.db.d', [2], [2]));
      expect([...engine.walEvents(4)].map(describeEvent)).toEqual([
        'create-series 4 root.db.d.t',
        'insert 5 root.db.d',
      ]);
    } finally {
      await engine.close();
    }
  });
});
