import { describe, expect, it } from 'vitest';
import { Compression } from '../../tsfile/compression-type.js';
import { DataType } from '../../tsfile/data-type.js';
import { Encoding } from '../../tsfile/encoding-type.js';
import { BloomFilter } from '../../tsfile/format/bloom-filter.js';
import { TIME_COLUMN_MASK, VALUE_COLUMN_MASK } from '../../tsfile/format/tsfile-format.js';
import { pagesOf, TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { MemoryOutput } from '../../tsfile/write/file-output.js';
import { TsFileWriteError, TsFileWriter } from '../../tsfile/write/tsfile-writer.js';
import type { WriterOptions } from '../../tsfile/write/writer-options.js';

function int64Tablet(device: string, names: string[], start: number, rows: number): Tablet {
  const times = new BigInt64Array(rows);
  for (let i = 0; i < rows; i++) times[i] = BigInt(start + i);
  return {
    device,
    measurements: names,
    dataTypes: names.map(() => DataType.INT64),
    times,
    columns: names.map((_, j) => BigInt64Array.from(times, (t) => t * BigInt(j + 1))),
    nulls: names.map(() => null),
    rowCount: rows,
    aligned: false,
  };
}

function writeToBuffer(build: (w: TsFileWriter) => void, options: Partial<WriterOptions> = {}): Buffer {
  const out = new MemoryOutput();
  const writer = new TsFileWriter(out, options);
  build(writer);
  writer.close();
  return out.toBuffer();
}

const int64Series = (name: string) => ({
  name,
  dataType: DataType.INT64,
  encoding: Encoding.TS_2DIFF,
  compression: Compression.LZ4,
});

describe('TsFileWriter + TsFileReader', () => {
  it('writes the head and tail magic and indexes every device', () => {
    const bytes = writeToBuffer((w) => {
      for (const d of ['root.sg.d2', 'root.sg.d1']) {
        w.registerDevice({ device: d, aligned: false, measurements: [int64Series('s1')] });
        w.write(int64Tablet(d, ['s1'], 0, 10));
      }
    });
    expect(bytes.subarray(0, 7).toString('latin1')).toBe('TsFile\u0003');
    expect(bytes.subarray(-6).toString('latin1')).toBe('TsFile');
    const reader = TsFileReader.fromBuffer(bytes);
    expect(reader.devices()).toEqual(['root.sg.d1', 'root.sg.d2']);
    expect(reader.bloomFilter?.mightContain('root.sg.d1.s1')).toBe(true);
    expect(reader.bloomFilter?.mightContain('root.sg.d9.s1')).toBe(false);
  });

  it('splits pages at maxPointsInPage and skips pages outside the time range', () => {
    const bytes = writeToBuffer(
      (w) => {
        w.registerDevice({ device: 'root.sg.d', aligned: false, measurements: [int64Series('s')] });
        w.write(int64Tablet('root.sg.d', ['s'], 1000, 10_000));
      },
      { maxPointsInPage: 1000 },
    );
    const reader = TsFileReader.fromBuffer(bytes);
    const [chunk] = [...reader.chunks('root.sg.d')];
    expect(chunk!.header.marker).toBe(1);
    const blocks = [...reader.readSeries('root.sg.d', 's', { start: 5500n, end: 6499n })];
    expect(blocks.map((b) => b.length)).toEqual([500, 500]);
    expect(blocks[0]!.times[0]).toBe(5500n);
    expect(blocks[1]!.times[499]).toBe(6499n);
    const meta = reader.timeseries('root.sg.d')[0]!;
    expect(meta.statistics.count).toBe(10_000);
    expect(meta.statistics.minValue).toBe(1000n);
    expect(meta.statistics.maxValue).toBe(10_999n);
  });

  it('ends RLBE pages at 1 500 points, as the reference writer does, aligned or not', () => {
    const rows = 4000;
    const times = BigInt64Array.from({ length: rows }, (_, i) => BigInt(i));
    const f = Float32Array.from({ length: rows }, (_, i) => i / 4);
    const n = Int32Array.from({ length: rows }, (_, i) => i);
    const schema = (aligned: boolean) => ({
      device: aligned ? 'root.sg.al' : 'root.sg.d',
      aligned,
      measurements: [
        { name: 'f', dataType: DataType.FLOAT, encoding: Encoding.RLBE, compression: Compression.UNCOMPRESSED },
        { name: 'n', dataType: DataType.INT32, encoding: Encoding.PLAIN, compression: Compression.UNCOMPRESSED },
      ],
    });
    const bytes = writeToBuffer((w) => {
      for (const aligned of [false, true]) {
        const s = schema(aligned);
        w.registerDevice(s);
        w.write({
          device: s.device,
          measurements: ['f', 'n'],
          dataTypes: [DataType.FLOAT, DataType.INT32],
          times,
          columns: [f, n],
          nulls: [null, null],
          rowCount: rows,
          aligned,
        });
      }
    });
    const reader = TsFileReader.fromBuffer(bytes);
    const pageCounts = (device: string) =>
      [...reader.chunks(device)].map((c) => `${c.header.measurementId}:${[...pagesOf(c)].length}`);
    // 1500 + 1500 + 1000 points; the PLAIN series alone fits one page.
    expect(pageCounts('root.sg.d')).toEqual(['f:3', 'n:1']);
    expect(pageCounts('root.sg.al')).toEqual([':3', 'f:3', 'n:3']);
    expect([...reader.readSeries('root.sg.d', 'f')].flatMap((b) => [...(b.values as Float32Array)])).toEqual([...f]);
  });

  it('writes several chunk groups when flushed in between', () => {
    const bytes = writeToBuffer((w) => {
      w.registerDevice({ device: 'root.sg.d', aligned: false, measurements: [int64Series('s')] });
      w.write(int64Tablet('root.sg.d', ['s'], 0, 100));
      w.flushChunkGroups();
      w.write(int64Tablet('root.sg.d', ['s'], 100, 100));
    });
    const reader = TsFileReader.fromBuffer(bytes);
    const meta = reader.timeseries('root.sg.d')[0]!;
    expect(meta.chunks.length).toBe(2);
    expect(meta.type & 1).toBe(1);
    expect([...reader.readSeries('root.sg.d', 's')].reduce((n, b) => n + b.length, 0)).toBe(200);
  });

  it('builds internal index nodes past 256 devices and 256 series', () => {
    const names = Array.from({ length: 300 }, (_, i) => `s${String(i).padStart(3, '0')}`);
    const devices = Array.from({ length: 300 }, (_, i) => `root.sg.d${String(i).padStart(3, '0')}`);
    const bytes = writeToBuffer((w) => {
      w.registerDevice({ device: 'root.a.wide', aligned: false, measurements: names.map(int64Series) });
      w.write(int64Tablet('root.a.wide', names, 0, 3));
      for (const d of devices) {
        w.registerDevice({ device: d, aligned: false, measurements: [int64Series('s')] });
        w.write(int64Tablet(d, ['s'], 0, 2));
      }
    });
    const reader = TsFileReader.fromBuffer(bytes);
    expect(reader.devices().length).toBe(301);
    expect(reader.timeseries('root.a.wide').map((m) => m.measurementId)).toEqual(names);
    expect([...reader.readSeries('root.sg.d299', 's')][0]!.times).toEqual(BigInt64Array.of(0n, 1n));
  });

  it('writes aligned devices with nulls and all-null pages', () => {
    const rows = 30;
    const times = BigInt64Array.from({ length: rows }, (_, i) => BigInt(100 + i));
    const a = Int32Array.from({ length: rows }, (_, i) => i);
    const b = Float64Array.from({ length: rows }, (_, i) => i / 2);
    const aNulls = Uint8Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const bNulls = Uint8Array.from({ length: rows }, (_, i) => (i < 10 ? 1 : 0));
    const bytes = writeToBuffer(
      (w) => {
        w.registerDevice({
          device: 'root.sg.al',
          aligned: true,
          measurements: [
            { name: 'a', dataType: DataType.INT32, encoding: Encoding.PLAIN, compression: Compression.SNAPPY },
            { name: 'b', dataType: DataType.DOUBLE, encoding: Encoding.GORILLA, compression: Compression.LZ4 },
          ],
        });
        w.write({
          device: 'root.sg.al',
          measurements: ['a', 'b'],
          dataTypes: [DataType.INT32, DataType.DOUBLE],
          times,
          columns: [a, b],
          nulls: [aNulls, bNulls],
          rowCount: rows,
          aligned: true,
        });
      },
      { maxPointsInPage: 10 },
    );
    const reader = TsFileReader.fromBuffer(bytes);
    const series = reader.timeseries('root.sg.al');
    expect(series.map((m) => m.measurementId)).toEqual(['', 'a', 'b']);
    expect(series[0]!.type & TIME_COLUMN_MASK).toBe(TIME_COLUMN_MASK);
    expect(series[2]!.type & VALUE_COLUMN_MASK).toBe(VALUE_COLUMN_MASK);
    expect(series[2]!.statistics.count).toBe(20);
    const blocks = [...reader.readAligned('root.sg.al')];
    expect(blocks.length).toBe(3);
    expect(blocks[0]!.columns[1]!.nulls).toEqual(new Uint8Array(10).fill(1));
    const aPoints = [...reader.readSeries('root.sg.al', 'a')].flatMap((blk) => [...(blk.values as Int32Array)]);
    expect(aPoints).toEqual([...a].filter((_, i) => i % 3 !== 0));
    expect(reader.schema()).toEqual([
      {
        device: 'root.sg.al',
        aligned: true,
        measurements: [
          { name: 'a', dataType: DataType.INT32, encoding: Encoding.PLAIN, compression: Compression.SNAPPY },
          { name: 'b', dataType: DataType.DOUBLE, encoding: Encoding.GORILLA, compression: Compression.LZ4 },
        ],
      },
    ]);
  });

  it('keeps a value equal to the GORILLA end marker at the end of a page (NaN)', () => {
    const values = Float64Array.of(1.5, 2.5, Number.NaN);
    const bytes = writeToBuffer((w) => {
      w.registerDevice({
        device: 'root.sg.g',
        aligned: false,
        measurements: [
          { name: 'v', dataType: DataType.DOUBLE, encoding: Encoding.GORILLA, compression: Compression.SNAPPY },
        ],
      });
      w.write({
        device: 'root.sg.g',
        measurements: ['v'],
        dataTypes: [DataType.DOUBLE],
        times: BigInt64Array.of(1n, 2n, 3n),
        columns: [values],
        nulls: [null],
        rowCount: 3,
        aligned: false,
      });
    });
    const [block] = [...TsFileReader.fromBuffer(bytes).readSeries('root.sg.g', 'v')];
    expect(block!.length).toBe(3);
    expect(Number.isNaN((block!.values as Float64Array)[2])).toBe(true);
  });

  it('rejects rows that do not increase in time, and unknown series', () => {
    const w = new TsFileWriter(new MemoryOutput());
    w.registerDevice({ device: 'root.sg.d', aligned: false, measurements: [int64Series('s')] });
    w.write(int64Tablet('root.sg.d', ['s'], 10, 5));
    expect(() => w.write(int64Tablet('root.sg.d', ['s'], 12, 5))).toThrow(TsFileWriteError);
    expect(() => w.write(int64Tablet('root.sg.d', ['x'], 100, 5))).toThrow(/not registered/);
    expect(() => w.write(int64Tablet('root.sg.nope', ['s'], 100, 5))).toThrow(/not registered/);
  });
});

describe('BloomFilter', () => {
  it('sizes itself as the reference does', () => {
    const f = BloomFilter.forPaths(0.05, 1000);
    expect(f.size).toBe(6236);
    expect(f.hashFunctions).toBe(5);
    expect(BloomFilter.forPaths(0.05, 1).size).toBe(256);
  });
});
