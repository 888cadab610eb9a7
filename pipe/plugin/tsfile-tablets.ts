import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import type { Tablet } from '../../tsfile/tablet.js';

/**
 * Every point of a sealed TsFile as tablets, a page at a time so memory stays bounded by
 * a page: one tablet per page of a non-aligned series, one per page of an aligned device
 * with all its measurements (nulls kept). The reader is closed when iteration ends or is
 * left early.
 */
export function* tsFileTablets(path: string): Generator<Tablet> {
  const reader = TsFileReader.open(path);
  try {
    for (const device of reader.schema()) {
      if (device.aligned) {
        const names = device.measurements.map((m) => m.name);
        for (const block of reader.readAligned(device.device, names)) {
          if (block.length === 0) continue;
          yield {
            device: device.device,
            aligned: true,
            measurements: names,
            dataTypes: device.measurements.map((m) => m.dataType),
            times: block.times,
            columns: block.columns.map((c) => c.values),
            nulls: block.columns.map((c) => c.nulls),
            rowCount: block.length,
          };
        }
        continue;
      }
      for (const m of device.measurements) {
        for (const block of reader.readSeries(device.device, m.name)) {
          if (block.length === 0) continue;
          yield {
            device: device.device,
            aligned: false,
            measurements: [m.name],
            dataTypes: [m.dataType],
            times: block.times,
            columns: [block.values],
            nulls: [block.nulls],
            rowCount: block.length,
          };
        }
      }
    }
  } finally {
    reader.close();
  }
}
