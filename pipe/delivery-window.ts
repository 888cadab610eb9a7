/**
 * Deliveries in flight for one pipe, at most `size` at once, acknowledged in any order but
 * committed in submission order: `committed` only moves past a delivery once it and every
 * delivery submitted before it are acknowledged. With size 1 each delivery is awaited
 * before the next is submitted (the sync connector's order guarantee).
 *
 * Each delivery carries a position (the arrival number after its event); the first failure
 * is kept and rethrown by the next `submit` or `drain`, so a pipe stops on it; `failed`
 * rejects with it at once, for a pipe that waits for its next event meanwhile.
 */
export class DeliveryWindow {
  /** Positions in submission order, with whether each is acknowledged. */
  private readonly pending: { position: number; done: boolean }[] = [];
  private inFlight = 0;
  private failure: unknown = null;
  private wake: (() => void) | null = null;
  private committedTo: number;
  private rejectFailed: (error: unknown) => void = () => {};
  /** Rejects with the first failure when it happens; never resolves. */
  readonly failed: Promise<never>;

  constructor(
    readonly size: number,
    committed: number,
  ) {
    this.committedTo = committed;
    this.failed = new Promise<never>((_, reject) => {
      this.rejectFailed = reject;
    });
    // Nobody may be waiting on it when it fails.
    this.failed.catch(() => {});
  }

  /** Every delivery at or below this position is acknowledged. */
  get committed(): number {
    return this.committedTo;
  }

  /** Starts `work` once there is room; resolves when it started (size > 1) or finished (size 1). */
  async submit(position: number, work: () => Promise<void>): Promise<void> {
    this.rethrow();
    while (this.inFlight >= this.size) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.rethrow();
    }
    const entry = { position, done: false };
    this.pending.push(entry);
    this.inFlight++;
    const running = work().then(
      () => this.finish(entry),
      (error) => {
        this.failure ??= error;
        this.rejectFailed(this.failure);
        this.finish(null);
      },
    );
    if (this.size === 1) {
      await running;
      this.rethrow();
    }
  }

  /** Records a position with nothing to deliver (an event the pattern filtered out). */
  skip(position: number): void {
    if (this.pending.length === 0) this.committedTo = Math.max(this.committedTo, position);
    else this.pending.push({ position, done: true });
  }

  /** Waits until nothing is in flight; throws the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight > 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.rethrow();
  }

  private finish(entry: { done: boolean } | null): void {
    this.inFlight--;
    if (entry !== null) entry.done = true;
    while (this.pending.length > 0 && this.pending[0]!.done) this.committedTo = this.pending.shift()!.position;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private rethrow(): void {
    if (this.failure !== null) throw this.failure;
  }
}
