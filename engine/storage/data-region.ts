import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pickRows } from '../../tsfile/column-ops.js';
import type { ColumnValues } from '../../tsfile/data-type.js';
import { int64Words } from '../../tsfile/io/int64.js';
import type { ColumnBlock, Tablet } from '../../tsfile/tablet.js';
import type { FlushDevice, FlushJob } from '../flush/flush-job.js';
import type { BufferPool } from '../memtable/buffer-pool.js';
import { MemTable } from '../memtable/memtable.js';
import { parsePath } from '../path/path.js';
import type { SchemaStore } from '../schema/schema-store.js';
import { appendMods, type CompiledDeletion, compileDeletion, type Deletion, readMods } from './deletion.js';
import type { ReaderCache } from './reader-cache.js';
import { salvageFlushFile } from './salvage.js';
import { readResource, type TsFileResource, writeJsonDurably, writeResource } from './tsfile-resource.js';

/** A unit of flushing: the sequence and unsequence memtables of every origin, frozen together. */
interface FrozenUnit {
  readonly coveredUpTo: number;
  readonly tables: readonly MemTable[];
  /** Deletions that arrived while the unit was being flushed; they go to its files' mods. */
  readonly deletions: Deletion[];
}

/** The working memtables of one origin. */
interface WorkingPair {
  readonly seq: MemTable;
  readonly unseq: MemTable;
}

/** A place points of a series may be: a sealed file, or a memtable. */
export type SeriesSource =
  | { readonly kind: 'file'; readonly resource: TsFileResource; readonly mods: readonly CompiledDeletion[] }
  | { readonly kind: 'memtable'; readonly memtable: MemTable };

export interface SealedFile {
  readonly resource: TsFileResource;
}

/**
 * One database's data (IoTDB's data region): working memtables, memtables being flushed,
 * and sealed TsFiles. Writes whose time is not after what was already flushed for their
 * device go to the unsequence memtable, so sequence files never overlap in time.
 */
export class DataRegion {
  readonly resources: TsFileResource[] = [];
  private readonly modsByFile = new Map<string, CompiledDeletion[]>();
  /**
   * Working memtables by origin ('' for this node's writes), so that every flushed file
   * holds the data of one origin. A write removes the points it replaces from the other
   * origins' working memtables: the versions of working memtables say nothing about which
   * of them holds the later arrival, so no time of a series may be in two of them.
   */
  private working = new Map<string, WorkingPair>();
  readonly frozen: FrozenUnit[] = [];
  /** Files salvaged by `recover` whose resources wait for the WAL replay. */
  private readonly salvaged: TsFileResource[] = [];
  /** Per device, the largest time in sequence data that was frozen or sealed. */
  private readonly lastFlushTime = new Map<string, bigint>();
  readonly seqDir: string;
  readonly unseqDir: string;
  private readonly checkpointPath: string;
  /** Every write of this region with a smaller arrival number is in a sealed file. */
  coveredUpTo = 0;

  constructor(
    readonly database: string,
    dataDir: string,
    private readonly nextVersion: () => number,
    /** Where memtables take their large arrays from, and give them back once sealed. */
    private readonly pool: BufferPool | null = null,
  ) {
    const folder = database.replace(/[^A-Za-z0-9_.-]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
    this.seqDir = join(dataDir, 'sequence', folder, '0');
    this.unseqDir = join(dataDir, 'unsequence', folder, '0');
    mkdirSync(this.seqDir, { recursive: true });
    mkdirSync(this.unseqDir, { recursive: true });
    this.checkpointPath = join(dataDir, 'sequence', folder, 'flushed.json');
    this.renewWorkingMemtables();
  }

  private pair(origin: string): WorkingPair {
    let p = this.working.get(origin);
    if (p === undefined) {
      p = {
        seq: new MemTable(this.nextVersion(), true, origin, this.pool),
        unseq: new MemTable(this.nextVersion(), false, origin, this.pool),
      };
      this.working.set(origin, p);
    }
    return p;
  }

  private workingTables(): MemTable[] {
    const out: MemTable[] = [];
    for (const p of this.working.values()) out.push(p.seq, p.unseq);
    return out;
  }

  /**
   * Loads sealed files. A flush that did not commit (a crash while it ran) left a
   * `.flushing` file, a `.tsfile` without its `.resource`, or files of a unit whose commit
   * point was not reached: their complete chunk groups are kept as salvaged files (below
   * the memtables the WAL replay fills, which hold the same points again), so what reached
   * the disk survives even where the WAL does not hold it.
   */
  recover(): { maxVersion: number; reports: string[] } {
    if (existsSync(this.checkpointPath)) {
      this.coveredUpTo = (JSON.parse(readFileSync(this.checkpointPath, 'utf8')) as { coveredUpTo: number }).coveredUpTo;
    }
    let maxVersion = 0;
    const reports: string[] = [];
    const salvage = (source: string, path: string, sequence: boolean) => {
      rmSync(`${path}.mods`, { force: true });
      const target = { path, database: this.database, sequence, minArrival: this.coveredUpTo };
      const { resource, report } = salvageFlushFile(source, target);
      reports.push(report);
      if (resource === null) return;
      this.salvaged.push(resource);
      this.addSealed(resource);
      maxVersion = Math.max(maxVersion, resource.version);
    };
    for (const dir of [this.seqDir, this.unseqDir]) {
      const sequence = dir === this.seqDir;
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (name.endsWith('.tmp') || name.endsWith('.recovering')) {
          rmSync(path, { force: true });
        } else if (name.endsWith('.flushing')) {
          salvage(path, path.slice(0, -'.flushing'.length), sequence);
        } else if (name.endsWith('.tsfile')) {
          const r = existsSync(`${path}.resource`) ? readResource(path) : null;
          if (r === null || (!r.loaded && r.coveredUpTo > this.coveredUpTo)) {
            rmSync(`${path}.resource`, { force: true });
            salvage(path, path, sequence);
          } else {
            this.addSealed(r);
            maxVersion = Math.max(maxVersion, r.version);
          }
        }
      }
    }
    return { maxVersion, reports };
  }

  /**
   * Commits the files salvaged by `recover` once the WAL was replayed: none of their points
   * arrived after `maxArrival`, the largest arrival number the node knows of.
   */
  commitSalvaged(maxArrival: number): void {
    for (const placeholder of this.salvaged.splice(0)) {
      const resource = { ...placeholder, maxArrival: Math.max(placeholder.minArrival, maxArrival) };
      writeResource(resource);
      this.resources[this.resources.indexOf(placeholder)] = resource;
    }
  }

  private addSealed(r: TsFileResource): void {
    this.resources.push(r);
    this.resources.sort((a, b) => a.version - b.version);
    this.modsByFile.set(r.path, readMods(r.path));
    if (r.sequence) {
      for (const [device, range] of r.devices) this.raiseLastFlushTime(device, range.end);
    }
  }

  private raiseLastFlushTime(device: string, t: bigint): void {
    const cur = this.lastFlushTime.get(device);
    if (cur === undefined || t > cur) this.lastFlushTime.set(device, t);
  }

  /**
   * Splits rows between the sequence and unsequence memtables of the write's origin by the
   * device's flushed time.
   */
  insert(tablet: Tablet, arrival: number, origin = ''): void {
    for (const [o, p] of this.working) {
      if (o === origin) continue;
      p.seq.deleteRowsOf(tablet, 0, tablet.rowCount);
      p.unseq.deleteRowsOf(tablet, 0, tablet.rowCount);
    }
    const { seq, unseq } = this.pair(origin);
    const last = this.lastFlushTime.get(tablet.device);
    if (last === undefined) {
      seq.insert(tablet, 0, tablet.rowCount, arrival);
      return;
    }
    const w = int64Words(tablet.times);
    const lastHi = Number(BigInt.asIntN(32, last >> 32n));
    const lastLo = Number(BigInt.asUintN(32, last));
    const after = (k: number) => {
      const hi = w[2 * k + 1]!;
      return hi > lastHi || (hi === lastHi && w[2 * k]! >>> 0 > lastLo);
    };
    let i = 0;
    while (i < tablet.rowCount) {
      const isSeq = after(i);
      let j = i + 1;
      while (j < tablet.rowCount && after(j) === isSeq) j++;
      (isSeq ? seq : unseq).insert(tablet, i, j, arrival);
      i = j;
    }
  }

  workingBytes(): number {
    let total = 0;
    for (const m of this.workingTables()) total += m.bytes();
    return total;
  }

  frozenBytes(): number {
    let total = 0;
    for (const u of this.frozen) for (const m of u.tables) total += m.bytes();
    return total;
  }

  hasWorkingData(): boolean {
    return this.workingTables().some((m) => !m.isEmpty);
  }

  /** The smallest arrival number not yet in a sealed file (Infinity if none). */
  minUnflushedArrival(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const m of this.memtables()) min = Math.min(min, m.minArrival);
    return min;
  }

  /**
   * Freezes the working memtables and returns the job that writes them (null when empty).
   * Sequence data's times become the devices' flushed times at once, so later writes of
   * earlier times go to unsequence memtables.
   */
  freeze(
    schema: SchemaStore,
    arrivalHighWater: number,
  ): { unit: FrozenUnit; jobs: { job: FlushJob; memtable: MemTable }[] } | null {
    if (!this.hasWorkingData()) return null;
    const unit: FrozenUnit = { coveredUpTo: arrivalHighWater, tables: this.workingTables(), deletions: [] };
    for (const m of unit.tables) m.frozen = true;
    this.working = new Map();
    this.renewWorkingMemtables();
    for (const m of unit.tables) {
      if (m.sequence) for (const [device, t] of m.maxTimes()) this.raiseLastFlushTime(device, t);
    }
    this.frozen.push(unit);
    const jobs: { job: FlushJob; memtable: MemTable }[] = [];
    for (const m of unit.tables) {
      if (m.isEmpty) continue;
      const dir = m.sequence ? this.seqDir : this.unseqDir;
      jobs.push({
        memtable: m,
        job: { path: join(dir, `${Date.now()}-${m.id}-0-0.tsfile`), devices: flushDevices(m, schema) },
      });
    }
    return { unit, jobs };
  }

  /** Commits a flushed unit: resources written (the commit point), mods of late deletions, memtables released. */
  sealed(
    unit: FrozenUnit,
    files: {
      memtable: MemTable;
      path: string;
      devices: [string, bigint, bigint][];
      pointCount: number;
      fileBytes: number;
    }[],
  ): TsFileResource[] {
    const out: TsFileResource[] = [];
    try {
      for (const f of files) {
        const r: TsFileResource = {
          path: f.path,
          database: this.database,
          sequence: f.memtable.sequence,
          version: f.memtable.id,
          devices: new Map(f.devices.map(([d, s, e]) => [d, { start: s, end: e }])),
          minArrival: f.memtable.minArrival,
          maxArrival: f.memtable.maxArrival,
          pointCount: f.pointCount,
          fileBytes: f.fileBytes,
          loaded: false,
          coveredUpTo: unit.coveredUpTo,
          origin: f.memtable.origin,
        };
        for (const d of unit.deletions) appendMods(r.path, d);
        writeResource(r);
        this.addSealed(r);
        out.push(r);
      }
      // The commit point of the whole unit: replay skips what it covers from now on.
      writeJsonDurably(this.checkpointPath, { coveredUpTo: unit.coveredUpTo });
    } catch (error) {
      this.unseal(files);
      throw error;
    }
    this.coveredUpTo = unit.coveredUpTo;
    const i = this.frozen.indexOf(unit);
    if (i >= 0) this.frozen.splice(i, 1);
    for (const m of unit.tables) m.release();
    return out;
  }

  /**
   * Undoes a commit that failed part way (a full disk): the unit stays frozen, to be flushed
   * again, and none of its files stays behind, whole or half, sealed or not.
   */
  private unseal(files: readonly { readonly path: string }[]): void {
    for (const f of files) {
      const k = this.resources.findIndex((r) => r.path === f.path);
      if (k >= 0) this.resources.splice(k, 1);
      this.modsByFile.delete(f.path);
      for (const suffix of ['', '.resource', '.resource.tmp', '.mods']) rmSync(`${f.path}${suffix}`, { force: true });
    }
    rmSync(`${this.checkpointPath}.tmp`, { force: true });
  }

  /** Gives the empty working memtables versions above every version handed out so far. */
  renewWorkingMemtables(): void {
    if (this.hasWorkingData()) throw new Error('the working memtables of a region must be empty to be renewed');
    this.working = new Map();
    this.pair('');
  }

  /**
   * Adds a file that came from outside (already written at `resource.path`). Its times
   * count as flushed even when it is unsequence, so a later write of such a time goes to
   * an unsequence memtable, which ranks above the file.
   */
  addLoaded(resource: TsFileResource): void {
    writeResource(resource);
    this.addSealed(resource);
    for (const [device, range] of resource.devices) this.raiseLastFlushTime(device, range.end);
  }

  /** Whether any data of `device` overlaps [start, end] (decides if a loaded file is sequence). */
  overlaps(device: string, start: bigint): boolean {
    const last = this.lastFlushTime.get(device);
    if (last !== undefined && start <= last) return true;
    for (const m of this.memtables()) {
      const series = m.devices.get(device);
      if (series === undefined) continue;
      for (const b of series.values()) {
        const v = b.sortedView();
        if (v.length > 0 && v.times[v.length - 1]! >= start) return true;
      }
    }
    return false;
  }

  private memtables(): MemTable[] {
    const out: MemTable[] = [];
    for (const u of this.frozen) out.push(...u.tables);
    out.push(...this.workingTables());
    return out;
  }

  /**
   * Deletes points of matching series in [start, end]: from memtables at once, and through
   * mods files for sealed files and for files still being flushed.
   */
  delete(deletion: Deletion): void {
    const compiled = compileDeletion(deletion);
    this.deleteFromMemtables(compiled);
    for (const u of this.frozen) u.deletions.push(deletion);
    this.appendToMods(this.resources, deletion, compiled);
  }

  /**
   * Applies a deletion read back from the WAL: to memtables, and to files salvaged in this
   * recovery (committed files got it in their mods when it happened).
   */
  replayDeletion(deletion: Deletion): void {
    const compiled = compileDeletion(deletion);
    this.deleteFromMemtables(compiled);
    this.appendToMods(this.salvaged, deletion, compiled);
  }

  private appendToMods(files: readonly TsFileResource[], deletion: Deletion, compiled: CompiledDeletion): void {
    for (const r of files) {
      const hit = [...r.devices].some(
        ([d, range]) =>
          compiled.matcher.mayMatchBelow(parsePath(d)) && range.start <= deletion.end && range.end >= deletion.start,
      );
      if (!hit) continue;
      appendMods(r.path, deletion);
      this.modsByFile.get(r.path)!.push(compiled);
    }
  }

  private deleteFromMemtables(d: CompiledDeletion): void {
    const matches = (device: string, measurement: string) => d.matcher.matches([...parsePath(device), measurement]);
    for (const m of this.memtables()) m.delete(matches, d.start, d.end);
  }

  /**
   * Where the points of a series may be, lowest precedence first: sequence data (files and
   * memtables) by version, then unsequence data by version. For a duplicate time, a later
   * source holds the later arrival.
   */
  sources(device: string, start: bigint, end: bigint): SeriesSource[] {
    const all: { sequence: boolean; version: number; source: SeriesSource }[] = [];
    for (const r of this.resources) {
      const range = r.devices.get(device);
      if (range === undefined || range.end < start || range.start > end) continue;
      all.push({
        sequence: r.sequence,
        version: r.version,
        source: { kind: 'file', resource: r, mods: this.modsByFile.get(r.path) ?? [] },
      });
    }
    for (const m of this.memtables()) {
      if (m.devices.has(device))
        all.push({ sequence: m.sequence, version: m.id, source: { kind: 'memtable', memtable: m } });
    }
    all.sort(byPrecedence);
    return all.map((x) => x.source);
  }

  /** Removes every file of the region (DELETE DATABASE). */
  drop(readers: ReaderCache): void {
    for (const r of this.resources) {
      readers.evict(r.path);
      for (const suffix of ['', '.resource', '.mods']) rmSync(`${r.path}${suffix}`, { force: true });
    }
    this.resources.length = 0;
  }
}

/**
 * The engine's precedence of data, lowest first: sequence data by version, then
 * unsequence data by version. A later one holds the later arrival of a duplicate point.
 */
export function byPrecedence(
  a: { readonly sequence: boolean; readonly version: number },
  b: { readonly sequence: boolean; readonly version: number },
): number {
  return a.sequence === b.sequence ? a.version - b.version : a.sequence ? -1 : 1;
}

function flushDevices(m: MemTable, schema: SchemaStore): FlushDevice[] {
  const devices: FlushDevice[] = [];
  for (const [device, series] of m.devices) {
    const entry = schema.device(device);
    const list = [];
    for (const [name, buffer] of series) {
      const s = entry?.measurements.get(name);
      if (s === undefined || s.dataType !== buffer.dataType) continue;
      const view = buffer.sortedView();
      list.push({
        name,
        dataType: s.dataType,
        encoding: s.encoding,
        compression: s.compression,
        // Exact-size copies: they are handed (not cloned) to the flush thread, while the
        // memtable keeps serving queries from its own buffers until the file is sealed.
        times: view.times.slice(),
        values: (Array.isArray(view.values) ? view.values.slice() : view.values.slice()) as ColumnValues,
      });
    }
    devices.push({ device, aligned: entry?.aligned ?? m.alignedDevices.has(device), series: list });
  }
  return devices;
}

/** Reads the blocks of one series from a sealed file, minus its deletions. */
export function* fileBlocks(
  readers: ReaderCache,
  source: Extract<SeriesSource, { kind: 'file' }>,
  device: string,
  measurement: string,
  start: bigint,
  end: bigint,
): Generator<ColumnBlock> {
  const reader = readers.get(source.resource.path);
  const nodes = [...parsePath(device), measurement];
  const dels = source.mods.filter((d) => d.matcher.matches(nodes) && d.start <= end && d.end >= start);
  for (const block of reader.readSeries(device, measurement, { start, end })) {
    yield dels.length === 0 ? block : withoutDeleted(block, dels);
  }
}

function withoutDeleted(block: ColumnBlock, dels: readonly CompiledDeletion[]): ColumnBlock {
  const keep: number[] = [];
  for (let i = 0; i < block.length; i++) {
    const t = block.times[i]!;
    if (!dels.some((d) => t >= d.start && t <= d.end)) keep.push(i);
  }
  if (keep.length === block.length) return block;
  const times = pickRows(block.times, keep) as BigInt64Array;
  return { times, values: pickRows(block.values, keep), nulls: null, length: keep.length };
}
