import type { TSStatus } from '../rpc-types.js';

/** The TSStatusCode values the client itself interprets. */
export const StatusCode = {
  SUCCESS_STATUS: 200,
  /** A batch where some parts failed: the parts are in `subStatus`. */
  MULTIPLE_ERROR: 302,
  /** Success, with a hint that another node holds the data (one node here: nothing to follow). */
  REDIRECTION_RECOMMEND: 400,
} as const;

/** A call the node answered with a failing status: IoTDB's code and message. */
export class IoTDBError extends Error {
  override readonly name = 'IoTDBError';
  /** The node's message without the `code: ` prefix that `message` carries, as IoTDB's clients print it. */
  readonly statusMessage: string;

  constructor(
    readonly code: number,
    statusMessage: string,
    /** For a batch (302): one status per request part, successes included. */
    readonly subStatus: readonly TSStatus[] = [],
    /** The node said the same call may succeed later (TSStatus.needRetry). */
    readonly retriable = false,
  ) {
    super(`${code}: ${statusMessage}`);
    this.statusMessage = statusMessage;
  }
}

/** The node could not be reached, or the connection ended before the answer. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  /** A new connection may succeed where this one failed. */
  readonly retriable = true;
}

function succeeded(status: TSStatus): boolean {
  return status.code === StatusCode.SUCCESS_STATUS || status.code === StatusCode.REDIRECTION_RECOMMEND;
}

/**
 * Throws IoTDBError for a status IoTDB's clients do not count as success. 200 and 400
 * succeed; a 302 fails with the messages of its failing parts (a 302 none of whose parts
 * failed reports nothing to act on and passes).
 */
export function verifySuccess(status: TSStatus): void {
  if (succeeded(status)) return;
  if (status.code === StatusCode.MULTIPLE_ERROR) {
    const parts = status.subStatus ?? [];
    const failed = parts.filter((s) => !succeeded(s));
    if (failed.length === 0 && parts.length > 0) return;
    const message =
      failed.length === 0 ? (status.message ?? '') : failed.map((s) => s.message ?? `status ${s.code}`).join('; ');
    throw new IoTDBError(status.code, message, parts, failed.length > 0 && failed.every((s) => s.needRetry === true));
  }
  throw new IoTDBError(status.code, status.message ?? '', status.subStatus ?? [], status.needRetry === true);
}
