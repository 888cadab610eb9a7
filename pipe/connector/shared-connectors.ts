import type { TPipeTransferReq } from '../../protocol/rpc-types.js';
import type { Tablet } from '../../tsfile/tablet.js';
import {
  ConnectorClosedError,
  type PipeConnector,
  type PipeDeletion,
  type PipeSchemaPlan,
  transferConfigPlanThrough,
  transferSchemaVia,
} from './pipe-connector.js';

interface Entry {
  readonly connector: PipeConnector;
  readonly users: Set<string>;
  /** Calls of a one-at-a-time connector wait here, whichever pipe makes them. */
  queue: Promise<void>;
}

/**
 * Connector instances shared by pipes with the same connector (IoTDB's connector reuse):
 * pipes whose connector clauses resolve to the same plugin and parameters get handles on
 * one instance. A handle serialises calls of a one-at-a-time connector across its pipes;
 * closing a handle leaves the instance to the other pipes, the last one closes it.
 */
export class SharedConnectors {
  private readonly entries = new Map<string, Entry>();

  /** A handle for pipe `pipe` on the instance for `key`, created by `create` when there is none. */
  acquire(key: string, pipe: string, create: () => PipeConnector): PipeConnector {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { connector: create(), users: new Set(), queue: Promise.resolve() };
      this.entries.set(key, entry);
    }
    entry.users.add(pipe);
    return new SharedHandle(entry, () => {
      entry.users.delete(pipe);
      if (entry.users.size > 0 || this.entries.get(key) !== entry) return;
      this.entries.delete(key);
      entry.connector.close();
    });
  }

  /** Connector instances alive now. */
  get size(): number {
    return this.entries.size;
  }

  /** The pipes holding a handle on the instance for `key`. */
  users(key: string): ReadonlySet<string> {
    return this.entries.get(key)?.users ?? new Set();
  }
}

class SharedHandle implements PipeConnector {
  readonly inFlightMax: number;
  readonly filesInFlightMax: number;
  readonly takesFiles: boolean;
  private closed = false;
  private abort: (() => void) | null = null;
  private readonly aborted: Promise<never>;

  constructor(
    private readonly entry: Entry,
    private readonly leave: () => void,
  ) {
    this.inFlightMax = entry.connector.inFlightMax ?? 1;
    this.filesInFlightMax = entry.connector.filesInFlightMax ?? this.inFlightMax;
    this.takesFiles = entry.connector.takesFiles ?? true;
    this.aborted = new Promise<never>((_, reject) => {
      this.abort = () => reject(new ConnectorClosedError('the connector is closed'));
    });
    this.aborted.catch(() => {});
  }

  get receiverId(): string | undefined {
    return this.entry.connector.receiverId;
  }

  handshake(): Promise<void> {
    return this.call((c) => c.handshake());
  }

  transferTablet(tablet: Tablet, origin?: string): Promise<void> {
    return this.call((c) => c.transferTablet(tablet, origin));
  }

  transferFile(path: string, origin?: string): Promise<void> {
    // A connector that keeps files in order itself takes them beside its other requests.
    return this.call((c) => c.transferFile(path, origin), this.filesInFlightMax > 1);
  }

  transferDeletion(deletion: PipeDeletion, origin?: string): Promise<void> {
    return this.call((c) => c.transferDeletion(deletion, origin));
  }

  transferConfigPlan(req: TPipeTransferReq, what: string): Promise<void> {
    return this.call((c) => transferConfigPlanThrough(c, req, what));
  }

  transferSchema(plan: PipeSchemaPlan, origin?: string): Promise<void> {
    return this.call((c) => transferSchemaVia(c, plan, origin));
  }

  /** Ends this pipe's use: its pending call is abandoned (the instance may still finish it). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort?.();
    this.leave();
  }

  private call(transfer: (c: PipeConnector) => Promise<void>, concurrent = this.inFlightMax > 1): Promise<void> {
    if (this.closed) return Promise.reject(new ConnectorClosedError('the connector is closed'));
    const { entry } = this;
    let run: Promise<void>;
    if (concurrent) {
      run = transfer(entry.connector);
    } else {
      run = entry.queue.then(() => {
        if (this.closed) throw new ConnectorClosedError('the connector is closed');
        return transfer(entry.connector);
      });
      entry.queue = run.catch(() => {});
    }
    return Promise.race([run, this.aborted]);
  }
}
