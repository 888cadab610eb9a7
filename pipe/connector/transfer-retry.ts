import type { TransferMeter } from '../pipe-counters.js';
import { SubtaskSlots } from '../subtask-slots.js';
import type { RequestContents } from './ignored-data.js';
import { ConnectorClosedError, PermanentTransferError } from './pipe-connector.js';
import {
  decideRefusal,
  IOTDB_REFUSAL_OPTIONS,
  ReceiverRefusal,
  type RefusalDecision,
  type RefusalOptions,
} from './receiver-status-handler.js';

const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 5000;

/**
 * The retry discipline of the blocking connectors: an attempt that fails for any reason
 * but a PermanentTransferError is made again, after a backoff that doubles from 100 ms to
 * 5 s, until it succeeds or the connector is closed. So nothing is lost or skipped while a
 * receiver is unreachable, and a refusal for good still stops the pipe at once. While it
 * backs off, the pipe gives its subtask slot to the others.
 *
 * A request the receiver answered with a refusal (ReceiverRefusal) goes by the sink's
 * `exception.*` options (receiver-status-handler.ts): retried on the same connection, or
 * given up: then it resolves as if delivered, and the log names what it carried.
 */
export class TransferRetry {
  private closed = false;
  /** Backoffs in progress (transfers of one connector may retry side by side). */
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly log: (message: string) => void,
    private readonly meter?: TransferMeter,
    private readonly refusals: RefusalOptions = IOTDB_REFUSAL_OPTIONS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Runs `attempt` until it succeeds, is refused for good, is given up by the refusal
   * options, or `close` is called. `reset` runs after each failure but a refusal, before the
   * backoff: it drops the connection, so the next attempt starts on a new one (with a new
   * handshake). `contents` tells what the request carries, for the log if it is given up.
   */
  async run(attempt: () => Promise<void>, reset: () => void, contents?: () => RequestContents): Promise<void> {
    let delay = BACKOFF_FIRST_MS;
    let refusedSince: number | null = null;
    let retried = false;
    for (;;) {
      if (this.closed) throw new ConnectorClosedError('the connector is closed');
      try {
        await attempt();
        if (refusedSince !== null) this.meter?.refused(null);
        return;
      } catch (error) {
        if (error instanceof PermanentTransferError || this.closed) throw error;
        if (error instanceof ReceiverRefusal) {
          refusedSince ??= this.now();
          const decision = decideRefusal(this.refusals, error.refusal, retried ? this.now() - refusedSince : null);
          if (decision.action !== 'retry') {
            this.giveUp(error, decision, refusedSince, contents);
            return;
          }
          retried = true;
          this.meter?.refused(error.message);
          this.log(`${retryMessage(error, decision.forSeconds)}, retrying in ${delay} ms`);
        } else {
          this.log(`pipe transfer failed, retrying in ${delay} ms: ${(error as Error).message}`);
          reset();
        }
        this.meter?.retried();
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

  /** A refused request the pipe goes past: never silently. */
  private giveUp(
    refusal: ReceiverRefusal,
    decision: Exclude<RefusalDecision, { action: 'retry' }>,
    refusedSince: number,
    contents: (() => RequestContents) | undefined,
  ): void {
    this.meter?.refused(null);
    const status = `code=${refusal.code} receiver=${JSON.stringify(refusal.receiverMessage)}`;
    if (decision.action === 'deliver') {
      this.log(`event=transfer-already-applied request=${JSON.stringify(refusal.what)} ${status}`);
      return;
    }
    const what = contents?.() ?? { text: '', points: 0 };
    const data = decision.record ? `points=${what.points} data=${JSON.stringify(what.text)}` : 'data="not recorded"';
    const seconds = ((this.now() - refusedSince) / 1000).toFixed(1);
    this.log(
      `event=transfer-ignored class=${refusal.refusal} why=${JSON.stringify(decision.why)} refused_seconds=${seconds} request=${JSON.stringify(refusal.what)} ${data} ${status}`,
    );
    this.meter?.ignored(what.points);
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

function retryMessage(refusal: ReceiverRefusal, forSeconds: number): string {
  const { what, receiverMessage } = refusal;
  if (refusal.refusal === 'temporary') return `pipe transfer of the ${what} waits: receiver busy: ${receiverMessage}`;
  const span = forSeconds === Number.POSITIVE_INFINITY ? 'for ever' : `for ${forSeconds.toFixed(1)} s more`;
  return `pipe transfer refused (${refusal.refusal}), retried ${span}: ${refusal.message}`;
}
