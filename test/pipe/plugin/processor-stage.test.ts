import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentTransferError } from '../../../pipe/connector/pipe-connector.js';
import type { EventCollector, PipeEvent, ProcessorPlugin } from '../../../pipe/plugin/plugin-api.js';
import { PipeStoppingError } from '../../../pipe/plugin/plugin-call.js';
import { ProcessorStage } from '../../../pipe/plugin/processor-stage.js';
import { UserConnector } from '../../../pipe/plugin/user-connector.js';
import { doubles, RecordingConnector, runtime, writeTsFile } from './plugin-fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A processor from a `process` function. */
function processor(process: (event: PipeEvent, collector: EventCollector) => unknown): ProcessorPlugin {
  return {
    async process(event, collector) {
      await process(event, collector);
    },
  };
}

describe('a user processor in front of the connector', () => {
  it('customizes once, then hands on what it collects, in order', async () => {
    const downstream = new RecordingConnector();
    const seen: string[] = [];
    const plugin: ProcessorPlugin = {
      customize: (parameters, context) => {
        seen.push(
          `customize factor=${parameters.get('factor')} pipe=${context.pipeName} arrow=${typeof context.arrow.RecordBatch}`,
        );
      },
      async process(event, collector) {
        if (event.kind !== 'tablet-insertion') return collector.collect(event);
        const { tablet } = event;
        const scaled = Float64Array.from(tablet.columns[0] as Float64Array, (v) => v * 10);
        // Two events out of one: the original, then a scaled copy on another device.
        void collector.collect(event);
        await collector.collect(event.withTablet({ ...tablet, device: 'root.scaled', columns: [scaled] }));
      },
      close: () => {
        seen.push('close');
      },
    };
    const stage = new ProcessorStage(plugin, downstream, runtime({ factor: '10' }));
    await stage.handshake();
    await stage.handshake();
    await stage.transferTablet(doubles('root.sg.d', [1, 2], [1.5, 2.5]));
    await stage.transferDeletion({ pattern: 'root.sg.**', start: 0n, end: 9n });
    stage.close();
    stage.close();
    expect(seen).toEqual(['customize factor=10 pipe=p arrow=function', 'close']);
    expect(downstream.handshakes).toBe(2);
    expect(downstream.received).toEqual(['tablet root.sg.d 1,2', 'tablet root.scaled 1,2', 'delete root.sg.** 0..9']);
    expect([...(downstream.tablets[1]!.columns[0] as Float64Array)]).toEqual([15, 25]);
    expect(downstream.closed).toBe(true);
  });

  it('drops what the processor does not collect, and acknowledges it', async () => {
    const downstream = new RecordingConnector();
    const stage = new ProcessorStage(
      processor(() => {}),
      downstream,
      runtime(),
    );
    await stage.transferTablet(doubles('root.sg.d', [1], [1]));
    expect(downstream.received).toEqual([]);
  });

  it('retries a throwing processor, then fails the pipe with its message', async () => {
    const logs: string[] = [];
    let calls = 0;
    const flaky = new ProcessorStage(
      processor((event, collector) => {
        if (++calls < 3) throw new Error(`not yet (${calls})`);
        return collector.collect(event);
      }),
      new RecordingConnector(),
      runtime({}, logs),
    );
    await flaky.transferTablet(doubles('root.sg.d', [1], [1]));
    expect(calls).toBe(3);
    expect(logs).toEqual([
      'processor TEST failed (attempt 1 of 3), retrying in 1 ms: not yet (1)',
      'processor TEST failed (attempt 2 of 3), retrying in 2 ms: not yet (2)',
    ]);

    const broken = new ProcessorStage(
      processor(async () => {
        throw new Error('boom');
      }),
      new RecordingConnector(),
      runtime(),
    );
    const failure = await broken.transferTablet(doubles('root.sg.d', [1], [1])).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PermanentTransferError);
    expect((failure as Error).message).toBe('processor TEST failed 3 times; last error: boom');
    // A throw that is not an Error counts the same.
    const odd = new ProcessorStage(
      processor(() => {
        throw 'just a string';
      }),
      new RecordingConnector(),
      runtime(),
    );
    await expect(odd.transferFile('/nowhere')).rejects.toThrow('last error: just a string');
  });

  it('passes a connector failure through untried, even when the processor did not await it', async () => {
    const downstream = new RecordingConnector();
    const refused = new PermanentTransferError('the receiver refused the tablet');
    downstream.failures.push(refused);
    let calls = 0;
    const stage = new ProcessorStage(
      processor((event, collector) => {
        calls++;
        void collector.collect(event);
        void collector.collect(event);
      }),
      downstream,
      runtime(),
    );
    await expect(stage.transferTablet(doubles('root.sg.d', [1], [1]))).rejects.toBe(refused);
    expect(calls).toBe(1);
    // The second collect was not sent after the first failed.
    expect(downstream.received).toEqual([]);
  });

  it('refuses malformed events a processor collects, as its own failure', async () => {
    const stage = new ProcessorStage(
      processor((event, collector) => {
        if (event.kind === 'tablet-insertion')
          void collector.collect(event.withTablet({ ...event.tablet, rowCount: 5 }));
      }),
      new RecordingConnector(),
      runtime(),
    );
    await expect(stage.transferTablet(doubles('root.sg.d', [1], [1]))).rejects.toThrow(
      'processor TEST failed 3 times; last error: tablet of root.sg.d: times must be a BigInt64Array of rowCount',
    );
  });

  it('abandons a processor that hangs when the pipe stops', async () => {
    const stage = new ProcessorStage(
      processor(() => new Promise(() => {})),
      new RecordingConnector(),
      runtime(),
    );
    const pending = stage.transferTablet(doubles('root.sg.d', [1], [1]));
    setTimeout(() => stage.close(), 20);
    await expect(pending).rejects.toBeInstanceOf(PipeStoppingError);
  });

  it('hands a history file over as a TsFile event that reads into tablets, or ships whole when collected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-stage-'));
    dirs.push(dir);
    const file = join(dir, '1-1-0-0.tsfile');
    writeTsFile(file, 5);
    const downstream = new RecordingConnector();
    const rows: string[] = [];
    const stage = new ProcessorStage(
      processor(async (event, collector) => {
        if (event.kind !== 'tsfile-insertion') return;
        for (const tablets of event.toTabletInsertionEvents()) {
          const { tablet } = tablets;
          rows.push(
            `${tablet.device} ${tablet.measurements.join('+')} aligned=${tablet.aligned} rows=${tablet.rowCount}`,
          );
          const nulls = tablet.nulls.map((n) => (n === null ? '-' : [...n.subarray(0, tablet.rowCount)].join('')));
          rows.push(`  nulls ${nulls.join(' ')}`);
        }
        await collector.collect(event);
      }),
      downstream,
      runtime(),
    );
    await stage.transferFile(file);
    expect(rows).toEqual([
      'root.sg.al a+b aligned=true rows=3',
      '  nulls 010 -',
      'root.sg.d1 v aligned=false rows=5',
      '  nulls -',
    ]);
    expect(downstream.received).toEqual([`file ${file}`]);
  });
});

describe('a user connector', () => {
  it('customizes and handshakes, transfers every event kind, retries, then fails with its message', async () => {
    const events: string[] = [];
    let failuresLeft = 1;
    const connector = new UserConnector(
      {
        customize: () => {
          events.push('customize');
        },
        handshake: () => {
          events.push('handshake');
        },
        transfer(event) {
          if (event.kind === 'deletion' && failuresLeft-- > 0) throw new Error('flaky');
          if (event.kind === 'tsfile-insertion' && event.path === '/bad') throw new Error('cannot ship /bad');
          events.push(event.kind);
        },
      },
      runtime(),
    );
    await connector.handshake();
    await connector.transferTablet(doubles('root.sg.d', [1], [1]));
    await connector.transferFile('/good');
    await connector.transferDeletion({ pattern: 'root.**', start: 0n, end: 1n });
    expect(events).toEqual(['customize', 'handshake', 'tablet-insertion', 'tsfile-insertion', 'deletion']);
    await expect(connector.transferFile('/bad')).rejects.toThrow(
      'connector TEST failed 3 times; last error: cannot ship /bad',
    );
  });
});
