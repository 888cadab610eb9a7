import { existsSync } from 'node:fs';
import { parsePath } from '../../engine/path/path.js';
import { modsPath, readMods } from '../../engine/storage/deletion.js';
import type { TsFileResource } from '../../engine/storage/tsfile-resource.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import { pickRows } from '../../tsfile/column-ops.js';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { SeriesFilter } from '../series-filter.js';

export interface HistoryScope {
  readonly filter: SeriesFilter;
  readonly start: bigint | null;
  readonly end: bigint | null;
  /** History is what arrived before this. */
  readonly cutArrival: number;
}

/** The sealed files that hold history: all their points arrived before the cut. */
export function historyFiles(engine: StorageEngine, scope: HistoryScope): TsFileResource[] {
  return engine.sealedFiles().filter((f) => f.maxArrival < scope.cutArrival);
}

/**
 * Whether a file can be shipped whole: every device in it lies under the pattern, every
 * point inside the time range, and nothing in it was deleted since.
 */
export function shipsWhole(file: TsFileResource, scope: HistoryScope): boolean {
  if (existsSync(modsPath(file.path))) return false;
  for (const [device, range] of file.devices) {
    if (!scope.filter.coversDevice(device)) return false;
    if (scope.start !== null && range.start < scope.start) return false;
    if (scope.end !== null && range.end > scope.end) return false;
  }
  return true;
}

/** The matching points of a file as tablets (one series per tablet), deletions applied. */
export function* fileTablets(engine: StorageEngine, file: TsFileResource, scope: HistoryScope): Generator<Tablet> {
  const deletions = existsSync(modsPath(file.path)) ? readMods(file.path) : [];
  const reader = TsFileReader.open(file.path);
  try {
    for (const device of reader.schema()) {
      if (!scope.filter.mayMatchDevice(device.device)) continue;
      const aligned = engine.schema.device(device.device)?.aligned ?? device.aligned;
      for (const m of device.measurements) {
        if (!scope.filter.matchesSeries(device.device, m.name)) continue;
        const nodes = [...parsePath(device.device), m.name];
        const dels = deletions.filter((d) => d.matcher.matches(nodes));
        const range = {
          ...(scope.start === null ? {} : { start: scope.start }),
          ...(scope.end === null ? {} : { end: scope.end }),
        };
        for (const block of reader.readSeries(device.device, m.name, range)) {
          const keep: number[] = [];
          for (let i = 0; i < block.length; i++) {
            const t = block.times[i]!;
            if (block.nulls?.[i] === 1) continue;
            if (!dels.some((d) => t >= d.start && t <= d.end)) keep.push(i);
          }
          if (keep.length === 0) continue;
          const all = keep.length === block.length && block.nulls === null;
          yield {
            device: device.device,
            measurements: [m.name],
            dataTypes: [m.dataType],
            times: all ? block.times : (pickRows(block.times, keep) as BigInt64Array),
            columns: [all ? block.values : pickRows(block.values, keep)],
            nulls: [null],
            rowCount: keep.length,
            aligned,
          };
        }
      }
    }
  } finally {
    reader.close();
  }
}
