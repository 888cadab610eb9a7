import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type DataType, dataTypeName } from '../tsfile/data-type.js';
import { INT64_MAX, INT64_MIN } from '../tsfile/io/int64.js';
import { firstAfter, firstAtOrAfter } from '../tsfile/io/time-search.js';
import { TsFileReader } from '../tsfile/read/tsfile-reader.js';
import { type ColumnBlock, type Tablet, tabletBytes } from '../tsfile/tablet.js';
import { type EngineConfig, resolveEngineConfig } from './engine-config.js';
import { EngineCounters, pointsOf } from './engine-counters.js';
import { EngineError, StatusCode } from './errors.js';
import { type FlushExecutor, InlineFlushExecutor, WorkerFlushExecutor } from './flush/flush-executor.js';
import { BufferPool } from './memtable/buffer-pool.js';
import { nodeIdentity } from './node-identity.js';
import { formatPath, parsePath } from './path/path.js';
import { PathPattern } from './path/path-pattern.js';
import { type AggregateState, accumulate, emptyAggregate } from './query/aggregate.js';
import { mergeSeries } from './query/series-merge.js';
import { type Row, rowsToTablets } from './rows.js';
import type { SchemaChange } from './schema/schema-change.js';
import { SchemaStore } from './schema/schema-store.js';
import type { CreateSeriesOptions, SeriesSchema } from './schema/schema-types.js';
import { byPrecedence, DataRegion, fileBlocks } from './storage/data-region.js';
import { appendMods } from './storage/deletion.js';
import { deviceExtent } from './storage/device-extent.js';
import { DiskSpace, diskFullError, isNoSpace, NODE_DISK_IO } from './storage/disk-space.js';
import { ReaderCache } from './storage/reader-cache.js';
import type { TsFileResource } from './storage/tsfile-resource.js';
import type { ArrivalLog } from './tap/arrival-log.js';
import { type DeleteRecord, deletionLog } from './tap/deletion-log.js';
import { schemaLog } from './tap/schema-log.js';
import { Tap } from './tap/tap.js';
import type { SchemaEvent, TapEvent } from './tap/tap-events.js';
import { segmentFileName } from './wal/wal-format.js';
import { readSegment, type WalReporter } from './wal/wal-reader.js';
import { readWalRecord, type WalRecord, writeWalRecord } from './wal/wal-record.js';
import { WalWriter } from './wal/wal-writer.js';

export interface LoadOptions {
  readonly deletions?: readonly { readonly pattern: string; readonly start: bigint; readonly end: bigint }[];
  /** Move the file into the data folder instead of copying it (the caller is done with it). */
  readonly move?: boolean;
  /** The node where the file's points were first written (a pipe's sender); '' or absent: this node. */
  readonly origin?: string;
}

/** Where a write comes from. */
export interface WriteOptions {
  /** The node where it was first made, for a write a pipe brought; '' or absent: this node. */
  readonly origin?: string;
  /**
   * Of writeAll: each tablet as it is to be written, made just before it is (so it sees the
   * schema the tablets before it created), e.g. a pipe receiver's type conversion.
   */
  readonly adapt?: (tablet: Tablet) => Tablet;
}

export interface TimeRange {
  readonly start?: bigint;
  readonly end?: bigint;
}

const MIN_TIME = INT64_MIN;
/** How long a flush that met a full data folder waits before it is tried again. */
const FLUSH_RETRY_MS = 500;
/** Free space the WAL folder must keep for writes to be accepted (less with small segments). */
const WAL_RESERVE_BYTES_MAX = 1024 * 1024;
const MAX_TIME = INT64_MAX;

/**
 * A storage engine on one folder: schema, WAL, memtables, TsFiles, queries and the tap.
 * Open it, write, query, flush, close; reopening recovers everything acknowledged.
 */
export class StorageEngine {
  readonly config: EngineConfig;
  readonly schema: SchemaStore;
  readonly tap: Tap;
  /** This node's persistent id: the origin its own writes carry to other nodes. */
  readonly nodeId: string;
  private readonly deletionLog: ArrivalLog<DeleteRecord>;
  private readonly schemaLog: ArrivalLog<SchemaEvent>;
  /** The origin schema changes made now are put on the tap with (a receiver's, while it applies a pipe's request). */
  private schemaOrigin = '';
  /** What the engine did, for metrics. */
  readonly counters = new EngineCounters();
  private readonly system: Database.Database;
  private readonly regions = new Map<string, DataRegion>();
  private readonly wal: WalWriter;
  private readonly flusher: FlushExecutor;
  /**
   * Large memtable arrays of sealed memtables, for the next ones: about two memtables' worth
   * (the one filling while the last one flushes), within the memtable budget.
   */
  private readonly buffers: BufferPool;
  private readonly readers = new ReaderCache();
  private readonly walDir: string;
  private nextArrival = 1;
  private version = 0;
  private flushChain: Promise<void> = Promise.resolve();
  private closed = false;
  /** Set by `close`: a flush that meets a full disk gives up (the WAL holds its data). */
  private closing = false;
  private readonly disk: DiskSpace;
  /** What recovery found damaged at open: torn or corrupt WAL entries, unfinished flushes. */
  readonly recoveryReports: string[] = [];

  private constructor(config: EngineConfig) {
    this.config = config;
    const systemDir = join(config.dir, 'system');
    const walDir = config.walDir ?? join(config.dir, 'wal');
    this.walDir = walDir;
    this.disk = new DiskSpace(config.diskIo ?? NODE_DISK_IO, config.diskSpaceWarningThreshold);
    for (const d of [systemDir, walDir, this.dataDir]) mkdirSync(d, { recursive: true });
    this.system = new Database(join(systemDir, 'system.db'));
    this.system.pragma('journal_mode = WAL');
    this.system.pragma('synchronous = FULL');
    this.nodeId = nodeIdentity(this.system);
    this.schema = new SchemaStore(this.system, config.defaultCompression);
    this.tap = new Tap(this.system);
    this.deletionLog = deletionLog(this.system);
    this.schemaLog = schemaLog(this.system);
    this.buffers = new BufferPool(Math.min(config.memtableBudgetBytes, 2 * config.memtableBytesMax));
    for (const db of this.schema.listDatabases()) this.region(db);
    let maxArrival = 0;
    for (const r of this.regions.values()) {
      const { maxVersion, reports } = r.recover();
      this.version = Math.max(this.version, maxVersion);
      this.recoveryReports.push(...reports);
      for (const f of r.resources) maxArrival = Math.max(maxArrival, f.maxArrival);
    }
    // The regions' memtables were made before the files' versions were known: they must rank
    // above every file, as what they will hold arrives after all of it.
    for (const r of this.regions.values()) r.renewWorkingMemtables();
    const segments = WalWriter.listSegments(walDir);
    const segmentInfo: { id: number; minSequence: number; maxSequence: number; bytes: number }[] = [];
    const reporter: WalReporter = {
      corruption: (segment, offset, bytes, reason) =>
        this.recoveryReports.push(`WAL segment ${segment} offset ${offset}: ${bytes} bytes, ${reason}`),
    };
    for (const id of segments) {
      let minSequence = -1;
      let maxSequence = -1;
      for (const entry of readSegment(walDir, id, reporter, id === segments.at(-1))) {
        const record = readWalRecord(entry.payload);
        maxSequence = Math.max(maxSequence, record.arrival);
        if (minSequence < 0 || record.arrival < minSequence) minSequence = record.arrival;
        maxArrival = Math.max(maxArrival, record.arrival);
        this.replayRecord(record);
        // A deletion acknowledged just before a crash may have missed the log.
        if (record.kind === 'delete' && this.tap.hasPins) this.deletionLog.add(record);
        if (record.kind === 'schema' && this.tap.hasPins) this.schemaLog.add(record);
      }
      segmentInfo.push({ id, minSequence, maxSequence, bytes: statSync(join(walDir, segmentFileName(id))).size });
    }
    this.nextArrival = maxArrival + 1;
    for (const r of this.regions.values()) r.commitSalvaged(maxArrival);
    this.wal = new WalWriter(
      walDir,
      {
        mode: config.walMode,
        asyncSyncMs: config.walAsyncSyncMs,
        segmentBytesMax: config.walSegmentBytesMax,
        ...(config.diskIo === undefined ? {} : { io: config.diskIo }),
        onNoSpace: (error) => this.disk.failedIn(walDir, error),
      },
      segmentInfo,
    );
    this.flusher = config.flushInWorker ? new WorkerFlushExecutor() : new InlineFlushExecutor();
    this.tap.onPinsMoved = () => this.releaseWal();
    this.schema.onChange = (change) => this.tapSchemaChange(change);
  }

  /**
   * A committed schema change in the WAL and on the tap, in its place in arrival order (the
   * WAL only orders it for consumers; the schema itself is in the system database).
   */
  private tapSchemaChange(change: SchemaChange): void {
    const event: SchemaEvent = {
      kind: 'schema',
      arrival: this.nextArrival++,
      arrivalTime: Date.now(),
      origin: this.schemaOrigin,
      change,
    };
    // Only a consumer (a pipe) needs the change's place in the WAL, as for the deletion log:
    // a node without one logs nothing more than before. Durable with the next group commit;
    // the change itself already is (in the system database), and should the append fail (a
    // full disk) the log below still holds it for pinned consumers.
    if (this.tap.hasPins) {
      this.wal.append(event.arrival, (out) => writeWalRecord(event, out)).catch(() => {});
      this.schemaLog.add(event);
    }
    this.tap.emit(event);
  }

  /** Runs a schema change (synchronous) under the origin of a write a pipe brought. */
  private withOrigin<T>(options: WriteOptions, change: () => T): T {
    this.schemaOrigin = this.originOf(options.origin);
    try {
      return change();
    } finally {
      this.schemaOrigin = '';
    }
  }

  static open(config: Partial<EngineConfig> & { dir: string }): StorageEngine {
    return new StorageEngine(resolveEngineConfig(config));
  }

  private get dataDir(): string {
    return join(this.config.dir, 'data');
  }

  /** The next arrival number to be given: every write before it has a smaller one. */
  get arrivalHighWater(): number {
    return this.nextArrival;
  }

  private region(database: string): DataRegion {
    let r = this.regions.get(database);
    if (r === undefined) {
      r = new DataRegion(database, this.dataDir, () => ++this.version, this.buffers);
      this.regions.set(database, r);
    }
    return r;
  }

  /** Re-applies a WAL record whose data is not in a sealed file. */
  private replayRecord(record: WalRecord): void {
    if (record.kind === 'insert') {
      const db = this.schema.databaseOf(parsePath(record.tablet.device));
      if (db === null) return;
      const region = this.region(db);
      if (record.arrival >= region.coveredUpTo) region.insert(record.tablet, record.arrival, record.origin);
    } else if (record.kind === 'delete') {
      for (const r of this.regions.values()) if (record.arrival >= r.coveredUpTo) r.replayDeletion(record);
    }
  }

  // ---------------------------------------------------------------- writes

  /**
   * Writes a tablet: schema checked (or created), an arrival number given, logged, applied
   * to the memtable and emitted on the tap. Resolves when as durable as the WAL mode says.
   */
  async write(tablet: Tablet, options: WriteOptions = {}): Promise<number> {
    const [arrival] = await this.writeAll([tablet], options);
    return arrival!;
  }

  /**
   * Writes tablets in order, as one request: each is taken (logged into the WAL's batch,
   * applied, emitted) before the next, and the request then waits once for all of them to
   * be durable, so its tablets share one group commit instead of one each. A tablet that
   * fails its checks fails the call; the ones before it stay written, as when they are
   * written one at a time (a sender that retries rewrites the same points).
   */
  async writeAll(tablets: readonly Tablet[], options: WriteOptions = {}): Promise<number[]> {
    const arrivals: number[] = [];
    const durable: Promise<void>[] = [];
    const regions = new Set<DataRegion>();
    this.checkOpen();
    // Once per request: the free space of two folders is two system calls. The request's own
    // bytes count too: its entries form one WAL batch, which waits for room if it meets a
    // full disk, so one too big for the room left is refused here instead.
    let requestBytes = 0;
    for (const tablet of tablets) requestBytes += tabletBytes(tablet);
    this.checkSpace(requestBytes);
    let refused: unknown = null;
    try {
      for (const tablet of tablets) {
        const taken = this.take(options.adapt === undefined ? tablet : options.adapt(tablet), options);
        arrivals.push(taken.arrival);
        durable.push(taken.durable);
        regions.add(taken.region);
      }
    } catch (error) {
      refused = error;
    }
    await this.logged(durable.length === 1 ? durable[0]! : Promise.all(durable).then(() => undefined));
    if (refused !== null) throw refused;
    for (const region of regions) await this.afterWrite(region);
    return arrivals;
  }

  /** The synchronous part of a write: checked, logged into the WAL's batch, applied and emitted. */
  private take(tablet: Tablet, options: WriteOptions): { arrival: number; durable: Promise<void>; region: DataRegion } {
    const origin = this.originOf(options.origin);
    validateTablet(tablet);
    const { database, device } = this.withOrigin({ origin }, () => this.ensureSchema(tablet));
    const t = device === tablet.device ? tablet : { ...tablet, device };
    const arrival = this.nextArrival++;
    const arrivalTime = Date.now();
    const durable = this.wal.append(arrival, (out) =>
      writeWalRecord({ kind: 'insert', arrival, arrivalTime, origin, tablet: t }, out),
    );
    const region = this.region(database);
    region.insert(t, arrival, origin);
    this.tap.emit({ kind: 'insert', arrival, arrivalTime, origin, database, tablet: t });
    this.counters.writeRequests++;
    this.counters.pointsWritten += pointsOf(t);
    return { arrival, durable, region };
  }

  /**
   * Writes rows (IoTDB's insertRecords): rows of the same device, alignment and measurement
   * list are grouped into tablets in arrival order. A row with a value of the wrong type
   * fails the call before anything is written.
   */
  async writeRows(rows: readonly Row[]): Promise<number[]> {
    return this.writeAll(rowsToTablets(rows));
  }

  /** The origin a write is kept under: '' for this node, also when named by its own id. */
  private originOf(origin: string | undefined): string {
    return origin === undefined || origin === this.nodeId ? '' : origin;
  }

  private ensureSchema(tablet: Tablet): { database: string; device: string } {
    let nodes: string[];
    try {
      nodes = parsePath(tablet.device);
    } catch (error) {
      throw new EngineError(StatusCode.ILLEGAL_PATH, (error as Error).message);
    }
    const device = formatPath(nodes);
    const entry = this.schema.device(device);
    const missing: { measurement: string; dataType: DataType }[] = [];
    tablet.measurements.forEach((m, j) => {
      const s = entry?.measurements.get(m);
      if (s === undefined) {
        missing.push({ measurement: m, dataType: tablet.dataTypes[j]! });
      } else if (s.dataType !== tablet.dataTypes[j]) {
        throw new EngineError(
          StatusCode.DATA_TYPE_MISMATCH,
          `data type of ${device}.${m} is not consistent, registered type ${dataTypeName(s.dataType)}, inserting type ${dataTypeName(tablet.dataTypes[j]!)}`,
        );
      }
    });
    if (missing.length > 0) {
      if (!this.config.autoCreateSchema) {
        throw new EngineError(StatusCode.PATH_NOT_EXIST, `Path [${device}.${missing[0]!.measurement}] does not exist`);
      }
      this.schema.createSeries(device, entry?.aligned ?? tablet.aligned, missing, this.config.defaultDatabaseLevel);
    } else if (entry !== undefined && entry.aligned !== tablet.aligned && entry.measurements.size > 0) {
      throw new EngineError(
        StatusCode.ALIGNED_TIMESERIES_ERROR,
        `timeseries under this device ${device} ${entry.aligned ? 'is aligned, please use aligned interface' : 'is not aligned, please use non-aligned interface'}`,
      );
    }
    const database = this.schema.device(device)?.database ?? this.schema.databaseOf(nodes);
    if (database === null || database === undefined) {
      throw new EngineError(StatusCode.DATABASE_NOT_EXIST, `Database is not set for current seriesPath: [${device}]`);
    }
    return { database, device };
  }

  /** Flushes a region past its threshold, and holds the writer back while memory is over budget. */
  private async afterWrite(region: DataRegion): Promise<void> {
    if (region.workingBytes() >= this.config.memtableBytesMax) this.scheduleFlush(region);
    while (this.totalMemtableBytes() > this.config.memtableBudgetBytes) {
      for (const r of this.regions.values()) if (r.hasWorkingData()) this.scheduleFlush(r);
      await this.flushChain;
      if (this.totalFrozenBytes() === 0) break;
    }
  }

  private totalMemtableBytes(): number {
    let total = 0;
    for (const r of this.regions.values()) total += r.workingBytes() + r.frozenBytes();
    return total;
  }

  private totalFrozenBytes(): number {
    let total = 0;
    for (const r of this.regions.values()) total += r.frozenBytes();
    return total;
  }

  /** Freezes a region's working memtables now and queues their flush (in order). */
  private scheduleFlush(region: DataRegion): Promise<void> {
    const frozen = region.freeze(this.schema, this.nextArrival);
    if (frozen === null) return this.flushChain;
    this.wal.rollOnNextWrite();
    this.flushChain = this.flushChain.then(async () => {
      const started = performance.now();
      const sealed = await this.flushUnit(region, frozen);
      this.countFlush((performance.now() - started) / 1000, sealed);
      for (const resource of sealed) this.tap.emit({ kind: 'tsfile-sealed', resource });
      this.releaseWal();
    });
    return this.flushChain;
  }

  private countFlush(seconds: number, sealed: readonly TsFileResource[]): void {
    const { counters } = this;
    counters.flushes++;
    counters.flushSeconds += seconds;
    counters.sealedFiles += sealed.length;
    for (const f of sealed) counters.sealedBytes += f.fileBytes;
    counters.flushObserved?.(seconds);
  }

  /** Bytes in memtables, working and frozen (IoTDB's memtable memory). */
  get memtableBytes(): number {
    return this.totalMemtableBytes();
  }

  /** WAL bytes written and fsyncs done since the engine opened. */
  get walCounters(): { readonly bytes: number; readonly syncs: number } {
    return { bytes: this.wal.bytesWritten, syncs: this.wal.syncs };
  }

  /**
   * Deletes WAL segments no longer needed by memtables or by pinned consumers; first, a
   * consumer whose pin keeps more than `pinnedWalBytesMax` lets go of the WAL (what it
   * needs comes back from sealed files and the deletion log when it resumes).
   */
  private releaseWal(): void {
    if (this.closed) return;
    for (const consumer of this.tap.consumers()) {
      const held = this.pinnedWalBytes(consumer);
      if (held > this.config.pinnedWalBytesMax) this.tap.letGo(consumer, this.nextArrival, held);
    }
    let min = Math.min(this.nextArrival, this.tap.minPinned());
    for (const r of this.regions.values()) min = Math.min(min, r.minUnflushedArrival());
    this.wal.release(min);
    this.deletionLog.prune(Math.min(this.nextArrival, this.tap.minPosition()));
    this.schemaLog.prune(Math.min(this.nextArrival, this.tap.minPosition()));
  }

  /** Bytes of WAL that `consumer`'s pin keeps on disk (0 when it has none). */
  pinnedWalBytes(consumer: string): number {
    const from = this.tap.walPinOf(consumer);
    return from === undefined ? 0 : this.wal.bytesFrom(from);
  }

  /** Bytes of every WAL segment on disk. */
  walBytes(): number {
    return this.wal.totalBytes();
  }

  /** Flushes every region's memtables into sealed TsFiles (IoTDB's FLUSH). */
  async flush(database?: string): Promise<void> {
    this.checkOpen();
    for (const [name, r] of this.regions) if (database === undefined || name === database) this.scheduleFlush(r);
    await this.flushChain;
  }

  // ---------------------------------------------------------------- queries

  /** Series matching a pattern (schema order). */
  matchSeries(pattern: string): SeriesSchema[] {
    return this.schema.matchSeries(new PathPattern(pattern));
  }

  /**
   * Points of one series in a time range, merged across files and memtables, deletions
   * applied, the latest arrival winning for a duplicate time; in blocks of bounded size.
   */
  *readSeries(device: string, measurement: string, range: TimeRange = {}): Generator<ColumnBlock> {
    const entry = this.schema.device(device);
    const series = entry?.measurements.get(measurement);
    if (entry === undefined || series === undefined) return;
    const region = this.regions.get(entry.database);
    if (region === undefined) return;
    const start = range.start ?? MIN_TIME;
    const end = range.end ?? MAX_TIME;
    const sources = region.sources(device, start, end).map((s) => {
      if (s.kind === 'file') return fileBlocks(this.readers, s, device, measurement, start, end);
      // Its blocks are views of the memtable's arrays, which must not be reused under them.
      s.memtable.lend(device, measurement);
      return memtableBlocks(s.memtable, device, measurement, start, end, series.dataType);
    });
    if (sources.length === 0) return;
    yield* mergeSeries(series.dataType, sources);
  }

  /** The latest point of a series (at or before `end`), or null. */
  last(device: string, measurement: string, range: TimeRange = {}): { time: bigint; value: unknown } | null {
    let found: { time: bigint; value: unknown } | null = null;
    for (const block of this.readSeries(device, measurement, range)) {
      if (block.length > 0) {
        found = { time: block.times[block.length - 1]!, value: (block.values as ArrayLike<unknown>)[block.length - 1] };
      }
    }
    return found;
  }

  /** Aggregations of one series over a time range (count, sum, avg, min/max, first/last, min/max time). */
  aggregate(device: string, measurement: string, range: TimeRange = {}): AggregateState {
    const series = this.schema.device(device)?.measurements.get(measurement);
    const state = emptyAggregate();
    if (series === undefined) return state;
    for (const block of this.readSeries(device, measurement, range)) accumulate(state, series.dataType, block);
    return state;
  }

  /**
   * What stands for arrivals from `from` up to the oldest entry of the WAL, when the WAL no
   * longer reaches back to `from` (null when it does): the deletions of that span (from the
   * deletion log, in arrival order) and the sealed files holding those arrivals (lower
   * precedence first; with their mods they hold the current state of their points). Applied
   * in that order, deletions then files, they leave a receiver as these arrivals left this
   * node; `upTo` is the first arrival the WAL holds.
   */
  fallback(
    from: number,
  ): { upTo: number; schema: SchemaEvent[]; deletions: DeleteRecord[]; files: TsFileResource[] } | null {
    this.wal.flushBatch();
    const walFirst = this.walFirst();
    if (from >= walFirst) return null;
    const files = this.sealedFiles().filter((f) => f.maxArrival >= from && f.minArrival < walFirst);
    files.sort(byPrecedence);
    return {
      upTo: walFirst,
      schema: this.schemaLog.between(from, walFirst),
      deletions: this.deletionLog.between(from, walFirst),
      files,
    };
  }

  /** The first arrival the WAL holds (the next one when it holds none). */
  private walFirst(): number {
    return this.wal.oldestSequence() ?? this.nextArrival;
  }

  /** The inserts, deletions and schema changes the WAL holds with arrival number >= `from`, in arrival order. */
  *walEvents(from: number): Generator<Exclude<TapEvent, { kind: 'tsfile-sealed' }>> {
    this.wal.flushBatch();
    for (const id of this.wal.segmentsFrom(from)) {
      for (const record of this.walRecords(id)) {
        if (record.arrival < from) continue;
        if (record.kind !== 'insert') {
          yield record;
        } else {
          const database = this.schema.databaseOf(parsePath(record.tablet.device));
          if (database !== null) yield { ...record, database };
        }
      }
    }
  }

  /**
   * Everything with arrival number >= `from`, for a consumer resuming (after a restart, or
   * when it fell behind): first, when the WAL no longer reaches back to `from`, the
   * `fallback` (its deletions, then its files as `tsfile-sealed` events); then the inserts
   * and deletions the WAL holds, in arrival order. A pin keeps the WAL from `from` on, so a
   * pinning consumer gets events only, unless it let go; inserts already in a handed-out
   * file may come again.
   */
  *replay(from: number): Generator<TapEvent> {
    const fallback = this.fallback(from);
    if (fallback !== null) {
      yield* fallback.schema;
      yield* fallback.deletions;
      for (const resource of fallback.files) yield { kind: 'tsfile-sealed', resource };
    }
    yield* this.walEvents(from);
  }

  private *walRecords(segment: number): Generator<WalRecord> {
    for (const entry of readSegment(this.walDir, segment, { corruption: () => {} }, false)) {
      yield readWalRecord(entry.payload);
    }
  }

  /** Sealed files, oldest first (history for pipes). */
  sealedFiles(): TsFileResource[] {
    const all: TsFileResource[] = [];
    for (const r of this.regions.values()) all.push(...r.resources);
    return all.sort((a, b) => a.version - b.version);
  }

  // ---------------------------------------------------------------- schema & deletions

  createDatabase(name: string, options: WriteOptions = {}): void {
    this.checkOpen();
    this.withOrigin(options, () => this.schema.createDatabase(name));
    this.region(formatPath(parsePath(name)));
  }

  deleteDatabases(pattern: string, options: WriteOptions = {}): string[] {
    this.checkOpen();
    const names = this.withOrigin(options, () => this.schema.deleteDatabases(pattern));
    for (const n of names) {
      this.regions.get(n)?.drop(this.readers);
      this.regions.delete(n);
    }
    return names;
  }

  /** Deletes data of series matching `pattern` in [start, end] (inclusive). */
  async delete(
    pattern: string,
    start: bigint = MIN_TIME,
    end: bigint = MAX_TIME,
    options: WriteOptions = {},
  ): Promise<void> {
    this.checkOpen();
    this.checkSpace();
    const origin = this.originOf(options.origin);
    let compiled: PathPattern;
    try {
      compiled = new PathPattern(pattern);
    } catch (error) {
      throw new EngineError(StatusCode.ILLEGAL_PATH, (error as Error).message);
    }
    const arrival = this.nextArrival++;
    const arrivalTime = Date.now();
    const record = { kind: 'delete', arrival, arrivalTime, origin, pattern: compiled.toString(), start, end } as const;
    const durable = this.wal.append(arrival, (out) => writeWalRecord(record, out));
    for (const r of this.regions.values()) r.delete(record);
    // Kept apart from the WAL for a consumer that lets go of it (no consumer, no need).
    if (this.tap.hasPins) this.deletionLog.add(record);
    this.tap.emit(record);
    await this.logged(durable);
  }

  /**
   * Deletes series (schema and data) matching a pattern; returns them. The data goes as one
   * deletion per series, by its full path: a consumer of the tap handles them after the
   * schema is gone, when the pattern could no longer say which series it reached.
   */
  async deleteTimeseries(pattern: string, options: WriteOptions = {}): Promise<SeriesSchema[]> {
    this.checkOpen();
    const victims = this.schema.matchSeries(new PathPattern(pattern));
    if (victims.length === 0) throw new EngineError(StatusCode.PATH_NOT_EXIST, `Path [${pattern}] does not exist`);
    for (const v of victims)
      await this.delete(formatPath([...parsePath(v.device), v.measurement]), MIN_TIME, MAX_TIME, options);
    this.withOrigin(options, () => this.schema.deleteSeries(new PathPattern(pattern)));
    return victims;
  }

  /**
   * Creates series of one device (CREATE [ALIGNED] TIMESERIES), as SchemaStore.createSeries
   * does, with the origin of a pipe that brought them. A missing database is created at the
   * default level when automatic schema creation is on, as for CREATE TIMESERIES.
   */
  createTimeseries(
    device: string,
    aligned: boolean,
    series: readonly (CreateSeriesOptions & { measurement: string })[],
    options: WriteOptions = {},
  ): SeriesSchema[] {
    this.checkOpen();
    const level = this.config.autoCreateSchema ? this.config.defaultDatabaseLevel : 0;
    return this.withOrigin(options, () => this.schema.createSeries(device, aligned, series, level));
  }

  /**
   * Imports a sealed TsFile: its series are created (or checked) from its metadata, it
   * gets an arrival number, and becomes an unsequence file if it overlaps existing data.
   * `deletions` (the sender's mods of the file) apply to the file's points only.
   */
  async load(path: string, options: LoadOptions = {}): Promise<TsFileResource> {
    this.checkOpen();
    this.checkSpace();
    const deletions = (options.deletions ?? []).map((d) => {
      try {
        return { pattern: new PathPattern(d.pattern).toString(), start: d.start, end: d.end };
      } catch (error) {
        throw new EngineError(StatusCode.ILLEGAL_PATH, (error as Error).message);
      }
    });
    if (!existsSync(path)) throw new EngineError(StatusCode.LOAD_FILE_ERROR, `file ${path} does not exist`);
    let reader: TsFileReader;
    try {
      reader = TsFileReader.open(path);
    } catch (error) {
      throw new EngineError(StatusCode.LOAD_FILE_ERROR, `${path} is not a valid TsFile: ${(error as Error).message}`);
    }
    const devices = new Map<string, { start: bigint; end: bigint }>();
    let points = 0;
    let database: string | null = null;
    try {
      for (const d of reader.schema()) {
        const entry = this.schema.device(d.device);
        for (const m of d.measurements) {
          const existing = entry?.measurements.get(m.name);
          if (existing !== undefined && existing.dataType !== m.dataType) {
            throw new EngineError(
              StatusCode.DATA_TYPE_MISMATCH,
              `${d.device}.${m.name} is ${dataTypeName(existing.dataType)} here, ${dataTypeName(m.dataType)} in ${path}`,
            );
          }
        }
        const missing = d.measurements.filter((m) => entry?.measurements.get(m.name) === undefined);
        if (missing.length > 0) {
          if (!this.config.autoCreateSchema)
            throw new EngineError(StatusCode.PATH_NOT_EXIST, `Path [${d.device}.${missing[0]!.name}] does not exist`);
          this.withOrigin(options, () =>
            this.schema.createSeries(
              d.device,
              d.aligned,
              missing.map((m) => ({
                measurement: m.name,
                dataType: m.dataType,
                encoding: m.encoding,
                compression: m.compression,
              })),
              this.config.defaultDatabaseLevel,
            ),
          );
        }
        const db = this.schema.device(d.device)!.database;
        if (database !== null && db !== database)
          throw new EngineError(StatusCode.LOAD_FILE_ERROR, `${path} spans databases ${database} and ${db}`);
        database = db;
        const extent = deviceExtent(reader, d.device);
        points += extent.points;
        devices.set(d.device, { start: extent.start, end: extent.end });
      }
    } finally {
      reader.close();
    }
    if (database === null) throw new EngineError(StatusCode.LOAD_FILE_ERROR, `${path} holds no data`);
    const region = this.region(database);
    // Precedence follows versions: data in memory arrived before this file and must rank
    // below it, data written from now on above it. So the working memtables are flushed,
    // and the file's version falls between theirs and their successors'.
    while (region.hasWorkingData()) await this.flush(database);
    const sequence = ![...devices].some(([d, range]) => region.overlaps(d, range.start));
    const version = ++this.version;
    region.renewWorkingMemtables();
    const target = join(sequence ? region.seqDir : region.unseqDir, `${Date.now()}-${version}-0-0.tsfile`);
    placeFile(path, target, options.move === true);
    const arrival = this.nextArrival++;
    for (const d of deletions) appendMods(target, { ...d, arrival });
    const resource: TsFileResource = {
      path: target,
      database,
      sequence,
      version,
      devices,
      minArrival: arrival,
      maxArrival: arrival,
      pointCount: points,
      fileBytes: statSync(target).size,
      loaded: true,
      coveredUpTo: 0,
      origin: this.originOf(options.origin),
    };
    region.addLoaded(resource);
    this.tap.emit({ kind: 'tsfile-sealed', resource });
    return resource;
  }

  regionsOf(): ReadonlyMap<string, DataRegion> {
    return this.regions;
  }

  /**
   * Refuses a write while the WAL or data folder is full (IoTDB's DISK_SPACE_INSUFFICIENT,
   * retriable): nothing of it is logged or applied. It is accepted again, by itself, once
   * there is room.
   */
  private checkSpace(requestBytes = 0): void {
    const { walSegmentBytesMax, memtableBytesMax } = this.config;
    this.disk.check([
      // The request's WAL entries, and what other writers batch with them (about a segment);
      // a flush, of a memtable the request may take past its threshold.
      { what: 'WAL', dir: this.walDir, reserve: Math.min(walSegmentBytesMax, WAL_RESERVE_BYTES_MAX) + requestBytes },
      { what: 'data', dir: this.dataDir, reserve: memtableBytesMax + requestBytes },
    ]);
  }

  /** Waits for a WAL entry to be durable; a full WAL folder at close is reported as such. */
  private async logged(durable: Promise<void>): Promise<void> {
    try {
      await durable;
    } catch (error) {
      if (isNoSpace(error)) throw diskFullError('WAL', this.walDir, (error as Error).message);
      throw error;
    }
  }

  /**
   * Flushes a frozen unit into sealed files. One that meets a full data folder (its files
   * already removed, whole or half) is tried again until there is room, its memtables and
   * WAL kept meanwhile, and writes are refused. At close it gives up: the WAL still holds
   * the data for the next start.
   */
  private async flushUnit(
    region: DataRegion,
    frozen: NonNullable<ReturnType<DataRegion['freeze']>>,
  ): Promise<TsFileResource[]> {
    for (;;) {
      const files = [];
      try {
        for (const { job, memtable } of frozen.jobs) {
          const result = await this.flusher.run(job);
          files.push({ memtable, path: job.path, ...result });
        }
        return region.sealed(frozen.unit, files);
      } catch (error) {
        if (!isNoSpace(error)) throw error;
        for (const { job } of frozen.jobs) rmSync(job.path, { force: true });
        if (this.closing) throw error;
        this.disk.failedIn(this.dataDir, error);
        await new Promise((resolve) => setTimeout(resolve, FLUSH_RETRY_MS));
      }
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new EngineError(StatusCode.STORAGE_ENGINE_ERROR, 'the storage engine is closed');
  }

  /** Flushes memtables, closes the WAL and the system database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    for (const r of this.regions.values()) this.scheduleFlush(r);
    // A flush the full disk refused leaves its data in the WAL, replayed at the next start.
    await this.flushChain.catch((error) => {
      if (!isNoSpace(error)) throw error;
    });
    this.closed = true;
    this.readers.close();
    this.wal.close();
    await this.flusher.close();
    this.system.close();
  }
}

function* memtableBlocks(
  memtable: import('./memtable/memtable.js').MemTable,
  device: string,
  measurement: string,
  start: bigint,
  end: bigint,
  dataType: DataType,
): Generator<ColumnBlock> {
  const buffer = memtable.series(device, measurement);
  if (buffer === undefined || buffer.dataType !== dataType) return;
  const view = buffer.sortedView();
  const from = firstAtOrAfter(view.times, start, 0, view.length);
  const to = firstAfter(view.times, end, from, view.length);
  if (to <= from) return;
  if (from === 0 && to === view.length) {
    yield view;
    return;
  }
  yield {
    times: view.times.subarray(from, to),
    values: Array.isArray(view.values) ? view.values.slice(from, to) : view.values.subarray(from, to),
    nulls: null,
    length: to - from,
  };
}

function validateTablet(t: Tablet): void {
  const bad = (why: string) => new EngineError(StatusCode.ILLEGAL_PARAMETER, `tablet of ${t.device}: ${why}`);
  if (!Number.isInteger(t.rowCount) || t.rowCount < 0) throw bad(`row count ${t.rowCount}`);
  if (t.times.length < t.rowCount) throw bad(`${t.times.length} timestamps for ${t.rowCount} rows`);
  if (t.measurements.length !== t.columns.length || t.measurements.length !== t.dataTypes.length) {
    throw bad(`${t.measurements.length} measurements, ${t.dataTypes.length} types, ${t.columns.length} columns`);
  }
  if (new Set(t.measurements).size !== t.measurements.length) throw bad('duplicate measurements');
  t.columns.forEach((c, j) => {
    if (c.length < t.rowCount) throw bad(`column ${t.measurements[j]} has ${c.length} values for ${t.rowCount} rows`);
    const n = t.nulls[j];
    if (n !== null && n !== undefined && n.length < t.rowCount)
      throw bad(`null map of ${t.measurements[j]} is too short`);
  });
}

/** Puts a loaded file at `target`: renamed when asked and on the same file system, else copied. */
function placeFile(path: string, target: string, move: boolean): void {
  if (move) {
    try {
      renameSync(path, target);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    }
  }
  copyFileSync(path, target);
}
