// TsFile write and read speed: 1 device x 10 series x 1,000,000 points, one thread.
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Compression } from '../tsfile/compression-type.js';
import { DataType } from '../tsfile/data-type.js';
import { Encoding } from '../tsfile/encoding-type.js';
import { TsFileReader } from '../tsfile/read/tsfile-reader.js';
import type { Tablet } from '../tsfile/tablet.js';
import { TsFileWriter } from '../tsfile/write/tsfile-writer.js';
import { mulberry32, report, timed, unit } from './bench-util.js';

const SERIES = 10;
const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const TABLET_ROWS = 1024;
const START_TIME = 1_700_000_000_000;

interface Case {
  name: string;
  dataType: DataType;
  encoding: Encoding;
  /** The columns s0..s9 of the whole data set. */
  generate(): (BigInt64Array | Float64Array)[];
}

/*
 * The data sets, drawn row by row (for each row, one mulberry32 output per series), so that
 * other implementations can regenerate them bit for bit:
 * - INT64 (seed 1): a counter starting at u, adding u % 3 per step;
 * - DOUBLE (seed 2): with x = u / 2^32, a walk starting at x*100, adding (x - 0.5)*0.2 per step.
 */
function counters(): BigInt64Array[] {
  const next = mulberry32(1);
  const columns = Array.from({ length: SERIES }, () => new BigInt64Array(POINTS));
  const last = new Array<number>(SERIES).fill(0);
  for (let i = 0; i < POINTS; i++) {
    for (let s = 0; s < SERIES; s++) {
      const u = next();
      last[s] = i === 0 ? u : last[s]! + (u % 3);
      columns[s]![i] = BigInt(last[s]!);
    }
  }
  return columns;
}

function walks(): Float64Array[] {
  const next = mulberry32(2);
  const columns = Array.from({ length: SERIES }, () => new Float64Array(POINTS));
  for (let i = 0; i < POINTS; i++) {
    for (let s = 0; s < SERIES; s++) {
      const x = unit(next);
      columns[s]![i] = i === 0 ? x * 100 : columns[s]![i - 1]! + (x - 0.5) * 0.2;
    }
  }
  return columns;
}

const cases: Case[] = [
  { name: 'int64_ts2diff_lz4', dataType: DataType.INT64, encoding: Encoding.TS_2DIFF, generate: counters },
  { name: 'double_gorilla_lz4', dataType: DataType.DOUBLE, encoding: Encoding.GORILLA, generate: walks },
];

const times = new BigInt64Array(POINTS);
for (let i = 0; i < POINTS; i++) times[i] = BigInt(START_TIME + i * 1000);

function writeFile(path: string, c: Case, columns: (BigInt64Array | Float64Array)[]): void {
  const names = columns.map((_, s) => `s${s}`);
  const writer = TsFileWriter.create(path);
  writer.registerDevice({
    device: 'root.bench.d0',
    aligned: false,
    measurements: names.map((name) => ({
      name,
      dataType: c.dataType,
      encoding: c.encoding,
      compression: Compression.LZ4,
    })),
  });
  for (let from = 0; from < POINTS; from += TABLET_ROWS) {
    const to = Math.min(POINTS, from + TABLET_ROWS);
    const tablet: Tablet = {
      device: 'root.bench.d0',
      measurements: names,
      dataTypes: names.map(() => c.dataType),
      times: times.subarray(from, to),
      columns: columns.map((col) => col.subarray(from, to)),
      nulls: names.map(() => null),
      rowCount: to - from,
      aligned: false,
    };
    writer.write(tablet);
  }
  writer.close();
}

function readFile(path: string): number {
  const reader = TsFileReader.open(path);
  let points = 0;
  for (let s = 0; s < SERIES; s++)
    for (const block of reader.readSeries('root.bench.d0', `s${s}`)) points += block.length;
  reader.close();
  return points;
}

for (const c of cases) {
  const columns = c.generate();
  const path = join(tmpdir(), `bench-${c.name}-${process.pid}.tsfile`);
  const total = SERIES * POINTS;
  // Warm-up on a copy, then the timed run.
  writeFile(path, c, columns);
  rmSync(path);
  const w = timed(() => writeFile(path, c, columns));
  const bytes = statSync(path).size;
  readFile(path);
  const r = timed(() => readFile(path));
  if (r.result !== total) throw new Error(`read ${r.result} points, wrote ${total}`);
  report(`tsfile_write_${c.name}`, total / w.seconds, 'points/s');
  report(`tsfile_read_${c.name}`, total / r.seconds, 'points/s');
  report(`tsfile_size_${c.name}`, bytes / total, 'bytes/point');
  rmSync(path);
}
