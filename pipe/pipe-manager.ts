import { join } from 'node:path';
import { EngineError, StatusCode } from '../engine/errors.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import type { AuthFeed } from './auth/auth-sync.js';
import { connectorKey } from './connector/connector-key.js';
import { LegacyPipeConnector } from './connector/legacy-pipe-connector.js';
import { DoNothingConnector, type PipeConnector } from './connector/pipe-connector.js';
import { SharedConnectors } from './connector/shared-connectors.js';
import { sinkSockets } from './connector/sink-tls.js';
import { type ByteRateLimiter, rateLimiterOf } from './connector/transport/byte-rate-limiter.js';
import { thriftSink } from './connector/transport/thrift-sink.js';
import type { DeliveryRate } from './delivery-rate.js';
import type { HistoryScope } from './extractor/history-events.js';
import { forwardsPipeRequests } from './extractor/origin-filter.js';
import { type SourceScope, sourceScope } from './extractor/source-scope.js';
import { PipeCounters } from './pipe-counters.js';
import {
  alterClauses,
  type ClauseAttributes,
  flag,
  type PipeClauseChanges,
  type PipeClauses,
  type PipeDefinition,
  type ResolvedPlugin,
  resolveClause,
} from './pipe-definition.js';
import { type PipeProgress, type PipeState, PipeStore, type StoredPipe } from './pipe-store.js';
import { PipeTask } from './pipe-task.js';
import { checkDownSampling } from './plugin/down-sampling/down-sampling-processors.js';
import { PipeParameterError } from './plugin/parameter-spec.js';
import {
  isUserExtractor,
  type PluginChainOptions,
  userConnector,
  userExtractorTask,
  validateUserPlugins,
  withProcessor,
} from './plugin/plugin-chain.js';
import { isUserPlugin, PipePluginRegistry, type PluginRow } from './plugin/plugin-registry.js';
import { pluginUsage } from './plugin/plugin-usage.js';
import { SubtaskSlots } from './subtask-slots.js';

export interface PipeManagerOptions {
  readonly engine: StorageEngine;
  readonly systemDir: string;
  /** This node's RPC address, so a pipe to itself is refused. */
  readonly self: { readonly host: string; readonly port: number };
  readonly connectorTimeoutMs: number;
  /** `pipe_subtask_executor_max_thread_num`: pipes delivering at once, capped by the cores. */
  readonly subtaskExecutorMaxThreadNum: number;
  /** `pipe_async_connector_core_client_number` and `_max_client_number`. */
  readonly asyncConnectorClients: { readonly core: number; readonly max: number };
  /** `pipe_all_sinks_rate_limit_bytes_per_second`: 0 or less (or absent) for no limit. */
  readonly allSinksRateLimitBytesPerSecond?: number;
  /** `pipe_lib_dir`: where CREATE PIPEPLUGIN copies plugin files (default `<system>/pipe-lib`). */
  readonly pipeLibDir?: string;
  /** The node's users, for pipes whose `source.inclusion` selects `auth`; absent: none are shipped. */
  readonly users?: AuthFeed;
  readonly log: (message: string) => void;
}

/** One row of SHOW PIPES. */
export interface PipeRow {
  readonly id: string;
  readonly creationTime: number;
  readonly state: PipeState;
  readonly extractor: string;
  readonly processor: string;
  readonly connector: string;
  readonly exceptionMessage: string;
  readonly remainingEventCount: number;
  /** From the recent delivery rate: 0 when nothing remains, Infinity when nothing is moving. */
  readonly estimatedRemainingSeconds: number;
}

/** Files and bytes of a pipe's history, and how many of them were delivered. */
export interface HistoryProgress {
  readonly done: number;
  readonly total: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

/** A SHOW PIPES row with the figures of a progress view. */
export interface PipeProgressRow extends PipeRow {
  /** Null: the pipe has no history from the built-in extractor. */
  readonly history: HistoryProgress | null;
  /** Events acknowledged per second over the recent window; 0 when the pipe does not run. */
  readonly eventsPerSecond: number;
  /** Realtime events after the last acknowledged one; null when the pipe has no built-in realtime source. */
  readonly realtimeEventsLeft: number | null;
  /** Seconds from arrival to acknowledgement of the last realtime write delivered; null before the first. */
  readonly realtimeLagSeconds: number | null;
  /** Bytes of WAL the pipe's pin keeps on disk (0 once it let go of the WAL or holds none). */
  readonly pinnedWalBytes: number;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '0.0.0.0', '::1']);

function pipeError(message: string): EngineError {
  return new EngineError(StatusCode.PIPE_ERROR, message);
}

function describe(attributes: ClauseAttributes): string {
  return `{${attributes.map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

/** The receivers a thrift connector targets, from `ip` + `port` or `node-urls`. */
function targets(connector: ResolvedPlugin): { host: string; port: number }[] {
  const urls = connector.parameters.get('node-urls');
  if (urls !== null && urls !== undefined) {
    return urls.split(',').map((u) => {
      const [host, port] = u.trim().split(':');
      return { host: host!, port: Number(port) };
    });
  }
  const ip = connector.parameters.get('ip');
  const port = connector.parameters.get('port');
  if (ip === null || ip === undefined || port === null || port === undefined) {
    throw new PipeParameterError(
      `connector '${connector.plugin.name}' needs 'connector.ip' and 'connector.port', or 'connector.node-urls'`,
    );
  }
  return [{ host: ip, port: Number(port) }];
}

/**
 * The pipes of a node: CREATE/START/STOP/DROP/SHOW, their tasks, and their persisted
 * definitions, states and progress. RUNNING pipes resume when the node starts again.
 */
export class PipeManager {
  private readonly store: PipeStore;
  private readonly tasks = new Map<string, { stop(graceful?: boolean): Promise<void>; readonly rate?: DeliveryRate }>();
  private readonly connectors = new SharedConnectors();
  /** One limiter for every sink of the node. */
  private readonly allSinksLimiter: ByteRateLimiter | null;
  private readonly counters = new Map<string, PipeCounters>();
  /** Hears each pipe's counters when they are made (the metrics reporter hooks its histograms here). */
  onCounters: ((pipe: string, counters: PipeCounters) => void) | null = null;
  readonly slots: SubtaskSlots;
  /** Built-in and user (CREATE PIPEPLUGIN) plugins; `find` is the lookup every clause resolves with. */
  readonly pluginRegistry: PipePluginRegistry;

  constructor(private readonly options: PipeManagerOptions) {
    this.allSinksLimiter = rateLimiterOf(options.allSinksRateLimitBytesPerSecond ?? -1);
    this.store = new PipeStore(join(options.systemDir, 'pipes.db'));
    this.slots = new SubtaskSlots(SubtaskSlots.effectiveSize(options.subtaskExecutorMaxThreadNum));
    this.pluginRegistry = new PipePluginRegistry({
      libDir: options.pipeLibDir ?? join(options.systemDir, 'pipe-lib'),
      systemDir: options.systemDir,
      log: options.log,
    });
    options.engine.tap.onLetGo((consumer, heldBytes, walFrom) => {
      const limit = options.engine.config.pinnedWalBytesMax;
      options.log(
        `${consumer.replace(/^pipe:/, 'pipe ')} pinned ${heldBytes} bytes of WAL, over pipe_max_allowed_pinned_wal_size_in_byte=${limit}: it lets go of the WAL below arrival ${walFrom} and ships the sealed files holding those arrivals when it resumes`,
      );
    });
  }

  /** Imports the registered user plugins; call before `resume`. */
  loadPlugins(): Promise<void> {
    return this.pluginRegistry.load();
  }

  /** Starts the tasks of pipes that were RUNNING when the node stopped. */
  resume(): void {
    for (const p of this.store.all()) if (p.state === 'RUNNING') this.launch(p);
  }

  async create(name: string, ifNotExists: boolean, clauses: PipeClauses): Promise<void> {
    if (this.find(name) !== undefined) {
      if (ifNotExists) return;
      throw pipeError(`Failed to create pipe ${name}, the pipe with the same name has been created`);
    }
    const { builtinExtractor } = await this.checkClauses(name, clauses);
    const { engine } = this.options;
    // History is what arrived before this point; flushing now puts all of it in sealed files.
    const cutArrival = engine.arrivalHighWater;
    // Only the built-in extractor reads the WAL; a user extractor supplies its own events.
    if (builtinExtractor) engine.tap.pin(`pipe:${name}`, cutArrival);
    const definition: PipeDefinition = { name, creationTime: Date.now(), cutArrival, clauses };
    this.store.insert(definition, { historyDone: false, filesDone: [], realtimeFrom: cutArrival });
    await engine.flush();
    this.options.log(`pipe ${name} created`);
  }

  /**
   * ALTER PIPE: the changed clauses are checked as CREATE PIPE checks them and stored. A
   * running pipe is stopped once what it has in flight is acknowledged and starts again
   * with the new clauses from the progress it had: nothing is sent twice or skipped.
   */
  async alter(name: string, ifExists: boolean, changes: PipeClauseChanges): Promise<void> {
    const pipe = this.find(name);
    if (pipe === undefined) {
      if (ifExists) return;
      throw pipeError(`Failed to alter pipe ${name}, the pipe does not exist`);
    }
    const clauses = alterClauses(pipe.definition.clauses, changes);
    const { builtinExtractor } = await this.checkClauses(name, clauses);
    const before = resolveClause('extractor', pipe.definition.clauses.extractor, this.pluginRegistry.find);
    if (builtinExtractor === isUserExtractor(before)) {
      throw new PipeParameterError(
        `pipe ${name}: ALTER PIPE cannot switch between the built-in extractor and a user extractor; drop and create the pipe`,
      );
    }
    await this.halt(name, true);
    this.store.updateDefinition({ ...pipe.definition, clauses });
    const altered = this.mustFind(name);
    if (altered.state === 'RUNNING') this.launch(altered);
    this.options.log(`pipe ${name} altered`);
  }

  /** What CREATE PIPE and ALTER PIPE check of the clauses before anything changes. */
  private async checkClauses(name: string, clauses: PipeClauses): Promise<{ builtinExtractor: boolean }> {
    const lookup = this.pluginRegistry.find;
    const extractor = resolveClause('extractor', clauses.extractor, lookup);
    const processor = resolveClause('processor', clauses.processor, lookup);
    const connector = resolveClause('connector', clauses.connector, lookup);
    await validateUserPlugins({ extractor, processor, connector }, this.pluginRegistry);
    checkDownSampling(processor);
    const builtinExtractor = !isUserExtractor(extractor);
    if (
      builtinExtractor &&
      !flag(extractor.parameters.get('history.enable')) &&
      !flag(extractor.parameters.get('realtime.enable'))
    ) {
      throw new PipeParameterError('history and realtime are both disabled: the pipe would sync nothing');
    }
    if (builtinExtractor) {
      this.sourceScope(extractor, Date.now());
      forwardsPipeRequests(extractor.parameters);
    }
    if (connector.plugin.role === 'connector' && connector.parameters.has('port')) {
      for (const t of targets(connector)) {
        if (t.port === this.options.self.port && (LOCAL_HOSTS.has(t.host) || t.host === this.options.self.host)) {
          throw new PipeParameterError(
            `the connector of pipe ${name} points at this node itself (${t.host}:${t.port})`,
          );
        }
      }
    }
    return { builtinExtractor };
  }

  start(name: string): void {
    const pipe = this.mustFind(name);
    if (pipe.state === 'RUNNING') return;
    this.store.setState(name, 'RUNNING', '');
    this.launch({ ...pipe, state: 'RUNNING', exception: '' });
    this.options.log(`pipe ${name} started`);
  }

  async stop(name: string): Promise<void> {
    this.mustFind(name);
    await this.halt(name);
    this.store.setState(name, 'STOPPED', '');
    this.options.log(`pipe ${name} stopped`);
  }

  async drop(name: string, ifExists: boolean): Promise<void> {
    if (this.find(name) === undefined) {
      if (ifExists) return;
      throw pipeError(`Failed to drop pipe ${name}, the pipe does not exist`);
    }
    await this.halt(name);
    this.store.delete(name);
    this.counters.delete(name);
    this.options.engine.tap.unpin(`pipe:${name}`);
    this.options.log(`pipe ${name} dropped`);
  }

  show(name: string | null = null): PipeRow[] {
    return this.store
      .all()
      .filter((p) => name === null || p.definition.name === name)
      .map((p) => {
        const remaining = this.remainingEvents(p);
        const rate = this.tasks.get(p.definition.name)?.rate;
        return {
          id: p.definition.name,
          creationTime: p.definition.creationTime,
          state: p.state,
          extractor: describe(p.definition.clauses.extractor),
          processor: describe(p.definition.clauses.processor),
          connector: describe(p.definition.clauses.connector),
          // A running pipe shows the refusal a transfer is being retried on (sink.exception.*).
          exceptionMessage:
            p.exception || (p.state === 'RUNNING' ? (this.counters.get(p.definition.name)?.refusal ?? '') : ''),
          remainingEventCount: remaining,
          estimatedRemainingSeconds:
            rate === undefined ? (remaining === 0 ? 0 : Number.POSITIVE_INFINITY) : rate.secondsFor(remaining),
        };
      });
  }

  /**
   * SHOW PIPES WHERE CONNECTOR USED BY id: the pipes whose connector clause resolves to the
   * same plugin and parameters as that pipe's, so they share one connector instance.
   */
  sharingConnector(name: string): PipeRow[] {
    const lookup = this.pluginRegistry.find;
    const key = connectorKey(resolveClause('connector', this.mustFind(name).definition.clauses.connector, lookup));
    const sharing = new Set(
      this.store
        .all()
        .filter((p) => connectorKey(resolveClause('connector', p.definition.clauses.connector, lookup)) === key)
        .map((p) => p.definition.name),
    );
    return this.show().filter((r) => sharing.has(r.id));
  }

  /**
   * Events a pipe has still to deliver, as IoTDB counts them: history files not yet
   * delivered (each one event) and realtime events after its last acknowledged one. A
   * history file counts as delivered once the receiver has loaded it.
   */
  private remainingEvents(p: StoredPipe): number {
    const { engine } = this.options;
    const { progress, definition } = p;
    const extractor = resolveClause('extractor', definition.clauses.extractor, this.pluginRegistry.find);
    // A user extractor keeps its own position: the node cannot tell what is left.
    if (isUserExtractor(extractor)) return 0;
    const history = flag(extractor.parameters.get('history.enable')) ? this.historyFilesLeft(p) : 0;
    return history + Math.max(0, engine.arrivalHighWater - progress.realtimeFrom);
  }

  /** History files of a pipe not yet delivered. */
  private historyFilesLeft({ progress, definition }: StoredPipe): number {
    if (progress.historyDone) return 0;
    return this.options.engine
      .sealedFiles()
      .filter((f) => f.maxArrival < definition.cutArrival && !progress.filesDone.includes(f.version)).length;
  }

  /**
   * A pipe's running totals for metrics (made on first ask; they outlive the pipe's task and
   * are forgotten when it is dropped). A connector shared by pipes reports its bytes and
   * retries to the pipe that opened it.
   */
  countersOf(name: string): PipeCounters {
    let counters = this.counters.get(name);
    if (counters === undefined) {
      counters = new PipeCounters();
      this.counters.set(name, counters);
      this.onCounters?.(name, counters);
    }
    return counters;
  }

  /**
   * Where a pipe's history stands: files and their bytes in it, and those delivered (null for
   * a pipe with no history from the built-in extractor). A delivered file merged away since
   * counts with no bytes.
   */
  historyProgress(name: string): HistoryProgress | null {
    const p = this.find(name);
    if (p === undefined) return null;
    const extractor = resolveClause('extractor', p.definition.clauses.extractor, this.pluginRegistry.find);
    if (isUserExtractor(extractor) || !flag(extractor.parameters.get('history.enable'))) return null;
    const { progress, definition } = p;
    const inHistory = this.options.engine.sealedFiles().filter((f) => f.maxArrival < definition.cutArrival);
    const delivered = new Set(progress.filesDone);
    let bytesDone = 0;
    let bytesLeft = 0;
    for (const f of inHistory) {
      if (delivered.has(f.version)) bytesDone += f.fileBytes;
      else if (!progress.historyDone) bytesLeft += f.fileBytes;
    }
    const done = progress.filesDone.length;
    return { done, total: done + this.historyFilesLeft(p), bytesDone, bytesTotal: bytesDone + bytesLeft };
  }

  /**
   * SHOW PIPES PROGRESS: SHOW PIPES' figures with the history's files and bytes, the
   * delivery rate, and the realtime events left and their last lag.
   */
  progress(): PipeProgressRow[] {
    const arrivals = this.options.engine.arrivalHighWater;
    return this.show().map((row) => {
      const p = this.mustFind(row.id);
      const extractor = resolveClause('extractor', p.definition.clauses.extractor, this.pluginRegistry.find);
      const realtime = !isUserExtractor(extractor) && flag(extractor.parameters.get('realtime.enable'));
      return {
        ...row,
        history: this.historyProgress(row.id),
        eventsPerSecond: this.tasks.get(row.id)?.rate?.perSecond() ?? 0,
        realtimeEventsLeft: realtime ? Math.max(0, arrivals - p.progress.realtimeFrom) : null,
        realtimeLagSeconds: realtime ? (this.counters.get(row.id)?.lastLagSeconds ?? null) : null,
        pinnedWalBytes: this.options.engine.pinnedWalBytes(`pipe:${row.id}`),
      };
    });
  }

  /** Connector instances alive (pipes with the same connector share one). */
  get connectorInstances(): number {
    return this.connectors.size;
  }

  /** SHOW PIPEPLUGINS: built-in, then user plugins, with their declared parameters. */
  plugins(): PluginRow[] {
    return this.pluginRegistry.rows();
  }

  /** CREATE PIPEPLUGIN [IF NOT EXISTS] name AS 'export' USING URI 'file'. */
  createPlugin(name: string, ifNotExists: boolean, className: string, uri: string): Promise<void> {
    return this.pluginRegistry.create(name, ifNotExists, className, uri);
  }

  /** DROP PIPEPLUGIN [IF EXISTS] name: refused while a pipe names the plugin. */
  dropPlugin(name: string, ifExists: boolean): void {
    const pipes = this.store.all().map((p) => ({ name: p.definition.name, clauses: p.definition.clauses }));
    this.pluginRegistry.drop(name, ifExists, (key) => pluginUsage(key, pipes));
  }

  /** Stops the tasks (their pipes stay RUNNING, to resume at the next start) and closes the store. */
  async close(): Promise<void> {
    await Promise.all([...this.tasks.keys()].map((n) => this.halt(n)));
    this.store.close();
    this.pluginRegistry.close();
  }

  private find(name: string): StoredPipe | undefined {
    return this.store.all().find((p) => p.definition.name === name);
  }

  private mustFind(name: string): StoredPipe {
    const pipe = this.find(name);
    if (pipe === undefined) throw new EngineError(StatusCode.PIPE_NOT_EXIST_ERROR, `pipe ${name} does not exist`);
    return pipe;
  }

  /** Stops a pipe's task; `graceful`: after what it has in flight is acknowledged (ALTER PIPE). */
  private async halt(name: string, graceful = false): Promise<void> {
    const task = this.tasks.get(name);
    this.tasks.delete(name);
    await task?.stop(graceful);
  }

  /** The extractor's selection; `now` in its times is the pipe's creation time. */
  private sourceScope(extractor: ResolvedPlugin, creationTime: number): SourceScope {
    return sourceScope(extractor.parameters, this.options.engine.config.timestampPrecision, creationTime);
  }

  private historyScope(extractor: ResolvedPlugin, scope: SourceScope, cutArrival: number): HistoryScope | null {
    if (!flag(extractor.parameters.get('history.enable'))) return null;
    return { filter: scope.filter, ...scope.history, cutArrival };
  }

  private connectorFor(pipe: StoredPipe): PipeConnector {
    const connector = resolveClause('connector', pipe.definition.clauses.connector, this.pluginRegistry.find);
    return this.connectors.acquire(connectorKey(connector), pipe.definition.name, () =>
      this.newConnector(connector, pipe),
    );
  }

  /** What user plugins of a pipe get to know about it. */
  private pluginOptions(pipe: StoredPipe): PluginChainOptions {
    const { definition } = pipe;
    return {
      pipeName: definition.name,
      creationTime: definition.creationTime,
      timestampPrecision: this.options.engine.config.timestampPrecision,
      registry: this.pluginRegistry,
      log: this.options.log,
    };
  }

  private newConnector(connector: ResolvedPlugin, pipe: StoredPipe): PipeConnector {
    const { options } = this;
    if (isUserPlugin(connector.plugin)) return userConnector(connector, this.pluginOptions(pipe));
    if (connector.plugin.name === 'do-nothing-connector') return new DoNothingConnector();
    const thrift = {
      targets: targets(connector),
      timeoutMs: options.connectorTimeoutMs,
      timestampPrecision: options.engine.config.timestampPrecision,
      clusterId: options.engine.nodeId,
      // Declared with defaults, so present.
      user: connector.parameters.get('user')!,
      password: connector.parameters.get('password')!,
      ...sinkSockets(connector.parameters),
      convertOnTypeMismatch: flag(connector.parameters.get('exception.data.convert-on-type-mismatch')),
      log: options.log,
      allSinksLimiter: this.allSinksLimiter,
      meter: this.countersOf(pipe.definition.name),
    };
    switch (connector.plugin.name) {
      case 'iotdb-legacy-pipe-connector':
        return new LegacyPipeConnector({
          ...thrift.targets[0]!,
          user: thrift.user,
          password: thrift.password,
          version: connector.parameters.get('version')!,
          pipeName: pipe.definition.name,
          creationTime: pipe.definition.creationTime,
          timeoutMs: options.connectorTimeoutMs,
          log: options.log,
        });
      case 'iotdb-thrift-async-connector':
        return thriftSink(connector.parameters, thrift, {
          coreClients: options.asyncConnectorClients.core,
          maxClients: options.asyncConnectorClients.max,
        });
      default:
        return thriftSink(connector.parameters, thrift);
    }
  }

  private launch(pipe: StoredPipe): void {
    const name = pipe.definition.name;
    const lookup = this.pluginRegistry.find;
    const extractor = resolveClause('extractor', pipe.definition.clauses.extractor, lookup);
    // A user or down-sampling processor sits in front of the connector; with do-nothing this is the connector itself.
    const processor = resolveClause('processor', pipe.definition.clauses.processor, lookup);
    const connector = withProcessor(processor, this.connectorFor(pipe), this.pluginOptions(pipe));
    const fail = (message: string) => {
      this.countersOf(name).failures++;
      this.tasks.delete(name);
      this.store.setState(name, 'STOPPED', message);
    };
    if (isUserExtractor(extractor)) {
      const options = { ...this.pluginOptions(pipe), slots: this.slots, fail };
      this.tasks.set(name, userExtractorTask(extractor, connector, options));
      return;
    }
    const scope = this.sourceScope(extractor, pipe.definition.creationTime);
    const task = new PipeTask({
      name,
      engine: this.options.engine,
      connector,
      filter: scope.filter,
      times: scope.realtime,
      history: this.historyScope(extractor, scope, pipe.definition.cutArrival),
      realtime: flag(extractor.parameters.get('realtime.enable')),
      inclusion: scope.inclusion,
      ...(this.options.users === undefined ? {} : { users: this.options.users }),
      forwarding: forwardsPipeRequests(extractor.parameters),
      progress: pipe.progress,
      counters: this.countersOf(name),
      slots: this.slots,
      save: (progress: PipeProgress) => {
        try {
          this.store.saveProgress(name, progress);
          this.options.engine.tap.pin(`pipe:${name}`, progress.realtimeFrom);
        } catch (error) {
          // A full system disk: the pipe goes on and the progress is saved the next time
          // (a restart meanwhile resends a little more, never less).
          this.options.log(`pipe ${name}: progress not saved this time: ${(error as Error).message}`);
        }
      },
      fail,
      log: this.options.log,
    });
    this.tasks.set(name, task);
  }
}
