import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TPipeTransferReq } from '../../../protocol/rpc-types.js';
import { type Tablet, tabletBytes } from '../../../tsfile/tablet.js';
import {
  ConnectorClosedError,
  type PipeConnector,
  type PipeDeletion,
  type PipeSchemaPlan,
  transferConfigPlanThrough,
  transferSchemaVia,
} from '../pipe-connector.js';
import { writeTabletsAsTsFile } from './tablets-tsfile.js';

/** A sink that can send tablets as one batch request (IoTDB's PipeTransferTabletBatchReq). */
export interface BatchTarget extends PipeConnector {
  transferTablets(tablets: readonly Tablet[], origin?: string): Promise<void>;
}

export interface BatchOptions {
  /** `sink.batch.max-delay-seconds` / `-ms`: longest a tablet may wait while a lane is free. */
  readonly maxDelayMs: number;
  /** `sink.batch.size-bytes`: the largest batch (by the tablets' estimated request bytes). */
  readonly sizeBytes: number;
  /**
   * `sink.format` = tsfile: each batch is written into a TsFile in this folder (owned by the
   * batcher, removed when it closes) and shipped as a file instead of a batch request.
   */
  readonly tsFileDir?: string;
}

/**
 * Events handed over before the first of them is acknowledged: the pipe keeps this many in
 * flight so that what arrives while a request is out can gather into the next batch (1,000
 * realtime tablets cover a second of 100 k points/s in tablets of 100 rows). It bounds the
 * memory held too: history tablets are a page each (at most about 64 KiB), so at most
 * about 64 MiB wait here.
 */
const QUEUED_MAX = 1024;

interface Queued {
  readonly kind: 'tablets' | 'file' | 'deletion' | 'schema';
  readonly tablet?: Tablet;
  readonly path?: string;
  readonly deletion?: PipeDeletion;
  readonly schema?: PipeSchemaPlan;
  /** The node the data was first written on ('' for this one): a batch holds one origin's tablets. */
  readonly origin: string;
  readonly bytes: number;
  readonly atMs: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The batcher of the transport stack: tablets go as batch requests, group-commit style.
 * Nothing waits while the link is idle: the first tablet goes at once, and whatever
 * arrives while a request is in flight goes as the next batch the moment that request is
 * answered. `sizeBytes` caps a batch; `maxDelayMs` is an upper bound on waiting, used when
 * the sink has several lanes (the async sink): a free lane sends what has gathered when no
 * request is in flight, when a batch is full, or when its oldest tablet is that old.
 *
 * An ordered sink (the sync sink, one request at a time) keeps A's order inside and across
 * batches: files and deletions wait for everything before them and hold back everything
 * after them (consecutive files still overlap up to the sink's `filesInFlightMax`, the
 * sink keeps their seals in order). Each event is acknowledged when its request is.
 */
export class BatchingConnector implements PipeConnector {
  readonly inFlightMax = QUEUED_MAX;
  readonly filesInFlightMax: number;
  private readonly queue: Queued[] = [];
  private readonly lanes: number;
  private readonly ordered: boolean;
  private busy = 0;
  private filesBusy = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly sink: BatchTarget,
    private readonly options: BatchOptions,
  ) {
    this.lanes = Math.max(1, sink.inFlightMax ?? 1);
    this.ordered = this.lanes === 1;
    this.filesInFlightMax = Math.max(1, sink.filesInFlightMax ?? this.lanes);
  }

  get receiverId(): string | undefined {
    return this.sink.receiverId;
  }

  handshake(): Promise<void> {
    return this.sink.handshake();
  }

  transferTablet(tablet: Tablet, origin = ''): Promise<void> {
    return this.enqueue({ kind: 'tablets', tablet, origin, bytes: tabletBytes(tablet) });
  }

  transferFile(path: string, origin = ''): Promise<void> {
    return this.enqueue({ kind: 'file', path, origin, bytes: 0 });
  }

  /** Not batched: a config plan goes to the sink as it comes. */
  transferConfigPlan(req: TPipeTransferReq, what: string): Promise<void> {
    if (this.closed) return Promise.reject(new ConnectorClosedError('the connector is closed'));
    return transferConfigPlanThrough(this.sink, req, what);
  }

  transferDeletion(deletion: PipeDeletion, origin = ''): Promise<void> {
    return this.enqueue({ kind: 'deletion', deletion, origin, bytes: 0 });
  }

  /** Like a deletion: it waits for everything before it and holds back everything after it. */
  transferSchema(schema: PipeSchemaPlan, origin = ''): Promise<void> {
    return this.enqueue({ kind: 'schema', schema, origin, bytes: 0 });
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    const error = new ConnectorClosedError('the connector is closed');
    for (const item of this.queue.splice(0)) item.reject(error);
    this.sink.close();
    if (this.options.tsFileDir !== undefined) rmSync(this.options.tsFileDir, { recursive: true, force: true });
  }

  private enqueue(item: Omit<Queued, 'atMs' | 'resolve' | 'reject'>): Promise<void> {
    if (this.closed) return Promise.reject(new ConnectorClosedError('the connector is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...item, atMs: performance.now(), resolve, reject });
      this.pump();
    });
  }

  /** Starts what may start now. */
  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue[0]!;
      if (head.kind === 'file') {
        // On an ordered sink files overlap only with files, never with a batch or deletion.
        const room = this.ordered ? this.busy === this.filesBusy : this.busy < this.lanes;
        if (!room || this.filesBusy >= this.filesInFlightMax) return;
        this.queue.shift();
        this.filesBusy++;
        this.start(() => this.sink.transferFile(head.path!, head.origin), [head], true);
        continue;
      }
      if (this.ordered ? this.busy > 0 : this.busy >= this.lanes) return;
      if (head.kind === 'deletion' || head.kind === 'schema') {
        if (this.busy > 0) return;
        this.queue.shift();
        const send =
          head.kind === 'deletion'
            ? () => this.sink.transferDeletion(head.deletion!, head.origin)
            : () => transferSchemaVia(this.sink, head.schema!, head.origin);
        this.start(send, [head], false);
        continue;
      }
      const batch = this.takeBatch();
      if (batch === null) return;
      const tablets = batch.map((item) => item.tablet!);
      const { origin } = batch[0]!;
      this.start(() => this.shipBatch(tablets, origin), batch, false);
    }
  }

  /**
   * The tablets at the head of the queue of the head's origin (up to sizeBytes, at least one), or null when a
   * lane of a many-lane sink should wait for more (a request is in flight, the batch is not
   * full and its oldest tablet has waited less than maxDelayMs): then a timer comes back.
   */
  private takeBatch(): Queued[] | null {
    let bytes = 0;
    let n = 0;
    const { origin } = this.queue[0]!;
    while (n < this.queue.length && this.queue[n]!.kind === 'tablets' && this.queue[n]!.origin === origin) {
      if (n > 0 && bytes + this.queue[n]!.bytes > this.options.sizeBytes) break;
      bytes += this.queue[n]!.bytes;
      n++;
    }
    const full = n < this.queue.length;
    if (!this.ordered && this.busy > 0 && !full) {
      const waitMs = this.queue[0]!.atMs + this.options.maxDelayMs - performance.now();
      if (waitMs > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.pump();
        }, waitMs);
        return null;
      }
    }
    return this.queue.splice(0, n);
  }

  private async shipBatch(tablets: readonly Tablet[], origin: string): Promise<void> {
    const dir = this.options.tsFileDir;
    if (dir === undefined) return this.sink.transferTablets(tablets, origin);
    const path = join(dir, `${randomUUID()}.tsfile`);
    writeTabletsAsTsFile(tablets, path);
    try {
      await this.sink.transferFile(path, origin);
    } finally {
      rmSync(path, { force: true });
    }
  }

  private start(transfer: () => Promise<void>, items: readonly Queued[], file: boolean): void {
    this.busy++;
    transfer().then(
      () => {
        for (const item of items) item.resolve();
        this.finish(file);
      },
      (error: unknown) => {
        for (const item of items) item.reject(error);
        this.finish(file);
      },
    );
  }

  private finish(file: boolean): void {
    this.busy--;
    if (file) this.filesBusy--;
    this.pump();
  }
}
