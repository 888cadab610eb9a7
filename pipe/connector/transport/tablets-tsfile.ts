import { type FlushDevice, type FlushSeries, runFlushJob } from '../../../engine/flush/flush-job.js';
import { Compression } from '../../../tsfile/compression-type.js';
import { allocateColumn, type DataType } from '../../../tsfile/data-type.js';
import { defaultEncoding } from '../../../tsfile/encoding-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';

interface SeriesPoints {
  readonly dataType: DataType;
  /** time -> value; a later tablet's point at the same time replaces an earlier one. */
  readonly points: Map<bigint, unknown>;
}

/**
 * Writes tablets, in arrival order, into a sealed TsFile at `path` (`sink.format` =
 * tsfile): per series, its points sorted by time, where two tablets wrote the same time the
 * later one's value (as applying the tablets in order would leave it). Null cells are no
 * points. Series keep their device's alignment; encodings are IoTDB's defaults, LZ4 pages.
 */
export function writeTabletsAsTsFile(tablets: readonly Tablet[], path: string): void {
  const devices = new Map<string, { aligned: boolean; series: Map<string, SeriesPoints> }>();
  for (const tablet of tablets) {
    let device = devices.get(tablet.device);
    if (device === undefined) {
      device = { aligned: tablet.aligned, series: new Map() };
      devices.set(tablet.device, device);
    }
    tablet.measurements.forEach((name, j) => {
      let series = device.series.get(name);
      if (series === undefined) {
        series = { dataType: tablet.dataTypes[j]!, points: new Map() };
        device.series.set(name, series);
      }
      const values = tablet.columns[j] as unknown as ArrayLike<unknown>;
      const nulls = tablet.nulls[j];
      for (let r = 0; r < tablet.rowCount; r++) {
        if (nulls?.[r] !== 1) series.points.set(tablet.times[r]!, values[r]);
      }
    });
  }
  const job: FlushDevice[] = [...devices].map(([device, { aligned, series }]) => ({
    device,
    aligned,
    series: [...series].map(([name, s]) => sortedSeries(name, s)),
  }));
  runFlushJob({ path, devices: job });
}

function sortedSeries(name: string, { dataType, points }: SeriesPoints): FlushSeries {
  const times = BigInt64Array.from(points.keys()).sort();
  const values = allocateColumn(dataType, times.length) as unknown as unknown[];
  times.forEach((t, i) => {
    values[i] = points.get(t);
  });
  return {
    name,
    dataType,
    encoding: defaultEncoding(dataType),
    compression: Compression.LZ4,
    times,
    values: values as unknown as FlushSeries['values'],
  };
}
