/**
 * The API of user pipe plugins: what an ES module loaded with `CREATE PIPEPLUGIN` exports,
 * and what the node hands to it. The shapes follow IoTDB's PipeExtractor, PipeProcessor and
 * PipeConnector (`validate`, `customize`, `process` / `transfer`, `close`) in TypeScript
 * terms. A plugin file needs no import from this project: everything it uses arrives as
 * arguments (the node's `apache-arrow` module included, in the runtime context).
 */
import type * as Arrow from 'apache-arrow';
import type { TimestampPrecision } from '../../engine/engine-config.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { PluginRole } from './builtin-plugins.js';
import type { ParameterSpec } from './parameter-spec.js';
import type { PipeParameters } from './plugin-parameters.js';

export type { PluginRole } from './builtin-plugins.js';
export type { ParameterSpec, ParameterType } from './parameter-spec.js';
export type { PipeParameters } from './plugin-parameters.js';

// ---------------------------------------------------------------------------------------
// Events

/**
 * Rows of one device (IoTDB's TabletInsertionEvent). The tablet and its arrays belong to
 * the node and are read-only; a processor that changes data builds a new tablet (or Arrow
 * batch) and collects `withTablet(...)` / `withRecordBatch(...)`.
 */
export interface TabletInsertionEvent {
  readonly kind: 'tablet-insertion';
  readonly tablet: Tablet;
  /**
   * The rows as an Arrow RecordBatch: a non-null `time` Timestamp column in the node's
   * precision, then one column per measurement. Times, INT32, INT64, TIMESTAMP, FLOAT and
   * DOUBLE columns share memory with the tablet (no copy); BOOLEAN is bit-packed, DATE
   * becomes Date32 days, TEXT/STRING become Utf8 and BLOB Binary (copies). Validity comes
   * from the tablet's null bytes. Schema metadata `iotdb.device` and `iotdb.aligned`, and
   * per field `iotdb.dataType`, keep what Arrow cannot say. Utf8 columns hold the value
   * bytes unchanged, but Arrow's `get()` decodes them with a TextDecoder that drops a
   * leading U+FEFF: read `data[0].values` between `valueOffsets`, or `tablet`, for exact bytes.
   */
  toRecordBatch(): Arrow.RecordBatch;
  /** A new event of the same device with other rows or columns. */
  withTablet(tablet: Tablet): TabletInsertionEvent;
  /**
   * A new event from a batch shaped like `toRecordBatch()`'s (columns may be dropped,
   * filtered or replaced); fixed-width columns are used without copying.
   */
  withRecordBatch(batch: Arrow.RecordBatch): TabletInsertionEvent;
}

/**
 * A sealed TsFile that history ships whole (IoTDB's TsFileInsertionEvent): every point in
 * it is in the pipe's scope. Collecting it ships the file as it is; a processor that
 * needs rows reads it with `toTabletInsertionEvents()` and collects those instead.
 */
export interface TsFileInsertionEvent {
  readonly kind: 'tsfile-insertion';
  readonly path: string;
  /** The file's points, a page at a time: one event per series (or per aligned device). */
  toTabletInsertionEvents(): Iterable<TabletInsertionEvent>;
}

/** A deletion of every series under `pattern`, times in [start, end]. */
export interface DeletionEvent {
  readonly kind: 'deletion';
  readonly pattern: string;
  readonly start: bigint;
  readonly end: bigint;
}

export type PipeEvent = TabletInsertionEvent | TsFileInsertionEvent | DeletionEvent;

/**
 * Where a processor puts what goes on to the connector, in order. Events a processor does
 * not collect are dropped. The promise resolves when the connector has taken the event;
 * awaiting it bounds memory (a processor that does not await may collect freely, and a
 * delivery failure still stops the pipe). Collect only while `process` runs.
 */
export interface EventCollector {
  collect(event: PipeEvent): Promise<void>;
}

/** What a plugin learns about the pipe it runs in (IoTDB's runtime configuration). */
export interface PipeRuntimeContext {
  readonly pipeName: string;
  readonly creationTime: number;
  readonly timestampPrecision: TimestampPrecision;
  /** The node's `apache-arrow` module, to build batches of the same classes as the node's. */
  readonly arrow: typeof Arrow;
  log(message: string): void;
}

// ---------------------------------------------------------------------------------------
// Plugins

type MaybePromise<T> = T | Promise<T>;

/** What every plugin may implement; all optional. */
export interface PluginLifecycle {
  /** Cross-parameter checks at CREATE PIPE (each value is already checked against its declaration); throw to refuse. */
  validate?(parameters: PipeParameters): MaybePromise<void>;
  /** Called once before the first event, with the pipe's parameters. */
  customize?(parameters: PipeParameters, context: PipeRuntimeContext): MaybePromise<void>;
  /** Called when the pipe stops or is dropped. */
  close?(): MaybePromise<void>;
}

/** IoTDB's PipeProcessor: sees every event and collects what goes on. */
export interface ProcessorPlugin extends PluginLifecycle {
  process(event: PipeEvent, collector: EventCollector): MaybePromise<void>;
}

/** IoTDB's PipeConnector: delivers each event; the event counts as delivered when `transfer` resolves. */
export interface ConnectorPlugin extends PluginLifecycle {
  handshake?(): MaybePromise<void>;
  transfer(event: PipeEvent): MaybePromise<void>;
}

/**
 * IoTDB's PipeExtractor: supplies events, one per `supply` call (null: nothing for now).
 * It keeps its own position; the node saves no progress for it.
 */
export interface ExtractorPlugin extends PluginLifecycle {
  start?(): MaybePromise<void>;
  supply(): MaybePromise<PipeEvent | null>;
}

export interface PluginInstanceOf {
  extractor: ExtractorPlugin;
  processor: ProcessorPlugin;
  connector: ConnectorPlugin;
}

/**
 * The export a `CREATE PIPEPLUGIN ... AS '<export>'` names: a class whose statics say what
 * it is. The node makes one instance per pipe.
 */
export interface PluginClass<R extends PluginRole = PluginRole> {
  new (): PluginInstanceOf[R];
  readonly role: R;
  /** The parameters it takes, keys without the clause prefix (`interval` for `processor.interval`). */
  readonly parameters?: readonly PluginParameterDeclaration[];
  readonly description?: string;
}

/** A parameter as a plugin declares it: `default` and `doc` may be left out. */
export type PluginParameterDeclaration = Omit<ParameterSpec, 'default' | 'doc'> & {
  readonly default?: string | null;
  readonly doc?: string;
};
