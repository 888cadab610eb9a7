import type { ConfigPlan } from '../../protocol/pipe/config-plan/config-plan.js';
import type { SchemaPlan } from '../../protocol/pipe/plan-node/schema-plan.js';
import type { TPipeTransferReq } from '../../protocol/rpc-types.js';
import type { Tablet } from '../../tsfile/tablet.js';

/** A deletion of data to replay on the receiver: every series under `pattern`, times in [start, end]. */
export interface PipeDeletion {
  readonly pattern: string;
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * A schema change as a sink sends it, in IoTDB's requests: a time-series plan node in a
 * schema-plan request (type 100), a database plan in a config-plan request (type 200).
 */
export type PipeSchemaPlan =
  | { readonly request: 'schema'; readonly plan: SchemaPlan }
  | { readonly request: 'config'; readonly plan: ConfigPlan };

/**
 * Where a pipe delivers: a tablet or a sealed TsFile at a time, acknowledged when the
 * promise resolves. `origin` is the id of the node where the data was first written, for
 * data that came to this node through a pipe ('' or absent: this node); connectors that
 * talk to this project's receivers pass it on, so that no node ever gets its own data back.
 */
export interface PipeConnector {
  /** Transfers it runs at once (1 when absent: each is acknowledged before the next starts). */
  readonly inFlightMax?: number;
  /**
   * Whole files it ships at once, still loaded by the receiver in the order given (the sync
   * connector sends the next file's pieces while the receiver loads the last); when absent,
   * `inFlightMax`.
   */
  readonly filesInFlightMax?: number;
  /** False when sealed files must be read and sent as tablets (`sink.format` = tablet). */
  readonly takesFiles?: boolean;
  /** The receiving node's id, once a handshake told it (this project's receivers do; IoTDB's do not). */
  readonly receiverId?: string | undefined;
  handshake(): Promise<void>;
  transferTablet(tablet: Tablet, origin?: string): Promise<void>;
  transferFile(path: string, origin?: string): Promise<void>;
  transferDeletion(deletion: PipeDeletion, origin?: string): Promise<void>;
  /**
   * A config-node plan (users, ...) as its TRANSFER_CONFIG_PLAN request; `what` names it in
   * errors. Absent on connectors that cannot carry one (the legacy protocol, user plugins).
   */
  transferConfigPlan?(req: TPipeTransferReq, what: string): Promise<void>;
  /** Applies a schema change on the receiver; absent for sinks that carry data only. */
  transferSchema?(plan: PipeSchemaPlan, origin?: string): Promise<void>;
  close(): void;
}

/** Sends a config plan through `connector`, or fails for good when it cannot carry one. */
export function transferConfigPlanThrough(
  connector: PipeConnector,
  req: TPipeTransferReq,
  what: string,
): Promise<void> {
  if (connector.transferConfigPlan === undefined) {
    return Promise.reject(
      new PermanentTransferError(
        `this sink cannot carry ${what} (it speaks no config plans); use iotdb-thrift-sink or iotdb-thrift-async-sink`,
      ),
    );
  }
  return connector.transferConfigPlan(req, what);
}

/** Hands a schema change to `connector`; a sink that carries data only refuses it for good, saying what to change. */
export function transferSchemaVia(connector: PipeConnector, plan: PipeSchemaPlan, origin?: string): Promise<void> {
  if (connector.transferSchema === undefined) {
    return Promise.reject(
      new PermanentTransferError(
        'this sink (or processor) carries data only, not schema changes: leave schema out of source.inclusion',
      ),
    );
  }
  return connector.transferSchema(plan, origin);
}

/** The receiver refused the data for good (retrying the same request cannot help): the pipe stops. */
export class PermanentTransferError extends Error {
  override readonly name = 'PermanentTransferError';
}

/** The connector was closed (its pipe stopped) while a transfer waited, retried or was under way. */
export class ConnectorClosedError extends Error {
  override readonly name = 'ConnectorClosedError';
}

/** The do-nothing connector: drops everything and acknowledges, so progress advances. */
export class DoNothingConnector implements PipeConnector {
  async handshake(): Promise<void> {}
  async transferTablet(): Promise<void> {}
  async transferFile(): Promise<void> {}
  async transferDeletion(): Promise<void> {}
  async transferConfigPlan(): Promise<void> {}
  async transferSchema(): Promise<void> {}
  close(): void {}
}
