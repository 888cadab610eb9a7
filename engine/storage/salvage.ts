import { renameSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import { recoverTsFile } from '../../tsfile/write/recover.js';
import { deviceExtent } from './device-extent.js';
import type { TsFileResource } from './tsfile-resource.js';

export interface SalvageTarget {
  /** The name the file is committed under (a flush names its file before writing it). */
  readonly path: string;
  readonly database: string;
  readonly sequence: boolean;
  /** Every point in the file arrived at or after this (the region's last commit point). */
  readonly minArrival: number;
}

export interface SalvageResult {
  /** The file as a sealed one, or null when nothing in it was whole. */
  readonly resource: TsFileResource | null;
  readonly report: string;
}

/**
 * Keeps what a flush cut short had written: the complete chunk groups of `source` become a
 * sealed file at `target.path`. Such a file is not a committed flush (the WAL replays the
 * same points above it), so it is marked `loaded`: nothing assumes it holds a whole flush.
 * Its `maxArrival` is only known once the WAL is read; the caller sets it then.
 */
export function salvageFlushFile(source: string, target: SalvageTarget): SalvageResult {
  let recovered: ReturnType<typeof recoverTsFile>;
  try {
    recovered = recoverTsFile(source, statSync(source).size);
  } catch (error) {
    rmSync(source, { force: true });
    return {
      resource: null,
      report: `${source}: nothing recoverable of an unfinished flush (${(error as Error).message})`,
    };
  }
  if (recovered.chunkGroups === 0) {
    rmSync(source, { force: true });
    return { resource: null, report: `${source}: no complete chunk group in an unfinished flush` };
  }
  if (source !== target.path) renameSync(source, target.path);
  const devices = new Map<string, { start: bigint; end: bigint }>();
  let pointCount = 0;
  const reader = TsFileReader.open(target.path);
  try {
    for (const device of reader.devices()) {
      const extent = deviceExtent(reader, device);
      devices.set(device, { start: extent.start, end: extent.end });
      pointCount += extent.points;
    }
  } finally {
    reader.close();
  }
  const torn =
    recovered.droppedBytes > 0 ? `, ${recovered.droppedBytes} torn bytes dropped (${recovered.stoppedBy})` : '';
  return {
    resource: {
      path: target.path,
      database: target.database,
      sequence: target.sequence,
      version: flushVersionOf(target.path),
      devices,
      minArrival: target.minArrival,
      maxArrival: target.minArrival,
      pointCount,
      fileBytes: statSync(target.path).size,
      loaded: true,
      coveredUpTo: 0,
      // The memtable's origin is not in the file; its points come again from the WAL with it.
      origin: '',
    },
    report: `${target.path}: kept ${recovered.chunkGroups} complete chunk groups of an unfinished flush${torn}`,
  };
}

/** The memtable version a flushed file's name carries (`<millis>-<version>-0-0.tsfile`). */
function flushVersionOf(path: string): number {
  const version = Number(basename(path).split('-')[1]);
  return Number.isSafeInteger(version) ? version : 0;
}
