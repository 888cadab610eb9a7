/** How far back the rate looks: long enough to smooth a burst, short enough to follow a change. */
export const DELIVERY_RATE_WINDOW_MS = 10_000;
/** Samples closer than this are merged, so a fast pipe keeps at most window / step of them. */
const SAMPLE_STEP_MS = 100;

/**
 * The recent delivery rate of one pipe: a running count of delivered events, sampled as it
 * grows; the rate is what was delivered over the last `DELIVERY_RATE_WINDOW_MS` divided by
 * the time since the oldest sample kept, so a pipe that stops delivering sees its rate fall
 * towards zero instead of keeping its last good figure.
 */
export class DeliveryRate {
  private readonly times: number[] = [];
  private readonly counts: number[] = [];
  private total = 0;

  constructor(private readonly clock: () => number = Date.now) {
    // The start is the base of the first rate.
    this.times.push(clock());
    this.counts.push(0);
  }

  /** Events delivered since the pipe task started. */
  get delivered(): number {
    return this.total;
  }

  /** `events` more were acknowledged by the receiver. */
  add(events: number): void {
    if (events <= 0) return;
    this.total += events;
    const now = this.clock();
    const last = this.times.length - 1;
    if (last >= 1 && now - this.times[last - 1]! < SAMPLE_STEP_MS) this.counts[last] = this.total;
    else {
      this.times.push(now);
      this.counts.push(this.total);
    }
    this.trim(now);
  }

  /** Events per second over the window; 0 when nothing was delivered in it. */
  perSecond(): number {
    const now = this.clock();
    this.trim(now);
    // The oldest sample kept is the base: at or before the window's start, or the task's
    // start, so a slow pipe (a file every minute) is measured over its own pace.
    const since = this.times[0]!;
    const delivered = this.total - this.counts[0]!;
    const seconds = (now - since) / 1000;
    if (delivered <= 0 || seconds <= 0) return 0;
    return delivered / seconds;
  }

  /** Seconds until `remaining` events are delivered at the recent rate: 0 when none remain, Infinity when nothing moves. */
  secondsFor(remaining: number): number {
    if (remaining <= 0) return 0;
    const rate = this.perSecond();
    return rate > 0 ? remaining / rate : Number.POSITIVE_INFINITY;
  }

  private trim(now: number): void {
    let drop = 0;
    // Keep one sample at or before the window's start, as the base the window is measured from.
    while (drop + 1 < this.times.length && this.times[drop + 1]! <= now - DELIVERY_RATE_WINDOW_MS) drop++;
    if (drop > 0) {
      this.times.splice(0, drop);
      this.counts.splice(0, drop);
    }
  }
}
