import * as arrow from 'apache-arrow';
import type { PipeConnector, PipeDeletion } from '../../../pipe/connector/pipe-connector.js';
import type { RetryPolicy } from '../../../pipe/plugin/plugin-call.js';
import { PipeParameters } from '../../../pipe/plugin/plugin-parameters.js';
import type { PluginRuntime } from '../../../pipe/plugin/plugin-runtime.js';
import { Compression } from '../../../tsfile/compression-type.js';
import { DataType } from '../../../tsfile/data-type.js';
import { Encoding } from '../../../tsfile/encoding-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { TsFileWriter } from '../../../tsfile/write/tsfile-writer.js';

/** Tries fast, so retry tests take milliseconds. */
export const FAST_RETRY: RetryPolicy = { attempts: 3, firstDelayMs: 1, maxDelayMs: 4 };

export function runtime(parameters: Record<string, string | null> = {}, logs: string[] = []): PluginRuntime {
  const log = (m: string) => logs.push(m);
  return {
    name: 'TEST',
    parameters: new PipeParameters(new Map(Object.entries(parameters))),
    context: { pipeName: 'p', creationTime: 0, timestampPrecision: 'ms', arrow, log },
    retry: FAST_RETRY,
    log,
  };
}

/** What a connector was handed, in order, as short strings. */
export class RecordingConnector implements PipeConnector {
  readonly received: string[] = [];
  readonly tablets: Tablet[] = [];
  handshakes = 0;
  closed = false;
  /** Fails the next transfers with these errors, one each. */
  failures: Error[] = [];

  async handshake(): Promise<void> {
    this.handshakes++;
  }

  async transferTablet(tablet: Tablet): Promise<void> {
    this.fail();
    this.tablets.push(tablet);
    this.received.push(`tablet ${tablet.device} ${[...tablet.times.subarray(0, tablet.rowCount)].join(',')}`);
  }

  async transferFile(path: string): Promise<void> {
    this.fail();
    this.received.push(`file ${path}`);
  }

  async transferDeletion(deletion: PipeDeletion): Promise<void> {
    this.fail();
    this.received.push(`delete ${deletion.pattern} ${deletion.start}..${deletion.end}`);
  }

  close(): void {
    this.closed = true;
  }

  private fail(): void {
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
  }
}

export function doubles(device: string, times: readonly number[], values: readonly number[]): Tablet {
  return {
    device,
    aligned: false,
    rowCount: times.length,
    measurements: ['v'],
    dataTypes: [DataType.DOUBLE],
    times: BigInt64Array.from(times, BigInt),
    columns: [Float64Array.from(values)],
    nulls: [null],
  };
}

/** A sealed TsFile with root.sg.d1.v (DOUBLE, times 0..n-1, value = time) and aligned root.sg.al(a INT32, b TEXT). */
export function writeTsFile(path: string, n: number): void {
  const writer = TsFileWriter.create(path);
  writer.registerDevice({
    device: 'root.sg.d1',
    aligned: false,
    measurements: [{ name: 'v', dataType: DataType.DOUBLE, encoding: Encoding.GORILLA, compression: Compression.LZ4 }],
  });
  writer.registerDevice({
    device: 'root.sg.al',
    aligned: true,
    measurements: [
      { name: 'a', dataType: DataType.INT32, encoding: Encoding.TS_2DIFF, compression: Compression.LZ4 },
      { name: 'b', dataType: DataType.TEXT, encoding: Encoding.PLAIN, compression: Compression.LZ4 },
    ],
  });
  const times = Array.from({ length: n }, (_, i) => i);
  writer.write(doubles('root.sg.d1', times, times));
  writer.write({
    device: 'root.sg.al',
    aligned: true,
    rowCount: 3,
    measurements: ['a', 'b'],
    dataTypes: [DataType.INT32, DataType.TEXT],
    times: BigInt64Array.of(1n, 2n, 3n),
    columns: [Int32Array.of(10, 20, 30), ['x', 'y', 'z'].map((s) => new TextEncoder().encode(s))],
    nulls: [Uint8Array.of(0, 1, 0), null],
  });
  writer.close();
}
