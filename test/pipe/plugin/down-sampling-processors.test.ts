import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveClause } from '../../../pipe/pipe-definition.js';
import { findPlugin } from '../../../pipe/plugin/builtin-plugins.js';
import { checkDownSampling, downSamplingStage } from '../../../pipe/plugin/down-sampling/down-sampling-processors.js';
import { SeriesStateCache } from '../../../pipe/plugin/down-sampling/series-state-cache.js';
import { DataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { RecordingConnector, writeTsFile } from './plugin-fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A processor clause as CREATE PIPE reads it, and its stage in front of a recording connector. */
function stage(name: string, attributes: Record<string, string> = {}) {
  const clause: [string, string][] = [['processor', name], ...Object.entries(attributes)];
  const processor = resolveClause('processor', clause, (role, n) => findPlugin(role, n));
  checkDownSampling(processor);
  const downstream = new RecordingConnector();
  const connector = downSamplingStage(processor, downstream, 'ms');
  if (connector === null) throw new Error(`${name} is not a down-sampling processor`);
  return { connector, downstream };
}

/** One DOUBLE series of root.sg.d; null values are given as null. */
function series(points: readonly (readonly [number, number | null])[], measurement = 'v'): Tablet {
  return table([measurement], [DataType.DOUBLE], points);
}

type Cell = number | string | null;

/** A tablet of root.sg.d from rows `[time, ...cells]`; a cell of null is a null. */
function table(measurements: string[], dataTypes: DataType[], rows: readonly (readonly [number, ...Cell[]])[]): Tablet {
  const column = (j: number) => {
    const cells = rows.map((r) => r[j + 1] ?? null);
    switch (dataTypes[j]) {
      case DataType.TEXT:
        return cells.map((c) => new TextEncoder().encode(String(c ?? '')));
      case DataType.BOOLEAN:
        return Uint8Array.from(cells, (c) => Number(c ?? 0));
      default:
        return Float64Array.from(cells, (c) => Number(c ?? 0));
    }
  };
  return {
    device: 'root.sg.d',
    aligned: false,
    rowCount: rows.length,
    measurements,
    dataTypes,
    times: BigInt64Array.from(rows, ([t]) => BigInt(t)),
    columns: measurements.map((_, j) => column(j)),
    nulls: measurements.map((_, j) =>
      rows.some((r) => r[j + 1] === null) ? Uint8Array.from(rows, (r) => (r[j + 1] === null ? 1 : 0)) : null,
    ),
  };
}

/** What arrived: per tablet, its rows as `time:value` (`-` for null) per column. */
function arrived(downstream: RecordingConnector): string[][] {
  return downstream.tablets.map((t) =>
    Array.from({ length: t.rowCount }, (_, i) =>
      [
        String(t.times[i]),
        ...t.columns.map((c, j) => {
          if (t.nulls[j]?.[i] === 1) return '-';
          const v = (c as ArrayLike<unknown>)[i];
          return v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);
        }),
      ].join(':'),
    ),
  );
}

describe("IoTDB's tumbling-time-sampling-processor", () => {
  it('keeps a point of a series once interval-seconds lie between it and the last kept one, across batches and out of order', async () => {
    const { connector, downstream } = stage('tumbling-time-sampling-processor', {
      'processor.tumbling-time.interval-seconds': '10',
    });
    // 1-second data, then a late point (3 s) that lies within 10 s of the kept 10 s.
    await connector.transferTablet(
      series([...Array.from({ length: 13 }, (_, s) => [s * 1000, s] as const), [3000, 99]]),
    );
    // The next batch: 20 s and 30.5 s are kept; 25 s is within 10 s of 30.5 s; 5 s lies 25.5 s
    // from 30.5 s, so it is kept and becomes the reference, and 15 s is 10 s from it.
    await connector.transferTablet(
      series([
        [20000, 20],
        [30500, 30],
        [25000, 25],
        [5000, 5],
        [15000, 15],
      ]),
    );
    expect(arrived(downstream)).toEqual([
      ['0:0', '10000:10'],
      ['20000:20', '30500:30', '5000:5', '15000:15'],
    ]);
  });

  it('forwards a row whole when one of its points is kept, skipping nulls; a batch with nothing kept sends nothing', async () => {
    const { connector, downstream } = stage('tumbling-time-sampling-processor', {
      'processor.tumbling-time.interval-seconds': '10',
    });
    const rows: [number, number | null, number | null][] = [
      [0, 1, null],
      [5000, null, 2],
      [10000, 3, 4],
      [12000, 5, null],
    ];
    await connector.transferTablet(table(['a', 'b'], [DataType.DOUBLE, DataType.DOUBLE], rows));
    // Row 10 s: `a` is kept (10 s after 0 s); `b` (5 s after its first point) goes along in the row.
    expect(arrived(downstream)).toEqual([['0:1:-', '5000:-:2', '10000:3:4']]);
    await connector.transferTablet(series([[15000, 1]], 'a'));
    expect(downstream.tablets).toHaveLength(1);
  });

  it('converts the interval to the node’s time unit', () => {
    const clause: [string, string][] = [
      ['processor', 'tumbling-time-sampling-processor'],
      ['processor.tumbling-time.interval-seconds', '1'],
    ];
    const processor = resolveClause('processor', clause, (role, n) => findPlugin(role, n));
    const downstream = new RecordingConnector();
    const us = downSamplingStage(processor, downstream, 'us')!;
    return us
      .transferTablet(
        series([
          [0, 0],
          [999_999, 1],
          [1_000_000, 2],
        ]),
      )
      .then(() => expect(arrived(downstream)).toEqual([['0:0', '1000000:2']]));
  });
});

describe("IoTDB's changing-value-sampling-processor", () => {
  it('keeps a value that moved more than the deviation from the last kept one; drops same-time, older and null points', async () => {
    const { connector, downstream } = stage('changing-value-sampling-processor', {
      'processor.changing-value.compression-deviation': '1',
    });
    await connector.transferTablet(
      series([
        [1, 10], // first: kept
        [2, 10.5], // 0.5 from 10
        [3, 11.5], // 1.5 from 10: kept
        [3, 20], // same time as the last kept
        [2, 30], // older than the last kept
        [4, null],
        [5, 10.4], // 1.1 from 11.5: kept
        [6, 11.4], // 1.0 from 10.4: not more than the deviation
      ]),
    );
    await connector.transferTablet(series([[7, 12.5]])); // 2.1 from 10.4, state kept across batches
    expect(arrived(downstream)).toEqual([['1:10', '3:11.5', '5:10.4'], ['7:12.5']]);
  });

  it('honours min-time-interval and max-time-interval, and nulls out the points of a row it does not keep', async () => {
    const { connector, downstream } = stage('changing-value-sampling-processor', {
      'processor.changing-value.compression-deviation': '100',
      'processor.changing-value.min-time-interval': '2',
      'processor.changing-value.max-time-interval': '5',
    });
    const rows: [number, number, string][] = [
      [0, 0, 'a'], // both first
      [2, 500, 'b'], // 2 <= min: both dropped
      [3, 50, 'b'], // v: within the deviation; t: changed
      [5, 1, 'b'], // v: 5 >= max since 0: kept; t: unchanged
      [6, 2, 'c'], // v: 1 <= min: dropped; t: 3 since 3, changed
    ];
    await connector.transferTablet(table(['v', 't'], [DataType.DOUBLE, DataType.TEXT], rows));
    expect(arrived(downstream)).toEqual([['0:0:a', '3:-:b', '5:1:-', '6:-:c']]);
  });

  it("refuses IoTDB's invalid settings with IoTDB's messages", () => {
    expect(() =>
      stage('changing-value-sampling-processor', {
        'processor.changing-value.min-time-interval': '10',
        'processor.changing-value.max-time-interval': '5',
      }),
    ).toThrow(
      'processor.changing-value.min-time-interval must be <= processor.changing-value.max-time-interval, but got 10 and 5',
    );
    expect(() =>
      stage('changing-value-sampling-processor', { 'processor.changing-value.compression-deviation': '-1' }),
    ).toThrow('processor.changing-value.compression-deviation must be >= 0');
    expect(() => stage('sdt-sampling-processor', { 'processor.sdt.compression-deviation': 'wide' })).toThrow(
      "invalid value 'wide' of 'processor.sdt.compression-deviation': expected a number",
    );
    expect(() =>
      stage('tumbling-time-sampling-processor', { 'processor.down-sampling.memory-limit-in-bytes': '0' }),
    ).toThrow('processor.down-sampling.memory-limit-in-bytes must be > 0');
  });
});

describe("IoTDB's sdt-sampling-processor (swinging door)", () => {
  it('keeps nothing but the first point while every point stays inside the corridor, then the point that breaks it', async () => {
    const { connector, downstream } = stage('sdt-sampling-processor', { 'processor.sdt.compression-deviation': '0.5' });
    // On the line v = t the doors narrow towards slope 1 but never cross:
    // at t=1 upper 0.5, lower 1.5; t=2 0.75, 1.25; t=3 0.833, 1.167; t=10 0.95, 1.05.
    await connector.transferTablet(
      series([
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
        [10, 10],
      ]),
    );
    // (11, 20): upper (20 - 0.5) / 11 = 1.77 > lower 1.05: the doors cross.
    await connector.transferTablet(series([[11, 20]]));
    expect(arrived(downstream)).toEqual([['0:0'], ['11:20']]);
  });

  it('follows the corridor from each new pivot, across batches, out of order and with nulls', async () => {
    const { connector, downstream } = stage('sdt-sampling-processor', { 'processor.sdt.compression-deviation': '1' });
    await connector.transferTablet(
      series([
        [0, 0], // first: pivot (0, 0)
        [1, 0.5], // upper stays at its opening, lower 1.5
        [2, 1], // lower 1
        [3, 1.5], // upper 0.167, lower 0.833
        [4, null],
        [4, 5], // upper 1 > lower 0.833: kept; pivot (3, 1.5); doors 1 and 1.5
        [5, 5.2], // upper 1.35, lower 1.5
        [6, 5.4], // upper 1.35, lower 1.5
        [7, 2], // lower 0.375 < upper 1.35: kept; pivot (6, 5.4); doors -0.125 and 0.375
      ]),
    );
    await connector.transferTablet(
      series([
        [8, 2], // from (6, 5.4): lower -1.2 < upper -0.125: kept; pivot (7, 2); doors -2.2 and -1.2
        [9, 2], // upper -0.5 > lower -1.2: kept; pivot (8, 2); doors -0.5 and 0.5
        [10, 2], // upper -0.5, lower 0.5: dropped
        [8, 7], // at the pivot's time: dropped
        [6, 3], // 2 before the pivot: slopes over -2: upper -0 > lower -1: kept
      ]),
    );
    expect(arrived(downstream)).toEqual([
      ['0:0', '4:5', '7:2'],
      ['8:2', '9:2', '6:3'],
    ]);
  });

  it('keeps a point max-time-interval from the pivot, drops one within min-time-interval, compares booleans for change', async () => {
    const { connector, downstream } = stage('sdt-sampling-processor', {
      'processor.sdt.compression-deviation': '100',
      'processor.sdt.min-time-interval': '1',
      'processor.sdt.max-time-interval': '5',
    });
    const rows: [number, number, number][] = [
      [0, 0, 1],
      [1, 50, 0], // both within min-time-interval of their pivots
      [3, 50, 1], // v inside the corridor; b unchanged
      [5, 0, 0], // v: 5 from its pivot: kept; b changed: kept
      [7, 0, 0], // v: inside; b unchanged
    ];
    await connector.transferTablet(table(['v', 'b'], [DataType.DOUBLE, DataType.BOOLEAN], rows));
    expect(arrived(downstream)).toEqual([['0:0:1', '5:0:0']]);
  });
});

describe('down-sampling history files', () => {
  it('ships a history file whole by default, and reads it into tablets and samples it with split-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'down-sampling-'));
    dirs.push(dir);
    const path = join(dir, 'history.tsfile');
    // root.sg.d1.v: times 0..99, value = time; aligned root.sg.al(a INT32, b TEXT).
    writeTsFile(path, 100);
    const whole = stage('changing-value-sampling-processor', {
      'processor.changing-value.compression-deviation': '30',
    });
    await whole.connector.transferFile(path);
    expect(whole.downstream.received).toEqual([`file ${path}`]);

    const split = stage('changing-value-sampling-processor', {
      'processor.changing-value.compression-deviation': '30',
      'processor.down-sampling.split-file': 'true',
    });
    await split.connector.transferFile(path);
    const d1 = split.downstream.tablets.filter((t) => t.device === 'root.sg.d1');
    expect(d1.flatMap((t) => [...t.times].map(Number))).toEqual([0, 31, 62, 93]);
    expect(split.downstream.received.some((r) => r.startsWith('file'))).toBe(false);
  });
});

describe('per-series state within its memory limit', () => {
  it('drops the series used least recently, which start afresh', () => {
    // Each key of 3 characters costs 6 + 64 bytes: two fit in 140.
    const cache = new SeriesStateCache<number>(140);
    cache.set('s.a', 1);
    cache.set('s.b', 2);
    expect(cache.get('s.a')).toBe(1);
    cache.set('s.c', 3);
    expect(cache.get('s.b')).toBeUndefined();
    expect(cache.get('s.a')).toBe(1);
    expect(cache.get('s.c')).toBe(3);
    expect(cache.size).toBe(2);
  });
});
