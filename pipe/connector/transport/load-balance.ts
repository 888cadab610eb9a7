/** `sink.load-balance-strategy`: which of `node-urls` a new connection tries first. */
export type LoadBalanceStrategy = 'round-robin' | 'random' | 'priority';

/**
 * The order a connection tries the receivers in. All strategies fail over the same way (a
 * lost or failed connection moves to the next receiver, wrapping round); they differ in
 * where a connection starts: round-robin spreads the connections of a pool over the
 * receivers, random picks one, priority starts from the first and goes back to it on every
 * reconnect, so a recovered first receiver takes the load again.
 */
export class TargetOrder {
  private next: number;

  constructor(
    private readonly strategy: LoadBalanceStrategy,
    private readonly count: number,
    /** The connection's index in its pool. */
    connectionIndex: number,
    private readonly random: () => number = Math.random,
  ) {
    this.next = strategy === 'round-robin' ? connectionIndex : strategy === 'random' ? this.randomIndex() : 0;
  }

  /** The receiver to try now; the next call gives the one after it. */
  take(): number {
    const index = this.next % this.count;
    this.next = index + 1;
    return index;
  }

  /** A connection was made: with priority the next one (after a loss) starts from the first again. */
  connected(): void {
    if (this.strategy === 'priority') this.next = 0;
  }

  private randomIndex(): number {
    return Math.floor(this.random() * this.count) % this.count;
  }
}
