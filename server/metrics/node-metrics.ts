import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StorageEngine } from '../../engine/storage-engine.js';
import type { PipeCounters } from '../../pipe/pipe-counters.js';
import type { PipeManager } from '../../pipe/pipe-manager.js';
import type { ReceiverCounters } from '../../pipe/receiver/receiver-counters.js';

export interface NodeMetricsSources {
  readonly engine: StorageEngine;
  readonly pipes: PipeManager;
  /** The node's receivers by label: IoTDB's pipe protocol and the legacy sync protocol. */
  readonly receivers: Readonly<Record<string, ReceiverCounters>>;
}

/** Seconds: from a millisecond write to a minute behind. */
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60];
const LATENCY_BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

/** Per-pipe counters: name, help, and the running total it reads. */
const PIPE_TOTALS: readonly (readonly [string, string, (c: PipeCounters) => number])[] = [
  [
    'pipe_connector_tablet_transfer_total',
    'tablets acknowledged by the receiver (IoTDB: pipe_connector_tablet_transfer)',
    (c) => c.tabletsSent,
  ],
  [
    'pipe_connector_tsfile_transfer_total',
    'whole TsFiles acknowledged by the receiver (IoTDB: pipe_connector_tsfile_transfer)',
    (c) => c.filesSent,
  ],
  ['pipe_connector_deletion_transfer_total', 'deletions acknowledged by the receiver', (c) => c.deletionsSent],
  ['pipe_points_sent_total', 'points in tablets acknowledged by the receiver', (c) => c.pointsSent],
  ['pipe_sent_bytes_total', 'bytes of pipe requests put on the wire', (c) => c.bytesSent],
  ['pipe_retries_total', 'transfer attempts that failed and were retried', (c) => c.retries],
  ['pipe_failures_total', 'times the pipe stopped on an error', (c) => c.failures],
  [
    'pipe_ignored_transfers_total',
    'requests the receiver refused that the pipe went past (sink.exception.*), each logged',
    (c) => c.ignoredTransfers,
  ],
  ['pipe_ignored_points_total', 'points in those requests', (c) => c.ignoredPoints],
];

const RECEIVER_TOTALS: readonly (readonly [string, string, (c: ReceiverCounters) => number])[] = [
  ['pipe_receiver_requests_total', 'tablet requests applied', (c) => c.requests],
  ['pipe_receiver_points_total', 'points written from applied requests', (c) => c.points],
  ['pipe_receiver_files_loaded_total', 'TsFiles loaded', (c) => c.filesLoaded],
];

type Samples<L extends string> = () => Iterable<readonly [Partial<Record<L, string>>, number]>;

/**
 * A counter (`kind` 'counter': a running total) or a gauge whose samples are read when
 * scraped; a counter is reset and raised to the total, which prom-client's API allows.
 */
function readMetric<L extends string>(
  kind: 'counter' | 'gauge',
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  read: Samples<L>,
): void {
  const options = { name, help, labelNames, registers: [registry] };
  if (kind === 'counter') {
    new Counter({
      ...options,
      collect() {
        this.reset();
        for (const [labels, value] of read()) this.inc(labels, value);
      },
    });
    return;
  }
  new Gauge({
    ...options,
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.set(labels, value);
    },
  });
}

function totalCounter<L extends string>(
  r: Registry,
  name: string,
  help: string,
  labels: readonly L[],
  read: Samples<L>,
) {
  readMetric('counter', r, name, help, labels, read);
}

function readGauge<L extends string>(r: Registry, name: string, help: string, labels: readonly L[], read: Samples<L>) {
  readMetric('gauge', r, name, help, labels, read);
}

/**
 * The node's metrics in Prometheus' format: the engine's, each pipe's (label `pipe`) and
 * each receiver's (label `receiver`), read from the running totals the lower layers keep,
 * so nothing below the server knows Prometheus. IoTDB's metric names are used where IoTDB
 * has one (README, "Metrics").
 */
export class NodeMetrics {
  readonly registry = new Registry();
  readonly queryLatency: Histogram<string>;

  constructor(sources: NodeMetricsSources) {
    const { engine, pipes, receivers } = sources;
    const r = this.registry;
    const receiverPoints = () => Object.values(receivers).reduce((sum, c) => sum + c.points, 0);
    const receiverRequests = () => Object.values(receivers).reduce((sum, c) => sum + c.requests, 0);

    // Engine.
    totalCounter(r, 'quantity_total', 'points written (IoTDB: quantity, name="pointsIn")', ['name', 'source'], () => [
      [{ name: 'pointsIn', source: 'rpc' }, engine.counters.pointsWritten - receiverPoints()],
      [{ name: 'pointsIn', source: 'pipe_receiver' }, receiverPoints()],
    ]);
    totalCounter(r, 'write_requests_total', 'write calls applied by the engine', ['source'], () => [
      [{ source: 'rpc' }, engine.counters.writeRequests - receiverRequests()],
      [{ source: 'pipe_receiver' }, receiverRequests()],
    ]);
    totalCounter(r, 'wal_written_bytes_total', 'bytes appended to the write-ahead log', [], () => [
      [{}, engine.walCounters.bytes],
    ]);
    totalCounter(r, 'wal_syncs_total', 'fsyncs of the write-ahead log', [], () => [[{}, engine.walCounters.syncs]]);
    readGauge(r, 'mem', 'bytes held in memory (IoTDB: mem)', ['name'], () => [
      [{ name: 'memtable' }, engine.memtableBytes],
    ]);
    const flushCost = new Histogram({
      name: 'flush_cost_seconds',
      help: 'seconds to flush memtables into sealed TsFiles (IoTDB: flush_cost)',
      buckets: LATENCY_BUCKETS,
      registers: [r],
    });
    engine.counters.flushObserved = (seconds) => flushCost.observe(seconds);
    totalCounter(r, 'sealed_files_total', 'TsFiles sealed by flushes', [], () => [[{}, engine.counters.sealedFiles]]);
    totalCounter(r, 'sealed_bytes_total', 'bytes of TsFiles sealed by flushes', [], () => [
      [{}, engine.counters.sealedBytes],
    ]);
    const files = () => {
      const byKind = { seq: { count: 0, bytes: 0 }, unseq: { count: 0, bytes: 0 } };
      for (const f of engine.sealedFiles()) {
        const kind = byKind[f.sequence ? 'seq' : 'unseq'];
        kind.count++;
        kind.bytes += f.fileBytes;
      }
      return byKind;
    };
    readGauge(
      r,
      'file_num',
      'sealed TsFiles on disk (IoTDB: file_count, renamed: _count is for histograms)',
      ['name'],
      () => {
        const f = files();
        return [
          [{ name: 'seq' }, f.seq.count],
          [{ name: 'unseq' }, f.unseq.count],
        ];
      },
    );
    readGauge(r, 'file_size', 'bytes of sealed TsFiles on disk (IoTDB: file_size)', ['name'], () => {
      const f = files();
      return [
        [{ name: 'seq' }, f.seq.bytes],
        [{ name: 'unseq' }, f.unseq.bytes],
      ];
    });
    this.queryLatency = new Histogram({
      name: 'query_latency_seconds',
      help: 'seconds from a query statement to its first result page; _count is the queries run',
      buckets: LATENCY_BUCKETS,
      registers: [r],
    });

    // Pipes.
    const lag = new Histogram({
      name: 'pipe_realtime_lag_seconds',
      help: 'seconds from a realtime write on this node to its acknowledgement by the receiver',
      labelNames: ['pipe'],
      buckets: LAG_BUCKETS,
      registers: [r],
    });
    const observe = (pipe: string, counters: PipeCounters) => {
      counters.lagObserved = (seconds) => lag.observe({ pipe }, seconds);
    };
    pipes.onCounters = observe;
    const rows = () => pipes.show();
    const perPipe = (value: (c: PipeCounters) => number) => () =>
      rows().map((p) => [{ pipe: p.id }, value(pipes.countersOf(p.id))] as const);
    readGauge(r, 'pipe_state', 'pipe state: 1 RUNNING, 0 STOPPED', ['pipe'], () =>
      rows().map((p) => [{ pipe: p.id }, p.state === 'RUNNING' ? 1 : 0] as const),
    );
    for (const [name, help, value] of PIPE_TOTALS) totalCounter(r, name, help, ['pipe'], perPipe(value));
    readGauge(
      r,
      'pipe_datanode_remaining_event_num',
      'events left to deliver, as SHOW PIPES counts them (IoTDB: pipe_datanode_remaining_event_count, renamed: _count is for histograms)',
      ['pipe'],
      () => rows().map((p) => [{ pipe: p.id }, p.remainingEventCount] as const),
    );
    readGauge(
      r,
      'pipe_datanode_remaining_time',
      'seconds left at the recent delivery rate, -1 when nothing moves (IoTDB: pipe_datanode_remaining_time)',
      ['pipe'],
      () =>
        rows().map(
          (p) =>
            [{ pipe: p.id }, Number.isFinite(p.estimatedRemainingSeconds) ? p.estimatedRemainingSeconds : -1] as const,
        ),
    );
    readGauge(
      r,
      'pipe_history_files',
      'history files of the pipe: all of them, and those delivered',
      ['pipe', 'state'],
      () =>
        rows().flatMap((p) => {
          const history = pipes.historyProgress(p.id);
          if (history === null) return [];
          return [
            [{ pipe: p.id, state: 'all' }, history.total],
            [{ pipe: p.id, state: 'done' }, history.done],
          ] as const;
        }),
    );

    // Receivers.
    const perReceiver = (value: (c: ReceiverCounters) => number) => () =>
      Object.entries(receivers).map(([receiver, c]) => [{ receiver }, value(c)] as const);
    for (const [name, help, value] of RECEIVER_TOTALS) totalCounter(r, name, help, ['receiver'], perReceiver(value));
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ readonly body: string; readonly contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
