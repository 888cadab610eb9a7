import { join } from 'node:path';
import { EngineError, StatusCode } from '../engine/errors.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import { DoNothingConnector, type PipeConnector } from './connector/pipe-connector.js';
import { ThriftSyncConnector } from './connector/thrift-sync-connector.js';
import type { HistoryScope } from './extractor/history-events.js';
import { PathPrefixFilter } from './path-prefix-filter.js';
import {
  type ClauseAttributes,
  flag,
  type PipeClauses,
  type PipeDefinition,
  parseTimeBound,
  type ResolvedPlugin,
  resolveClause,
} from './pipe-definition.js';
import { type PipeProgress, type PipeState, PipeStore, type StoredPipe } from './pipe-store.js';
import { PipeTask } from './pipe-task.js';
import { BUILTIN_PLUGINS } from './plugin/builtin-plugins.js';
import { PipeParameterError } from './plugin/parameter-spec.js';

export interface PipeManagerOptions {
  readonly engine: StorageEngine;
  readonly systemDir: string;
  /** This node's RPC address, so a pipe to itself is refused. */
  readonly self: { readonly host: string; readonly port: number };
  readonly connectorTimeoutMs: number;
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
  readonly estimatedRemainingSeconds: number;
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
  private readonly tasks = new Map<string, PipeTask>();

  constructor(private readonly options: PipeManagerOptions) {
    this.store = new PipeStore(join(options.systemDir, 'pipes.db'));
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
    const extractor = resolveClause('extractor', clauses.extractor);
    resolveClause('processor', clauses.processor);
    const connector = resolveClause('connector', clauses.connector);
    if (!flag(extractor.parameters.get('history.enable')) && !flag(extractor.parameters.get('realtime.enable'))) {
      throw new PipeParameterError('history and realtime are both disabled: the pipe would sync nothing');
    }
    this.historyScope(extractor, 0);
    if (connector.plugin.name === 'iotdb-thrift-connector') {
      for (const t of targets(connector)) {
        if (t.port === this.options.self.port && (LOCAL_HOSTS.has(t.host) || t.host === this.options.self.host)) {
          throw new PipeParameterError(
            `the connector of pipe ${name} points at this node itself (${t.host}:${t.port})`,
          );
        }
      }
    }
    const { engine } = this.options;
    // History is what arrived before this point; flushing now puts all of it in sealed files.
    const cutArrival = engine.arrivalHighWater;
    engine.tap.pin(`pipe:${name}`, cutArrival);
    const definition: PipeDefinition = { name, creationTime: Date.now(), cutArrival, clauses };
    this.store.insert(definition, { historyDone: false, filesDone: [], realtimeFrom: cutArrival });
    await engine.flush();
    this.options.log(`pipe ${name} created`);
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
    this.options.engine.tap.unpin(`pipe:${name}`);
    this.options.log(`pipe ${name} dropped`);
  }

  show(name: string | null = null): PipeRow[] {
    return this.store
      .all()
      .filter((p) => name === null || p.definition.name === name)
      .map((p) => ({
        id: p.definition.name,
        creationTime: p.definition.creationTime,
        state: p.state,
        extractor: describe(p.definition.clauses.extractor),
        processor: describe(p.definition.clauses.processor),
        connector: describe(p.definition.clauses.connector),
        exceptionMessage: p.exception,
        remainingEventCount: Math.max(0, this.options.engine.arrivalHighWater - p.progress.realtimeFrom),
        estimatedRemainingSeconds: 0,
      }));
  }

  /** SHOW PIPES WHERE CONNECTOR USED BY id: pipes whose connector clause equals that pipe's. */
  sharingConnector(name: string): PipeRow[] {
    const pipe = this.mustFind(name);
    const key = describe(pipe.definition.clauses.connector);
    return this.show().filter((r) => r.connector === key);
  }

  plugins(): { name: string; className: string }[] {
    return BUILTIN_PLUGINS.map((p) => ({ name: p.name.toUpperCase(), className: p.className }));
  }

  /** Stops the tasks (their pipes stay RUNNING, to resume at the next start) and closes the store. */
  async close(): Promise<void> {
    await Promise.all([...this.tasks.keys()].map((n) => this.halt(n)));
    this.store.close();
  }

  private find(name: string): StoredPipe | undefined {
    return this.store.all().find((p) => p.definition.name === name);
  }

  private mustFind(name: string): StoredPipe {
    const pipe = this.find(name);
    if (pipe === undefined) throw new EngineError(StatusCode.PIPE_NOT_EXIST_ERROR, `pipe ${name} does not exist`);
    return pipe;
  }

  private async halt(name: string): Promise<void> {
    const task = this.tasks.get(name);
    this.tasks.delete(name);
    await task?.stop();
  }

  private historyScope(extractor: ResolvedPlugin, cutArrival: number): HistoryScope | null {
    if (!flag(extractor.parameters.get('history.enable'))) return null;
    const precision = this.options.engine.config.timestampPrecision;
    const start = extractor.parameters.get('history.start-time');
    const end = extractor.parameters.get('history.end-time');
    return {
      filter: new PathPrefixFilter(extractor.parameters.get('pattern') ?? 'root'),
      start: start === null || start === undefined ? null : parseTimeBound(start, precision),
      end: end === null || end === undefined ? null : parseTimeBound(end, precision),
      cutArrival,
    };
  }

  private connectorFor(pipe: StoredPipe): PipeConnector {
    const connector = resolveClause('connector', pipe.definition.clauses.connector);
    if (connector.plugin.name === 'do-nothing-connector') return new DoNothingConnector();
    return new ThriftSyncConnector({
      targets: targets(connector),
      timeoutMs: this.options.connectorTimeoutMs,
      timestampPrecision: this.options.engine.config.timestampPrecision,
      log: this.options.log,
    });
  }

  private launch(pipe: StoredPipe): void {
    const name = pipe.definition.name;
    const extractor = resolveClause('extractor', pipe.definition.clauses.extractor);
    const task = new PipeTask({
      name,
      engine: this.options.engine,
      connector: this.connectorFor(pipe),
      filter: new PathPrefixFilter(extractor.parameters.get('pattern') ?? 'root'),
      history: this.historyScope(extractor, pipe.definition.cutArrival),
      realtime: flag(extractor.parameters.get('realtime.enable')),
      progress: pipe.progress,
      save: (progress: PipeProgress) => {
        this.store.saveProgress(name, progress);
        this.options.engine.tap.pin(`pipe:${name}`, progress.realtimeFrom);
      },
      fail: (message) => {
        this.tasks.delete(name);
        this.store.setState(name, 'STOPPED', message);
      },
      log: this.options.log,
    });
    this.tasks.set(name, task);
  }
}
