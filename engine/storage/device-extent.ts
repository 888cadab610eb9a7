import { TIME_COLUMN_MASK } from '../../tsfile/format/tsfile-format.js';
import { INT64_MAX, INT64_MIN } from '../../tsfile/io/int64.js';
import type { TsFileReader } from '../../tsfile/read/tsfile-reader.js';

export interface DeviceExtent {
  readonly start: bigint;
  readonly end: bigint;
  /** Values of the device's measurements (a time column counts none). */
  readonly points: number;
}

/** A device's time range and point count in a sealed file, from its index statistics alone. */
export function deviceExtent(reader: TsFileReader, device: string): DeviceExtent {
  let start = INT64_MAX;
  let end = INT64_MIN;
  let points = 0;
  for (const m of reader.timeseries(device)) {
    if ((m.type & TIME_COLUMN_MASK) === 0) points += m.statistics.count;
    if (m.statistics.startTime < start) start = m.statistics.startTime;
    if (m.statistics.endTime > end) end = m.statistics.endTime;
  }
  return { start, end, points };
}
