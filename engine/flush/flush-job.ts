import { renameSync, rmSync, statSync } from 'node:fs';
import type { Compression } from '../../tsfile/compression-type.js';
import { allocateColumn, type ColumnValues, type DataType } from '../../tsfile/data-type.js';
import type { Encoding } from '../../tsfile/encoding-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { TsFileWriter } from '../../tsfile/write/tsfile-writer.js';

export interface FlushSeries {
  readonly name: string;
  readonly dataType: DataType;
  readonly encoding: Encoding;
  readonly compression: Compression;
  /** Sorted by time, no duplicate times. */
  readonly times: BigInt64Array;
  readonly values: ColumnValues;
}

export interface FlushDevice {
  readonly device: string;
  readonly aligned: boolean;
  readonly series: readonly FlushSeries[];
}

/** Everything a flush needs, as plain data so it can cross to a worker thread. */
export interface FlushJob {
  readonly path: string;
  readonly devices: readonly FlushDevice[];
}

export interface FlushResult {
  readonly devices: [string, bigint, bigint][];
  readonly pointCount: number;
  readonly fileBytes: number;
}

/**
 * Encodes a frozen memtable's points into a sealed TsFile. The file is written under a
 * temporary name and renamed when complete, so a crash leaves no half file under the
 * final name (the WAL still holds the points).
 */
export function runFlushJob(job: FlushJob): FlushResult {
  const tmp = `${job.path}.flushing`;
  rmSync(tmp, { force: true });
  try {
    return writeFlushFile(job, tmp);
  } catch (error) {
    // A flush that failed (a full disk) leaves no half file: the memtable and the WAL still hold it.
    rmSync(tmp, { force: true });
    throw error;
  }
}

function writeFlushFile(job: FlushJob, tmp: string): FlushResult {
  const writer = TsFileWriter.create(tmp);
  const ranges: [string, bigint, bigint][] = [];
  let points = 0;
  for (const d of [...job.devices].sort((a, b) => (a.device < b.device ? -1 : 1))) {
    const series = d.series.filter((s) => s.times.length > 0);
    if (series.length === 0) continue;
    writer.registerDevice({
      device: d.device,
      aligned: d.aligned,
      measurements: series.map((s) => ({
        name: s.name,
        dataType: s.dataType,
        encoding: s.encoding,
        compression: s.compression,
      })),
    });
    let start = series[0]!.times[0]!;
    let end = series[0]!.times[series[0]!.times.length - 1]!;
    for (const s of series) {
      if (s.times[0]! < start) start = s.times[0]!;
      if (s.times[s.times.length - 1]! > end) end = s.times[s.times.length - 1]!;
      points += s.times.length;
    }
    ranges.push([d.device, start, end]);
    if (d.aligned) writer.write(alignedTablet(d.device, series));
    else
      for (const s of series) {
        writer.write({
          device: d.device,
          measurements: [s.name],
          dataTypes: [s.dataType],
          times: s.times,
          columns: [s.values],
          nulls: [null],
          rowCount: s.times.length,
          aligned: false,
        });
      }
  }
  writer.close();
  renameSync(tmp, job.path);
  return { devices: ranges, pointCount: points, fileBytes: statSync(job.path).size };
}

/** Joins an aligned device's series on time: the union of their times, nulls where absent. */
function alignedTablet(device: string, series: readonly FlushSeries[]): Tablet {
  const all = new BigInt64Array(series.reduce((n, s) => n + s.times.length, 0));
  let at = 0;
  for (const s of series) {
    all.set(s.times, at);
    at += s.times.length;
  }
  all.sort();
  let rows = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[rows++] = all[i]!;
  const times = all.slice(0, rows);
  const columns: ColumnValues[] = [];
  const nulls: Uint8Array[] = [];
  for (const s of series) {
    const column = allocateColumn(s.dataType, rows) as unknown as unknown[];
    const rowNulls = new Uint8Array(rows).fill(1);
    let k = 0;
    const src = s.values as unknown as unknown[];
    for (let r = 0; r < rows && k < s.times.length; r++) {
      if (times[r] === s.times[k]) {
        column[r] = src[k];
        rowNulls[r] = 0;
        k++;
      }
    }
    columns.push(column as unknown as ColumnValues);
    nulls.push(rowNulls);
  }
  return {
    device,
    measurements: series.map((s) => s.name),
    dataTypes: series.map((s) => s.dataType),
    times,
    columns,
    nulls,
    rowCount: rows,
    aligned: true,
  };
}
