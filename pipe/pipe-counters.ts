/**
 * What a connector's transport reports: bytes of each request sent, each failed attempt it
 * retries, the refusal it is retrying on, and requests it went past. The pipe counters
 * implement it; a transport calls it and knows nothing else.
 */
export interface TransferMeter {
  sent(bytes: number): void;
  retried(): void;
  /** The receiver's refusal a request is being retried on; null once that is over. */
  refused(message: string | null): void;
  /** A refused request was given up (`sink.exception.*`): it carried `points` points. */
  ignored(points: number): void;
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
  /** Schema changes (databases, series, their drops) acknowledged by the receiver. */
  schemaChangesSent = 0;
  pointsSent = 0;
  bytesSent = 0;
  retries = 0;
  failures = 0;
  /** Requests the receiver refused that the pipe went past, and their points (`sink.exception.*`). */
  ignoredTransfers = 0;
  ignoredPoints = 0;
  /** The refusal a transfer is being retried on now (SHOW PIPES' ExceptionMessage of a running pipe). */
  refusal: string | null = null;
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

  refused(message: string | null): void {
    this.refusal = message;
  }

  ignored(points: number): void {
    this.ignoredTransfers++;
    this.ignoredPoints += points;
  }
}
