import { StatusCode } from '../../engine/status-code.js';

/**
 * How a sender treats a receiver's refusal, as IoTDB's PipeReceiverStatusHandler does:
 * the receiver's status code puts it in a class, and the sink's `exception.*` options say
 * what each class does (`sink.exception.conflict.*`, `sink.exception.others.*`).
 *
 * - temporary (1808; also 600, 606, 611, which receivers that do not classify answer for a
 *   read-only, busy or full node): retried for ever, whatever the options say;
 * - idempotent (1809): the receiver already holds it, the request counts as delivered;
 * - conflict (1810, and IoTDB 2.0's 1815): `resolve-strategy` ignore drops it at once;
 *   retry retries until `retry-max-time-seconds` have passed since the first refusal
 *   (negative: for ever), then drops it;
 * - other (every other code): retried until `others.retry-max-time-seconds` have passed
 *   (default -1: for ever), then dropped.
 *
 * Dropped ("ignored") data is logged, with its series and points when `record-ignored-data`.
 */
export type RefusalClass = 'temporary' | 'idempotent' | 'conflict' | 'other';

export function refusalClass(code: number): RefusalClass {
  switch (code) {
    case StatusCode.PIPE_RECEIVER_TEMPORARY_UNAVAILABLE_EXCEPTION:
    case StatusCode.SYSTEM_READ_ONLY:
    case StatusCode.WRITE_PROCESS_REJECT:
    case StatusCode.DISK_SPACE_INSUFFICIENT:
      return 'temporary';
    case StatusCode.PIPE_RECEIVER_IDEMPOTENT_CONFLICT_EXCEPTION:
      return 'idempotent';
    case StatusCode.PIPE_RECEIVER_USER_CONFLICT_EXCEPTION:
    case StatusCode.PIPE_RECEIVER_PARALLEL_OR_USER_CONFLICT_EXCEPTION:
      return 'conflict';
    default:
      return 'other';
  }
}

/** The sink's `exception.conflict.*` and `exception.others.*` options. */
export interface RefusalOptions {
  readonly conflictStrategy: 'retry' | 'ignore';
  /** Negative: for ever. */
  readonly conflictRetryMaxSeconds: number;
  readonly conflictRecordIgnoredData: boolean;
  /** Negative: for ever. */
  readonly othersRetryMaxSeconds: number;
  readonly othersRecordIgnoredData: boolean;
}

/** IoTDB's defaults (PipeSinkConstant). */
export const IOTDB_REFUSAL_OPTIONS: RefusalOptions = {
  conflictStrategy: 'retry',
  conflictRetryMaxSeconds: 60,
  conflictRecordIgnoredData: true,
  othersRetryMaxSeconds: -1,
  othersRecordIgnoredData: true,
};

/** A receiver answered a request with a status other than success: its code and message. */
export class ReceiverRefusal extends Error {
  override readonly name = 'ReceiverRefusal';
  readonly refusal: RefusalClass;

  constructor(
    readonly code: number,
    readonly receiverMessage: string,
    /** The request, as "batch of 3 tablets" or "seal of f.tsfile". */
    readonly what: string,
  ) {
    super(`the receiver refused the ${what}: ${code} ${receiverMessage}`.trim());
    this.refusal = refusalClass(code);
  }
}

export type RefusalDecision =
  | { readonly action: 'retry'; readonly forSeconds: number }
  | { readonly action: 'deliver' }
  | { readonly action: 'ignore'; readonly record: boolean; readonly why: string };

/**
 * What to do with a refusal: `refusedForMs` is how long the same request has been refused
 * (null at its first refusal). As in IoTDB, a request is dropped only after it was retried
 * at least once past its time, so a time of 0 still retries once. `forSeconds` is the time
 * left (Infinity for ever).
 */
export function decideRefusal(
  options: RefusalOptions,
  refusal: RefusalClass,
  refusedForMs: number | null,
): RefusalDecision {
  if (refusal === 'idempotent') return { action: 'deliver' };
  if (refusal === 'temporary') return { action: 'retry', forSeconds: Number.POSITIVE_INFINITY };
  if (refusal === 'conflict' && options.conflictStrategy === 'ignore') {
    return { action: 'ignore', record: options.conflictRecordIgnoredData, why: 'resolve-strategy is ignore' };
  }
  const conflict = refusal === 'conflict';
  const maxSeconds = conflict ? options.conflictRetryMaxSeconds : options.othersRetryMaxSeconds;
  const record = conflict ? options.conflictRecordIgnoredData : options.othersRecordIgnoredData;
  if (maxSeconds < 0) return { action: 'retry', forSeconds: Number.POSITIVE_INFINITY };
  const elapsedMs = refusedForMs ?? 0;
  if (refusedForMs !== null && elapsedMs > maxSeconds * 1000) {
    const key = conflict ? 'conflict.retry-max-time-seconds' : 'others.retry-max-time-seconds';
    return { action: 'ignore', record, why: `retried past ${key}=${maxSeconds}` };
  }
  return { action: 'retry', forSeconds: Math.max(0, maxSeconds - elapsedMs / 1000) };
}
