import { TIME_COLUMN_MASK } from '../format/tsfile-format.js';
import type { TsFileReader } from '../read/tsfile-reader.js';
import { formatValue } from './point-csv.js';

/**
 * Every point of a file as `device,measurement,time,value` lines, sorted by device,
 * measurement and time; nulls are left out. Lines go to `emit` in batches so a large file
 * is never held as text.
 */
export function dumpPoints(reader: TsFileReader, emit: (text: string) => void): number {
  let points = 0;
  for (const device of [...reader.devices()].sort()) {
    const names = reader
      .timeseries(device)
      .filter((m) => (m.type & TIME_COLUMN_MASK) === 0)
      .map((m) => ({ name: m.measurementId, dataType: m.dataType }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, dataType } of names) {
      const prefix = `${device},${name},`;
      for (const block of reader.readSeries(device, name)) {
        let text = '';
        const values = block.values as ArrayLike<unknown>;
        for (let i = 0; i < block.length; i++) {
          text += `${prefix}${block.times[i]},${formatValue(dataType, values[i])}\n`;
        }
        points += block.length;
        emit(text);
      }
    }
  }
  return points;
}
