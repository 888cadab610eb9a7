/**
 * Bytes per second at most, for the bytes a sink puts on the wire. As Guava's RateLimiter
 * (which IoTDB uses), a request is let through when the ones before it are paid for and
 * its own cost delays the next: so a request of any size goes (a big file piece is paced,
 * never refused) and over any span the bytes sent stay within the rate plus one request.
 */
export class ByteRateLimiter {
  private nextFreeMs = 0;

  constructor(
    readonly bytesPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(bytesPerSecond > 0)) throw new RangeError(`a rate limit must be positive, not ${bytesPerSecond}`);
  }

  /** Resolves when `bytes` may be sent. */
  acquire(bytes: number): Promise<void> {
    const waitMs = this.reserve(bytes);
    if (waitMs <= 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, waitMs).unref());
  }

  /** Books `bytes`: how long from now until they may be sent. */
  reserve(bytes: number): number {
    const now = this.now();
    const start = Math.max(now, this.nextFreeMs);
    this.nextFreeMs = start + (bytes / this.bytesPerSecond) * 1000;
    return start - now;
  }
}

/** The limiter of a rate option: none for 0 or less (IoTDB's -1 default). */
export function rateLimiterOf(bytesPerSecond: number): ByteRateLimiter | null {
  return bytesPerSecond > 0 ? new ByteRateLimiter(bytesPerSecond) : null;
}
