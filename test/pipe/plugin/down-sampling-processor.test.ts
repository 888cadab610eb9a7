import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessorPlugin } from '../../../pipe/plugin/plugin-api.js';
import { loadPluginModule } from '../../../pipe/plugin/plugin-module.js';
import { PipeParameters } from '../../../pipe/plugin/plugin-parameters.js';
import { ProcessorStage } from '../../../pipe/plugin/processor-stage.js';
import { DataType } from '../../../tsfile/data-type.js';
import { doubles, RecordingConnector, runtime, writeTsFile } from './plugin-fixtures.js';

const EXAMPLE = resolve('examples/plugins/down-sampling-processor.mjs');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function downSampler(interval: string): Promise<{ stage: ProcessorStage; downstream: RecordingConnector }> {
  const plugin = await loadPluginModule(EXAMPLE, 'DownSamplingProcessor');
  const downstream = new RecordingConnector();
  const stage = new ProcessorStage(plugin.create() as ProcessorPlugin, downstream, runtime({ interval }));
  await stage.handshake();
  return { stage, downstream };
}

describe('the example down-sampling processor', () => {
  it('is a processor plugin that declares its interval', async () => {
    const plugin = await loadPluginModule(EXAMPLE, 'DownSamplingProcessor');
    expect(plugin.role).toBe('processor');
    expect(plugin.parameters).toEqual([
      expect.objectContaining({ name: 'interval', type: 'integer', default: '1000' }),
    ]);
    const instance = plugin.create() as ProcessorPlugin;
    expect(() => instance.validate?.(new PipeParameters(new Map([['interval', '0']])))).toThrow(
      'processor.interval must be a positive number',
    );
  });

  it('keeps the first point of each series per window, across events', async () => {
    const { stage, downstream } = await downSampler('10');
    await stage.transferTablet(doubles('root.sg.d', [0, 3, 9, 10, 11, 25], [0, 3, 9, 10, 11, 25]));
    await stage.transferTablet(doubles('root.sg.d', [26, 29, 30, -5], [26, 29, 30, -5]));
    await stage.transferTablet(doubles('root.sg.e', [1, 2], [1, 2]));
    expect(downstream.received).toEqual(['tablet root.sg.d 0,10,25', 'tablet root.sg.d 30', 'tablet root.sg.e 1']);
    expect([...(downstream.tablets[0]!.columns[0] as Float64Array)]).toEqual([0, 10, 25]);
  });

  it('samples each column of a multi-column tablet on its own, marking the cells it drops null', async () => {
    const { stage, downstream } = await downSampler('10');
    await stage.transferTablet({
      device: 'root.sg.al',
      aligned: true,
      rowCount: 3,
      measurements: ['a', 'b'],
      dataTypes: [DataType.INT32, DataType.TEXT],
      times: BigInt64Array.of(1n, 2n, 12n),
      columns: [Int32Array.of(1, 2, 12), ['x', 'y', 'z'].map((s) => new TextEncoder().encode(s))],
      // a is null at time 1, so its first point in [0, 10) is the one at time 2.
      nulls: [Uint8Array.of(1, 0, 0), null],
    });
    const [tablet] = downstream.tablets;
    expect([...tablet!.times]).toEqual([1n, 2n, 12n]);
    expect(tablet!.nulls).toEqual([Uint8Array.of(1, 0, 0), Uint8Array.of(0, 1, 0)]);
  });

  it('reads a history file into tablets and down-samples them; deletions pass through', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-sampling-'));
    dirs.push(dir);
    const file = join(dir, 'history.tsfile');
    writeTsFile(file, 25);
    const { stage, downstream } = await downSampler('10');
    await stage.transferFile(file);
    await stage.transferDeletion({ pattern: 'root.sg.**', start: 0n, end: 5n });
    expect(downstream.received).toEqual(['tablet root.sg.al 1', 'tablet root.sg.d1 0,10,20', 'delete root.sg.** 0..5']);
  });
});
