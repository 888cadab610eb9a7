import { pointsOf } from '../engine/engine-counters.js';
import type { SchemaChange } from '../engine/schema/schema-change.js';
import type { StorageEngine } from '../engine/storage-engine.js';
import type { Tablet } from '../tsfile/tablet.js';
import { AuthShipper } from './auth/auth-shipper.js';
import type { AuthFeed } from './auth/auth-sync.js';
import {
  type PipeConnector,
  type PipeDeletion,
  type PipeSchemaPlan,
  transferConfigPlanThrough,
  transferSchemaVia,
} from './connector/pipe-connector.js';
import { DeliveryRate } from './delivery-rate.js';
import { DeliveryWindow } from './delivery-window.js';
import { deletionsUnder } from './extractor/deletion-scope.js';
import { arrivedBetween } from './extractor/flushed-generations.js';
import {
  fileTablets,
  type HistoryScope,
  historyFiles,
  shipsWhole as matchesWhole,
} from './extractor/history-events.js';
import type { PipeInclusion } from './extractor/inclusion.js';
import { sendsOrigin } from './extractor/origin-filter.js';
import { RealtimeSource } from './extractor/realtime-source.js';
import { schemaPlansOf, schemaSnapshot } from './extractor/schema-plans.js';
import type { TimeBounds } from './extractor/source-scope.js';
import { PipeCounters } from './pipe-counters.js';
import { endPipeOnFailure } from './pipe-failure.js';
import type { PipeProgress } from './pipe-store.js';
import { type SeriesFilter, selectColumns } from './series-filter.js';
import { rowsBetween } from './series-selection.js';
import type { SubtaskSlots } from './subtask-slots.js';

export interface PipeTaskOptions {
  readonly name: string;
  readonly engine: StorageEngine;
  readonly connector: PipeConnector;
  readonly filter: SeriesFilter;
  /** Event times realtime data is kept in (`source.start-time` / `end-time`); absent: all. */
  readonly times?: TimeBounds;
  readonly history: HistoryScope | null;
  readonly realtime: boolean;
  /** `source.inclusion`: which kinds of events go (inserts, deletions, schema). */
  readonly inclusion: PipeInclusion;
  /** The node's users, shipped when the inclusion selects `auth`; absent: the node has none to ship. */
  readonly users?: AuthFeed;
  /** `source.forwarding-pipe-requests`: send data that came to this node through a pipe. */
  readonly forwarding: boolean;
  readonly progress: PipeProgress;
  /** The pipe's running totals (metrics); its own when absent. */
  readonly counters?: PipeCounters;
  /** The node's pipe subtask slots: delivery work runs in one. */
  readonly slots: SubtaskSlots;
  /** Persists progress (called after history files and at most every `saveEveryMs` in realtime). */
  readonly save: (progress: PipeProgress) => void;
  /** The pipe failed for good: it is stopped with this message. */
  readonly fail: (message: string) => void;
  readonly log: (message: string) => void;
}

const SAVE_EVERY_MS = 200;
const ALL_TIMES: TimeBounds = { start: null, end: null };
/** How long a graceful stop waits for deliveries in flight before it cuts them off. */
const GRACEFUL_STOP_MS = 10_000;

/**
 * One running pipe: history (sealed files before the cut, whole or as filtered tablets),
 * then realtime events in arrival order, each acknowledged by the connector before the
 * next; progress saved so a restart resumes where it was. Runs until `stop`.
 */
export class PipeTask {
  /** Events acknowledged by the receiver (history files, realtime positions), for SHOW PIPES' estimate. */
  readonly rate = new DeliveryRate();
  private readonly counters: PipeCounters;
  /** No new event is taken. */
  private stopped = false;
  /** A graceful stop: realtime ends where no event shipped as part of a file is still to be passed over. */
  private finishing = false;
  /** The connector is closed: what was in flight is abandoned (and sent again after a restart). */
  private aborted = false;
  private realtime: RealtimeSource | null = null;
  /** Ships the node's users beside the data (auth sync), when the pipe includes them. */
  private auth: AuthShipper | null = null;
  /** Why auth sync failed, ending the pipe. */
  private authFailure: unknown = null;
  private progress: PipeProgress;
  private readonly done: Promise<void>;

  constructor(private readonly options: PipeTaskOptions) {
    this.progress = options.progress;
    this.counters = options.counters ?? new PipeCounters();
    this.done = this.run();
  }

  /** Whether the pipe sends databases or series (schema changes are then barriers like deletions). */
  private get carriesSchema(): boolean {
    const { inclusion } = this.options;
    return inclusion.schemaDatabase || inclusion.schemaTimeseries;
  }

  /** A file goes whole when every point in it is the pipe's and the connector takes files. */
  private readonly shipsWhole = (file: Parameters<typeof matchesWhole>[0], scope: HistoryScope): boolean =>
    this.options.connector.takesFiles !== false && matchesWhole(file, scope);

  /** Whether data of this origin goes to the receiver: never back to the node it came from. */
  private sends(origin: string): boolean {
    const { connector, forwarding } = this.options;
    return sendsOrigin({ forwarding, receiverId: () => connector.receiverId }, origin);
  }

  /**
   * Stops the task. `graceful` (ALTER PIPE): what is in flight is acknowledged and recorded
   * first (within GRACEFUL_STOP_MS), so a task started again from the saved progress
   * neither repeats nor skips an event.
   */
  async stop(graceful = false): Promise<void> {
    this.stopped = true;
    this.finishing = graceful;
    if (graceful) this.realtime?.finish();
    else this.realtime?.stop();
    this.auth?.stop();
    if (graceful) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, GRACEFUL_STOP_MS);
      });
      await Promise.race([this.done, late]);
      clearTimeout(timer);
    }
    // Ends a transfer stuck retrying an unreachable receiver.
    this.aborted = true;
    this.options.connector.close();
    await this.done;
  }

  private async run(): Promise<void> {
    const { options } = this;
    try {
      await options.connector.handshake();
      // Users first: a user's data may follow under privileges that must already be there.
      const authFrom = await this.shipUsers();
      const { inclusion } = options;
      if (options.history !== null && !this.progress.historyDone && this.carriesSchema) {
        // The schema first, so that every series exists on the receiver before data of it arrives.
        await this.shipSchema(schemaSnapshot(options.engine.schema, options.filter, inclusion), '');
      }
      if (options.history !== null && options.inclusion.dataInsert && !this.progress.historyDone) {
        await this.shipHistory(options.history);
      }
      if (!this.stopped && !this.progress.historyDone) {
        this.progress = { ...this.progress, historyDone: true };
        options.save(this.progress);
      }
      const authRealtime = this.shipUserChanges(authFrom);
      if (options.realtime && !this.stopped) await this.shipRealtime();
      await authRealtime;
      if (this.authFailure !== null) throw this.authFailure;
    } catch (error) {
      endPipeOnFailure(options, error, this.stopped && error !== this.authFailure);
    } finally {
      this.realtime?.stop();
      options.connector.close();
    }
  }

  /** Ships the users that exist (first start); resolves with the user-change position realtime starts after. */
  private async shipUsers(): Promise<number | null> {
    const { options } = this;
    if (options.users === undefined || !options.inclusion.auth) return null;
    this.auth = new AuthShipper({
      feed: options.users,
      leaves: options.inclusion.leaves,
      send: (req, what) => transferConfigPlanThrough(options.connector, req, what),
      from: this.progress.authFrom ?? null,
      history: options.history !== null,
      realtime: options.realtime,
      save: (authFrom) => {
        this.progress = { ...this.progress, authFrom };
        options.save(this.progress);
      },
      log: options.log,
    });
    return this.auth.shipHistory();
  }

  /** User changes while the pipe runs, beside the data; a failure ends the whole pipe. */
  private async shipUserChanges(from: number | null): Promise<void> {
    if (this.auth === null || from === null || this.stopped) return;
    try {
      await this.auth.shipRealtime(from);
    } catch (error) {
      if (this.stopped) return;
      this.authFailure = error;
      this.stopped = true;
      this.realtime?.stop();
    }
  }

  private async shipHistory(scope: HistoryScope): Promise<void> {
    const { engine, connector } = this.options;
    const files = new DeliveryWindow(connector.filesInFlightMax ?? connector.inFlightMax ?? 1, 0);
    const tablets = new DeliveryWindow(connector.inFlightMax ?? 1, 0);
    const fileDone = (version: number) => {
      this.progress = { ...this.progress, filesDone: [...this.progress.filesDone, version] };
      this.options.save(this.progress);
      this.rate.add(1);
    };
    for (const file of historyFiles(engine, scope)) {
      if (this.stopped) break;
      if (this.progress.filesDone.includes(file.version) || !this.sends(file.origin)) continue;
      if (this.shipsWhole(file, scope)) {
        await this.options.slots.run(() =>
          files.submit(0, async () => {
            await connector.transferFile(file.path, file.origin);
            this.counters.filesSent++;
            if (!this.aborted) fileDone(file.version);
          }),
        );
        continue;
      }
      // Files sent before land before these tablets.
      await files.drain();
      // A file started is finished unless the connector is closed (a graceful stop waits for it).
      for (const tablet of fileTablets(engine, file, scope)) {
        if (this.aborted) break;
        await this.options.slots.run(() => tablets.submit(0, () => this.sendTablet(tablet, file.origin)));
      }
      // A file read as tablets counts once all of its tablets are acknowledged.
      await tablets.drain();
      if (!this.aborted) fileDone(file.version);
    }
    await files.drain();
    await tablets.drain();
  }

  private async sendTablet(tablet: Tablet, origin: string): Promise<void> {
    await this.options.connector.transferTablet(tablet, origin);
    const { counters } = this;
    counters.tabletsSent++;
    counters.pointsSent += pointsOf(tablet);
  }

  private async sendFile(path: string, origin: string): Promise<void> {
    await this.options.connector.transferFile(path, origin);
    this.counters.filesSent++;
  }

  private async shipRealtime(): Promise<void> {
    const { engine, connector, filter, inclusion } = this.options;
    const times = this.options.times ?? ALL_TIMES;
    // A flush the pipe lags behind goes as its files when every point in them is the pipe's
    // (files of an origin the pipe does not send stand for inserts it skips).
    const scope = { filter, ...times, cutArrival: 0 };
    const source = new RealtimeSource(
      engine,
      this.progress.realtimeFrom,
      (generation) =>
        generation.files.every((f) => !this.sends(f.origin) || this.shipsWhole(f, scope)) &&
        // A schema change the pipe carries (a series created for a write) must land before the files' points.
        !(this.carriesSchema && arrivedBetween(engine, generation.minArrival, generation.maxArrival, 'schema')),
    );
    this.realtime = source;
    const window = new DeliveryWindow(connector.inFlightMax ?? 1, this.progress.realtimeFrom);
    let savedAt = Date.now();
    let timer: NodeJS.Timeout | null = null;
    let counted = window.committed;
    // Every event below `window.committed` is delivered.
    const save = () => {
      this.rate.add(window.committed - counted);
      counted = window.committed;
      if (window.committed <= this.progress.realtimeFrom) return;
      this.progress = { ...this.progress, realtimeFrom: window.committed };
      this.options.save(this.progress);
      savedAt = Date.now();
    };
    try {
      // A delivery that fails while the source waits for events ends the pipe at once.
      const next = () => Promise.race([source.next(), window.failed]);
      for (let event = await next(); event !== null; event = await next()) {
        const position = event.arrival + 1;
        if (event.kind === 'files') {
          for (const change of event.schema ?? []) await this.shipSchemaEvent(change, window);
          if (event.deletions !== undefined && event.deletions.length > 0 && inclusion.dataDelete) {
            // Deletions of arrivals the files stand for land first: the files hold what survived them.
            await window.drain();
            await this.shipDeletions(event.deletions);
          }
          for (const file of event.files) {
            const { origin } = file;
            if (!this.sends(origin) || !inclusion.dataInsert) continue;
            if (this.shipsWhole(file, scope)) {
              await this.options.slots.run(() => window.submit(position, () => this.sendFile(file.path, origin)));
              continue;
            }
            for (const tablet of fileTablets(engine, file, scope)) {
              await this.options.slots.run(() => window.submit(position, () => this.sendTablet(tablet, origin)));
            }
          }
          if (event.through !== undefined) {
            // Only now is every arrival the event stands for delivered: the WAL no longer holds them.
            await window.drain();
            window.skip(event.through + 1);
          } else {
            window.skip(position);
          }
        } else if (event.kind === 'insert') {
          const selected =
            inclusion.dataInsert && this.sends(event.origin) ? this.existing(filter.filterTablet(event.tablet)) : null;
          const tablet = selected === null ? null : rowsBetween(selected, times.start, times.end);
          if (tablet === null) window.skip(position);
          else {
            const { arrivalTime, origin } = event;
            await this.options.slots.run(() =>
              window.submit(position, async () => {
                await this.sendTablet(tablet, origin);
                this.counters.lagged((Date.now() - arrivalTime) / 1000);
              }),
            );
          }
        } else if (event.kind === 'schema') {
          await this.shipSchemaEvent(event, window);
          window.skip(position);
        } else if (!inclusion.dataDelete || !this.sends(event.origin)) {
          window.skip(position);
        } else {
          // A deletion applies to what arrived before it, so everything before it lands first.
          await window.drain();
          await this.shipDeletions([event]);
          window.skip(position);
        }
        this.rate.add(window.committed - counted);
        counted = window.committed;
        if (Date.now() - savedAt >= SAVE_EVERY_MS) save();
        else if (timer === null) {
          // An idle pipe still records its last event soon after it was delivered.
          timer = setTimeout(() => {
            timer = null;
            if (!this.stopped) save();
          }, SAVE_EVERY_MS);
          timer.unref();
        }
      }
      await window.drain();
      // Everything handed out is acknowledged, and the inserts the source passed over went
      // in files: a graceful stop records the source's position, so nothing comes twice.
      if (this.finishing && !this.aborted && !source.spanOpen) window.skip(source.position);
    } finally {
      if (timer !== null) clearTimeout(timer);
      save();
    }
  }

  /** Delivers what of a schema change the pipe selects (nothing for a change of a node it does not send to). */
  private async shipSchemaEvent(
    event: { readonly change: SchemaChange; readonly origin: string },
    window: DeliveryWindow,
  ): Promise<void> {
    if (!this.sends(event.origin)) return;
    const { filter, inclusion } = this.options;
    const plans = schemaPlansOf(event.change, filter, inclusion);
    if (plans.length === 0) return;
    // A change applies to what came before it (a drop), and what needs it comes after.
    await window.drain();
    await this.shipSchema(plans, event.origin);
  }

  private async shipSchema(plans: readonly PipeSchemaPlan[], origin: string): Promise<void> {
    if (plans.length === 0) return;
    const { connector } = this.options;
    await this.options.slots.run(async () => {
      for (const plan of plans) {
        await transferSchemaVia(connector, plan, origin);
        this.counters.schemaChangesSent++;
      }
    });
  }

  /**
   * With schema sync, an insert read back from the WAL goes for the series that still exist:
   * a series dropped since is dropped on the receiver too (the drop follows in order), and
   * the receiver could not take its points without it.
   */
  private existing(tablet: Tablet | null): Tablet | null {
    if (tablet === null || !this.options.inclusion.schemaTimeseries) return tablet;
    const series = this.options.engine.schema.device(tablet.device)?.measurements;
    return series === undefined ? null : selectColumns(tablet, (m) => series.has(m));
  }

  /** Delivers deletions the pipe sends, each as the part of it under the pipe's pattern, in order. */
  private async shipDeletions(events: readonly (PipeDeletion & { readonly origin: string })[]): Promise<void> {
    const { engine, connector, filter } = this.options;
    const times = this.options.times ?? ALL_TIMES;
    const deletions = events
      .filter((event) => this.sends(event.origin))
      .flatMap((event) =>
        deletionsUnder(filter, engine.schema, event, times).map((d) => ({ d, origin: event.origin })),
      );
    await this.options.slots.run(async () => {
      for (const { d, origin } of deletions) {
        await connector.transferDeletion(d, origin);
        this.counters.deletionsSent++;
      }
    });
  }
}
