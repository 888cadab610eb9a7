import type { TransferMeter } from '../pipe-counters.js';
import { SubtaskSlots } from '../subtask-slots.js';
import { ConnectorClosedError, PermanentTransferError } from './pipe-connector.js';

const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 5000;

/**
 * The retry discipline of the blocking connectors: an attempt that fails for any reason
 * but a PermanentTransferError is made again, after a backoff that doubles from 100 ms to
 * 5 s, until it succeeds or the connector is closed. So nothing is lost or skipped while a
 * receiver is unreachable, and a refusal for good still stops the pipe at once. While it
 * backs off, the pipe gives its subtask slot to the others.
 */
export class TransferRetry {
  private closed = false;
  /** Backoffs in progress (transfers of one connector may retry side by side). */
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly log: (message: string) => void,
    private readonly meter?: TransferMeter,
  ) {}

  /**
   * Runs `attempt` until it succeeds, is refused for good, or `close` is called.
   * `reset` runs after each failure, before the backoff: it drops the connection, so the
   * next attempt starts on a new one (with a new handshake).
   */
  async run(attempt: () => Promise<void>, reset: () => void): Promise<void> {
    let delay = BACKOFF_FIRST_MS;
    for (;;) {
      if (this.closed) throw new ConnectorClosedError('the connector is closed');
      try {
        await attempt();
        return;
      } catch (error) {
        if (error instanceof PermanentTransferError || this.closed) throw error;
        this.log(`pipe transfer failed, retrying in ${delay} ms: ${(error as Error).message}`);
        this.meter?.retried();
        reset();
        await SubtaskSlots.idle(this.backoff(delay));
        delay = Math.min(delay * 2, BACKOFF_MAX_MS);
      }
    }
  }

  /** Ends retrying: a pending backoff ends at once and the retry loop throws ConnectorClosedError. */
  close(): void {
    this.closed = true;
    for (const wake of [...this.wakers]) wake();
  }

  private backoff(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}
