import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageEngine } from '../../engine/storage-engine.js';
import { fileContents, tabletContents } from '../../pipe/connector/ignored-data.js';
import { PermanentTransferError, type PipeConnector } from '../../pipe/connector/pipe-connector.js';
import {
  decideRefusal,
  IOTDB_REFUSAL_OPTIONS,
  ReceiverRefusal,
  type RefusalOptions,
  refusalClass,
} from '../../pipe/connector/receiver-status-handler.js';
import { TransferRetry } from '../../pipe/connector/transfer-retry.js';
import { DeliveryWindow } from '../../pipe/delivery-window.js';
import { pipeInclusion } from '../../pipe/extractor/inclusion.js';
import { PathPrefixFilter } from '../../pipe/path-prefix-filter.js';
import type { TransferMeter } from '../../pipe/pipe-counters.js';
import { PipeTask } from '../../pipe/pipe-task.js';
import { SubtaskSlots } from '../../pipe/subtask-slots.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { writeTsFile } from './plugin/plugin-fixtures.js';

const TABLET: Tablet = {
  device: 'root.db.d',
  aligned: false,
  rowCount: 3,
  measurements: ['i', 'j'],
  dataTypes: [DataType.INT64, DataType.INT64],
  times: BigInt64Array.of(1n, 2n, 3n),
  columns: [BigInt64Array.of(1n, 2n, 3n), BigInt64Array.of(4n, 5n, 6n)],
  nulls: [null, Uint8Array.of(0, 1, 0)],
};

const CONFLICT = (what = 'batch of 1 tablets') =>
  new ReceiverRefusal(1810, 'data type of root.db.d.i is not consistent, registered type INT32', what);

describe('how a sender classes a receiver’s status (IoTDB’s PipeReceiverStatusHandler)', () => {
  it('puts each code in IoTDB’s class', () => {
    expect([1808, 600, 606, 611].map(refusalClass)).toEqual(['temporary', 'temporary', 'temporary', 'temporary']);
    expect(refusalClass(1809)).toBe('idempotent');
    expect([1810, 1815].map(refusalClass)).toEqual(['conflict', 'conflict']);
    expect([803, 614, 507, 1107, 1801].map(refusalClass)).toEqual(['other', 'other', 'other', 'other', 'other']);
  });

  it('decides as IoTDB: ignore at once, retry until the time has passed after one retry at least, -1 for ever', () => {
    const d = IOTDB_REFUSAL_OPTIONS;
    expect(d).toEqual({
      conflictStrategy: 'retry',
      conflictRetryMaxSeconds: 60,
      conflictRecordIgnoredData: true,
      othersRetryMaxSeconds: -1,
      othersRecordIgnoredData: true,
    });
    expect(decideRefusal(d, 'conflict', null)).toEqual({ action: 'retry', forSeconds: 60 });
    expect(decideRefusal(d, 'conflict', 59_000)).toEqual({ action: 'retry', forSeconds: 1 });
    expect(decideRefusal(d, 'conflict', 60_001)).toEqual({
      action: 'ignore',
      record: true,
      why: 'retried past conflict.retry-max-time-seconds=60',
    });
    const ignore: RefusalOptions = { ...d, conflictStrategy: 'ignore', conflictRecordIgnoredData: false };
    expect(decideRefusal(ignore, 'conflict', null)).toEqual({
      action: 'ignore',
      record: false,
      why: 'resolve-strategy is ignore',
    });
    const forever: RefusalOptions = { ...d, conflictRetryMaxSeconds: -1 };
    expect(decideRefusal(forever, 'conflict', 1e12)).toEqual({ action: 'retry', forSeconds: Infinity });
    expect(decideRefusal(d, 'other', 1e12)).toEqual({ action: 'retry', forSeconds: Infinity });
    const others0: RefusalOptions = { ...d, othersRetryMaxSeconds: 0 };
    // Time 0 still retries once, as IoTDB's handler does.
    expect(decideRefusal(others0, 'other', null)).toEqual({ action: 'retry', forSeconds: 0 });
    expect(decideRefusal(others0, 'other', 1)).toMatchObject({ action: 'ignore', record: true });
    // Whatever the options, a busy receiver is waited for and an idempotent answer is delivery.
    expect(decideRefusal(others0, 'temporary', 1e12)).toEqual({ action: 'retry', forSeconds: Infinity });
    expect(decideRefusal(ignore, 'idempotent', null)).toEqual({ action: 'deliver' });
  });
});

/** A meter that keeps what it heard. */
function meter(): TransferMeter & { ignoredPoints: number[]; refusals: (string | null)[]; retries: number } {
  const heard = { ignoredPoints: [] as number[], refusals: [] as (string | null)[], retries: 0 };
  return Object.assign(heard, {
    sent() {},
    retried() {
      heard.retries++;
    },
    refused(m: string | null) {
      heard.refusals.push(m);
    },
    ignored(points: number) {
      heard.ignoredPoints.push(points);
    },
  });
}

/** Runs one request refused `refusals` times (then accepted) through a TransferRetry with `options`. */
async function refusedRun(options: RefusalOptions, refusals: ReceiverRefusal[], clockStepMs = 0) {
  const logs: string[] = [];
  const heard = meter();
  let clock = 0;
  const retry = new TransferRetry(
    (m) => logs.push(m),
    heard,
    options,
    () => {
      clock += clockStepMs;
      return clock;
    },
  );
  let attempts = 0;
  let resets = 0;
  await retry.run(
    async () => {
      const refusal = refusals[attempts++];
      if (refusal !== undefined) throw refusal;
    },
    () => resets++,
    () => tabletContents([TABLET]),
  );
  return { logs, heard, attempts, resets };
}

describe('the refusal layer of the retry discipline', () => {
  it('goes past a conflict at once with strategy ignore, logging its series and points', async () => {
    const options: RefusalOptions = { ...IOTDB_REFUSAL_OPTIONS, conflictStrategy: 'ignore' };
    const { logs, heard, attempts, resets } = await refusedRun(options, [CONFLICT(), CONFLICT()]);
    expect(attempts).toBe(1);
    expect(resets).toBe(0);
    expect(heard.ignoredPoints).toEqual([5]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(
      /^event=transfer-ignored class=conflict why="resolve-strategy is ignore" refused_seconds=0\.0/,
    );
    expect(logs[0]).toContain('request="batch of 1 tablets" points=5 data="root.db.d.i=3 root.db.d.j=2"');
    expect(logs[0]).toContain('code=1810 receiver="data type of root.db.d.i is not consistent, registered type INT32"');
  });

  it('retries a conflict on the same connection until its time has passed, then goes past it', async () => {
    const options: RefusalOptions = { ...IOTDB_REFUSAL_OPTIONS, conflictRetryMaxSeconds: 1 };
    // Each reading of the clock moves it 400 ms: refused first at 400 ms, then 400, 800 and
    // 1200 ms after that; the last is past the second.
    const { logs, heard, attempts, resets } = await refusedRun(
      options,
      [CONFLICT(), CONFLICT(), CONFLICT(), CONFLICT(), CONFLICT()],
      400,
    );
    expect(resets).toBe(0);
    expect(attempts).toBe(4);
    expect(heard.retries).toBe(3);
    expect(logs[0]).toMatch(
      /^pipe transfer refused \(conflict\), retried for 1\.0 s more: the receiver refused the batch of 1 tablets: 1810 /,
    );
    expect(logs.at(-1)).toContain(
      'event=transfer-ignored class=conflict why="retried past conflict.retry-max-time-seconds=1"',
    );
    expect(heard.refusals.at(-1)).toBeNull();
  });

  it('with record-ignored-data false logs that it went past, not the data; a later success clears the refusal shown', async () => {
    const options: RefusalOptions = {
      ...IOTDB_REFUSAL_OPTIONS,
      othersRetryMaxSeconds: 0,
      othersRecordIgnoredData: false,
    };
    const denied = new ReceiverRefusal(803, 'No permissions for this operation', 'tablet of root.db.d');
    const ignored = await refusedRun(options, [denied, denied], 1);
    expect(ignored.logs.at(-1)).toContain('class=other why="retried past others.retry-max-time-seconds=0"');
    expect(ignored.logs.at(-1)).toContain('data="not recorded"');
    expect(ignored.logs.at(-1)).not.toContain('root.db.d.i');

    const retried = await refusedRun(IOTDB_REFUSAL_OPTIONS, [denied, denied]);
    expect(retried.attempts).toBe(3);
    expect(retried.heard.refusals).toEqual([denied.message, denied.message, null]);
    expect(retried.heard.ignoredPoints).toEqual([]);
  });

  it('waits for a busy receiver whatever the options, and takes 1809 as delivered', async () => {
    const options: RefusalOptions = { ...IOTDB_REFUSAL_OPTIONS, othersRetryMaxSeconds: 0, conflictStrategy: 'ignore' };
    const busy = new ReceiverRefusal(1808, 'data folder /x is full', 'tablet of root.db.d');
    const waited = await refusedRun(options, [busy, busy, busy], 10_000);
    expect(waited.attempts).toBe(4);
    expect(waited.logs[0]).toContain('receiver busy: data folder /x is full');
    const applied = await refusedRun(options, [new ReceiverRefusal(1809, 'already there', 'tablet of root.db.d')]);
    expect(applied.attempts).toBe(1);
    expect(applied.heard.ignoredPoints).toEqual([]);
    expect(applied.logs).toEqual([
      'event=transfer-already-applied request="tablet of root.db.d" code=1809 receiver="already there"',
    ]);
  });
});

describe('what an ignored request is logged with', () => {
  it('counts the points of each series of tablets and of a sealed file (from its index)', () => {
    expect(tabletContents([TABLET, TABLET])).toEqual({ text: 'root.db.d.i=6 root.db.d.j=4', points: 10 });
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-ignored-'));
    try {
      const file = join(dir, 'f.tsfile');
      writeTsFile(file, 5);
      // root.sg.al.a has a null in its 3 rows.
      expect(fileContents(file)).toEqual({
        text: 'file f.tsfile: root.sg.al.a=2 root.sg.al.b=3 root.sg.d1.v=5',
        points: 10,
      });
      expect(fileContents(join(dir, 'gone.tsfile')).text).toMatch(/^file gone\.tsfile \(/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a refusal for good on a sink with requests in flight', () => {
  it('rejects the window’s failed promise at once, with nothing more submitted', async () => {
    const window = new DeliveryWindow(8, 0);
    await window.submit(1, async () => {
      await new Promise((r) => setTimeout(r, 20));
      throw new PermanentTransferError('refused');
    });
    await expect(window.failed).rejects.toThrow('refused');
  });

  it('stops the pipe while it waits for its next event, not at the next one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-prompt-stop-'));
    const engine = StorageEngine.open({ dir, flushInWorker: false });
    // A batching sink: the write is handed over at once and refused a little later.
    const sink: PipeConnector = {
      inFlightMax: 64,
      handshake: async () => {},
      transferTablet: () =>
        new Promise((_, reject) =>
          setTimeout(() => reject(new PermanentTransferError('the receiver refused the handshake')), 50),
        ),
      transferFile: async () => {},
      transferDeletion: async () => {},
      close: () => {},
    };
    const failures: string[] = [];
    const filter = new PathPrefixFilter('root');
    const task = new PipeTask({
      name: 'p',
      engine,
      connector: sink,
      filter,
      history: null,
      inclusion: pipeInclusion('data', null),
      realtime: true,
      forwarding: true,
      progress: { historyDone: true, filesDone: [], realtimeFrom: engine.arrivalHighWater },
      slots: new SubtaskSlots(1),
      save: () => {},
      fail: (m) => failures.push(m),
      log: () => {},
    });
    try {
      await engine.write(TABLET);
      const until = Date.now() + 30_000;
      while (failures.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(failures).toEqual(['the receiver refused the handshake']);
    } finally {
      await task.stop();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
