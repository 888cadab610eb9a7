import type Database from 'better-sqlite3';
import type { Compression } from '../../tsfile/compression-type.js';
import { type DataType, dataTypeName } from '../../tsfile/data-type.js';
import { isEncodingSupported } from '../../tsfile/encoding/registry.js';
import { defaultEncoding, type Encoding, encodingName } from '../../tsfile/encoding-type.js';
import { EngineError, StatusCode } from '../errors.js';
import { formatPath, PathError, parsePath } from '../path/path.js';
import { PathPattern } from '../path/path-pattern.js';
import type { SchemaChangeListener } from './schema-change.js';
import type { CreateSeriesOptions, DeviceSchemaEntry, SeriesSchema } from './schema-types.js';

/**
 * Databases, devices and time series, kept in SQLite in the system folder and mirrored in
 * memory (writes check the schema on every tablet, so lookups never touch SQLite).
 */
export class SchemaStore {
  private readonly databases = new Map<string, readonly string[]>();
  private readonly devices = new Map<string, DeviceSchemaEntry>();
  /** Told of every change once it is committed (the engine puts it on its tap). */
  onChange: SchemaChangeListener = () => {};

  constructor(
    private readonly db: Database.Database,
    private readonly defaultCompression: Compression,
  ) {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS databases (name TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS devices (device TEXT PRIMARY KEY, database TEXT NOT NULL, aligned INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS timeseries (
        device TEXT NOT NULL, measurement TEXT NOT NULL, data_type INTEGER NOT NULL, encoding INTEGER NOT NULL,
        compression INTEGER NOT NULL, alias TEXT, tags TEXT NOT NULL, attributes TEXT NOT NULL,
        PRIMARY KEY (device, measurement));
    `);
    for (const row of this.db.prepare('SELECT name FROM databases').all() as { name: string }[]) {
      this.databases.set(row.name, parsePath(row.name));
    }
    for (const row of this.db.prepare('SELECT * FROM devices').all() as {
      device: string;
      database: string;
      aligned: number;
    }[]) {
      this.devices.set(row.device, {
        device: row.device,
        nodes: parsePath(row.device),
        database: row.database,
        aligned: row.aligned === 1,
        measurements: new Map(),
      });
    }
    const series = this.db.prepare('SELECT * FROM timeseries').all() as {
      device: string;
      measurement: string;
      data_type: number;
      encoding: number;
      compression: number;
      alias: string | null;
      tags: string;
      attributes: string;
    }[];
    for (const row of series) {
      this.devices.get(row.device)?.measurements.set(row.measurement, {
        device: row.device,
        measurement: row.measurement,
        dataType: row.data_type as DataType,
        encoding: row.encoding as Encoding,
        compression: row.compression as Compression,
        alias: row.alias,
        tags: JSON.parse(row.tags) as Record<string, string>,
        attributes: JSON.parse(row.attributes) as Record<string, string>,
      });
    }
  }

  // ---- databases

  listDatabases(): string[] {
    return [...this.databases.keys()].sort();
  }

  hasDatabase(name: string): boolean {
    return this.databases.has(name);
  }

  createDatabase(name: string): void {
    const nodes = parseOrThrow(name);
    if (nodes.length < 2) throw new EngineError(StatusCode.ILLEGAL_PATH, `${name} is not a legal database name`);
    const canonical = formatPath(nodes);
    if (this.databases.has(canonical)) {
      throw new EngineError(StatusCode.DATABASE_ALREADY_EXISTS, `${canonical} has already been created as database`);
    }
    for (const [other, otherNodes] of this.databases) {
      const shorter = Math.min(otherNodes.length, nodes.length);
      if (otherNodes.slice(0, shorter).every((n, i) => n === nodes[i])) {
        throw new EngineError(
          StatusCode.DATABASE_CONFLICT,
          otherNodes.length < nodes.length
            ? `${other} has already been created as database`
            : `${canonical} conflicts with the existing database ${other}`,
        );
      }
    }
    for (const d of this.devices.values()) {
      if (nodes.every((n, i) => d.nodes[i] === n) && d.database !== canonical) {
        throw new EngineError(StatusCode.DATABASE_CONFLICT, `${canonical} conflicts with series under ${d.database}`);
      }
    }
    this.db.prepare('INSERT INTO databases (name) VALUES (?)').run(canonical);
    this.databases.set(canonical, nodes);
    this.onChange({ op: 'create-database', database: canonical });
  }

  /** Deletes databases matching a pattern with everything under them; returns their names. */
  deleteDatabases(pattern: string): string[] {
    const p = new PathPattern(pattern);
    const names = [...this.databases].filter(([, nodes]) => p.matches(nodes)).map(([name]) => name);
    if (names.length === 0) throw new EngineError(StatusCode.DATABASE_NOT_EXIST, `Path [${pattern}] does not exist`);
    const tx = this.db.transaction(() => {
      for (const name of names) {
        this.db.prepare('DELETE FROM databases WHERE name = ?').run(name);
        for (const d of [...this.devices.values()].filter((x) => x.database === name)) this.dropDevice(d.device);
        this.databases.delete(name);
      }
    });
    tx();
    for (const name of names) this.onChange({ op: 'delete-database', database: name });
    return names;
  }

  /** The database a path belongs to, or null. */
  databaseOf(nodes: readonly string[]): string | null {
    for (const [name, dbNodes] of this.databases) {
      if (dbNodes.length <= nodes.length && dbNodes.every((n, i) => n === nodes[i])) return name;
    }
    return null;
  }

  // ---- series

  device(device: string): DeviceSchemaEntry | undefined {
    return this.devices.get(device);
  }

  allDevices(): IterableIterator<DeviceSchemaEntry> {
    return this.devices.values();
  }

  /**
   * Creates series of one device. `autoDatabaseLevel` > 0 creates a missing database at that
   * level (root.<l1>...), as IoTDB's automatic schema creation does.
   */
  createSeries(
    device: string,
    aligned: boolean,
    series: readonly (CreateSeriesOptions & { measurement: string })[],
    autoDatabaseLevel = 0,
  ): SeriesSchema[] {
    const nodes = parseOrThrow(device);
    if (nodes.length < 2) throw new EngineError(StatusCode.ILLEGAL_PATH, `${device} is not a legal device path`);
    const canonical = formatPath(nodes);
    let database = this.databaseOf(nodes);
    if (database === null) {
      if (autoDatabaseLevel <= 0 || nodes.length <= autoDatabaseLevel) {
        throw new EngineError(
          StatusCode.DATABASE_NOT_EXIST,
          `Database is not set for current seriesPath: [${canonical}]`,
        );
      }
      database = formatPath(nodes.slice(0, autoDatabaseLevel + 1));
      this.createDatabase(database);
    }
    if (nodes.length <= this.databases.get(database)!.length) {
      throw new EngineError(StatusCode.ILLEGAL_PATH, `${canonical} is a database, not a device`);
    }
    const existing = this.devices.get(canonical);
    if (existing !== undefined && existing.aligned !== aligned && existing.measurements.size > 0) {
      throw new EngineError(
        StatusCode.ALIGNED_TIMESERIES_ERROR,
        `Timeseries under path [${canonical}] is ${existing.aligned ? 'aligned' : 'not aligned'}`,
      );
    }
    const created: SeriesSchema[] = [];
    const entry: DeviceSchemaEntry = existing ?? {
      device: canonical,
      nodes,
      database,
      aligned,
      measurements: new Map(),
    };
    for (const s of series) {
      if (needsCheck(s.measurement))
        throw new EngineError(StatusCode.ILLEGAL_PATH, `${s.measurement} is not a legal measurement name`);
      if (entry.measurements.has(s.measurement)) {
        throw new EngineError(
          StatusCode.TIMESERIES_ALREADY_EXIST,
          `Timeseries [${canonical}.${formatPath([s.measurement]).replace(/^root\./, '')}] already exist`,
        );
      }
      const encoding = s.encoding ?? defaultEncoding(s.dataType);
      if (!isEncodingSupported(encoding, s.dataType)) {
        throw new EngineError(
          StatusCode.METADATA_ERROR,
          `encoding ${encodingName(encoding)} does not support ${dataTypeName(s.dataType)}`,
        );
      }
      created.push({
        device: canonical,
        measurement: s.measurement,
        dataType: s.dataType,
        encoding,
        compression: s.compression ?? this.defaultCompression,
        alias: s.alias ?? null,
        tags: s.tags ?? {},
        attributes: s.attributes ?? {},
      });
    }
    const tx = this.db.transaction(() => {
      if (existing === undefined) {
        this.db
          .prepare('INSERT INTO devices (device, database, aligned) VALUES (?, ?, ?)')
          .run(canonical, database, aligned ? 1 : 0);
      }
      const insert = this.db.prepare(
        'INSERT INTO timeseries (device, measurement, data_type, encoding, compression, alias, tags, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const c of created) {
        insert.run(
          c.device,
          c.measurement,
          c.dataType,
          c.encoding,
          c.compression,
          c.alias,
          JSON.stringify(c.tags),
          JSON.stringify(c.attributes),
        );
      }
    });
    tx();
    if (existing === undefined) this.devices.set(canonical, entry);
    for (const c of created) entry.measurements.set(c.measurement, c);
    if (created.length > 0)
      this.onChange({ op: 'create-series', device: canonical, aligned: entry.aligned, series: created });
    return created;
  }

  /** Series whose full path matches the pattern, in device then measurement order. */
  matchSeries(pattern: PathPattern): SeriesSchema[] {
    const out: SeriesSchema[] = [];
    for (const d of [...this.devices.values()].sort((a, b) => compare(a.device, b.device))) {
      if (!pattern.mayMatchBelow(d.nodes)) continue;
      for (const name of [...d.measurements.keys()].sort(compare)) {
        if (pattern.matches([...d.nodes, name])) out.push(d.measurements.get(name)!);
      }
    }
    return out;
  }

  matchDevices(pattern: PathPattern): DeviceSchemaEntry[] {
    return [...this.devices.values()]
      .filter((d) => pattern.matches(d.nodes))
      .sort((a, b) => compare(a.device, b.device));
  }

  /** Deletes the series matching a pattern; returns them. */
  deleteSeries(pattern: PathPattern): SeriesSchema[] {
    const victims = this.matchSeries(pattern);
    const tx = this.db.transaction(() => {
      for (const v of victims) {
        this.db.prepare('DELETE FROM timeseries WHERE device = ? AND measurement = ?').run(v.device, v.measurement);
        const d = this.devices.get(v.device)!;
        d.measurements.delete(v.measurement);
        if (d.measurements.size === 0) this.dropDevice(d.device);
      }
    });
    tx();
    if (victims.length > 0) {
      this.onChange({
        op: 'delete-series',
        series: victims.map((v) => ({ device: v.device, measurement: v.measurement })),
      });
    }
    return victims;
  }

  private dropDevice(device: string): void {
    this.db.prepare('DELETE FROM timeseries WHERE device = ?').run(device);
    this.db.prepare('DELETE FROM devices WHERE device = ?').run(device);
    this.devices.delete(device);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseOrThrow(path: string): string[] {
  try {
    return parsePath(path);
  } catch (error) {
    if (error instanceof PathError) throw new EngineError(StatusCode.ILLEGAL_PATH, error.message);
    throw error;
  }
}

function needsCheck(measurement: string): boolean {
  return measurement.length === 0 || measurement === '*' || measurement === '**';
}
