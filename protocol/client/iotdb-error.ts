import type { TSStatus } from '../rpc-types.js';

/** A call the node answered with a failing status: IoTDB's code and message. */
export class IoTDBError extends Error {
  override readonly name = 'IoTDBError';

  constructor(
    readonly code: number,
    message: string,
    readonly subStatus: readonly TSStatus[] = [],
  ) {
    super(`${code}: ${message}`);
  }
}

/** The node could not be reached, or the connection ended before the answer. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

/** Throws for a status IoTDB does not count as success (200, 400 redirection, 302 whose parts all succeeded). */
export function verifySuccess(status: TSStatus): void {
  const ok = (s: TSStatus) => s.code === 200 || s.code === 400;
  if (ok(status)) return;
  if (status.code === 302 && (status.subStatus ?? []).every(ok)) return;
  throw new IoTDBError(status.code, status.message ?? '', status.subStatus ?? []);
}
