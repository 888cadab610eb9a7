/**
 * What a connector's transport reports: bytes of each request sent, and each failed attempt
 * it retries. The pipe counters implement it; a transport calls it and knows nothing else.
 */
export interface TransferMeter {
  sent(bytes: number): void;
  retried(): void;
}

/**
 * Running totals of one pipe for a metrics reporter (kept by the pipe manager across the
 * pipe's restarts, so they only grow while the node runs). `lagObserved`, when set, hears
 * the seconds from a realtime write's arrival on this node to its acknowledgement.
 */
export class PipeCounters implements TransferMeter {
  tabletsSent = 0;
  filesSent = 0;
  deletionsSent = 0;
  pointsSent = 0;
  bytesSent = 0;
  retries = 0;
  failures = 0;
  lagObserved: ((seconds: number) => void) | null = null;
  /** The last lag observed (SHOW PIPES PROGRESS); null before the first realtime write is acknowledged. */
  lastLagSeconds: number | null = null;

  /** A realtime write was acknowledged `seconds` after it arrived on this node. */
  lagged(seconds: number): void {
    this.lastLagSeconds = seconds;
    this.lagObserved?.(seconds);
  }

  sent(bytes: number): void {
    this.bytesSent += bytes;
  }

  retried(): void {
    this.retries++;
  }
}
