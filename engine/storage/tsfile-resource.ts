import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

/**
 * What the engine knows of a sealed TsFile without opening it (IoTDB's `.resource`):
 * per device the time range, and the range of arrival numbers of the points it holds.
 */
export interface TsFileResource {
  /** Absolute path of the .tsfile. */
  readonly path: string;
  readonly database: string;
  readonly sequence: boolean;
  /** Flush order within the node: a later version holds later arrivals of a duplicate point. */
  readonly version: number;
  readonly devices: ReadonlyMap<string, { readonly start: bigint; readonly end: bigint }>;
  readonly minArrival: number;
  readonly maxArrival: number;
  readonly pointCount: number;
  readonly fileBytes: number;
  /** True for files that came from outside (LOAD, a pipe receiver) rather than a flush. */
  readonly loaded: boolean;
  /**
   * For flushed files: the arrival high-water mark when the memtables were frozen. Every
   * write of the region below it is in this flush or an earlier one.
   */
  readonly coveredUpTo: number;
  /**
   * The node where every point of the file was first written ('' for this node): a flush
   * writes the data of each origin to files of its own, and a file a pipe brought keeps
   * the sender's origin, so a pipe never sends it back there.
   */
  readonly origin: string;
}

interface ResourceJson {
  format: 1;
  database: string;
  sequence: boolean;
  version: number;
  devices: [string, string, string][];
  minArrival: number;
  maxArrival: number;
  pointCount: number;
  fileBytes: number;
  loaded: boolean;
  coveredUpTo: number;
  /** Absent for this node's own data (and in resources written before origins were kept). */
  origin?: string;
  status: 'SEALED';
}

export function resourcePath(tsfilePath: string): string {
  return `${tsfilePath}.resource`;
}

/** Writes the resource durably: temp file, fsync, rename. */
export function writeResource(r: TsFileResource): void {
  const json: ResourceJson = {
    format: 1,
    database: r.database,
    sequence: r.sequence,
    version: r.version,
    devices: [...r.devices].map(([d, range]) => [d, String(range.start), String(range.end)]),
    minArrival: r.minArrival,
    maxArrival: r.maxArrival,
    pointCount: r.pointCount,
    fileBytes: r.fileBytes,
    loaded: r.loaded,
    coveredUpTo: r.coveredUpTo,
    ...(r.origin === '' ? {} : { origin: r.origin }),
    status: 'SEALED',
  };
  writeJsonDurably(resourcePath(r.path), json);
}

export function readResource(tsfilePath: string): TsFileResource {
  const json = JSON.parse(readFileSync(resourcePath(tsfilePath), 'utf8')) as ResourceJson;
  return {
    path: tsfilePath,
    database: json.database,
    sequence: json.sequence,
    version: json.version,
    devices: new Map(json.devices.map(([d, s, e]) => [d, { start: BigInt(s), end: BigInt(e) }])),
    minArrival: json.minArrival,
    maxArrival: json.maxArrival,
    pointCount: json.pointCount,
    fileBytes: json.fileBytes,
    loaded: json.loaded,
    coveredUpTo: json.coveredUpTo,
    origin: json.origin ?? '',
  };
}

/** Writes a small JSON file durably (temp, fsync, rename). */
export function writeJsonDurably(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, JSON.stringify(value));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}
