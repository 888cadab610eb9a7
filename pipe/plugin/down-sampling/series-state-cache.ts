/** What one series' state is reckoned to cost besides its key (IoTDB reckons 64 bytes for its filters). */
export const SERIES_STATE_BYTES = 64;

/**
 * The per-series state of a down-sampling processor, bounded by
 * `processor.down-sampling.memory-limit-in-bytes`: when the estimate (key characters at 2
 * bytes plus `SERIES_STATE_BYTES` per series) passes the limit, the series used least
 * recently lose their state, and their next point is treated as a first point (kept), as
 * IoTDB's cache of series states does.
 */
export class SeriesStateCache<S> {
  private readonly states = new Map<string, S>();
  private bytes = 0;

  constructor(private readonly bytesMax: number) {}

  /** The state of `key`, if it has one; marks it used. */
  get(key: string): S | undefined {
    const found = this.states.get(key);
    if (found !== undefined) {
      // Re-inserting moves the key to the end: the Map's order is the order of use.
      this.states.delete(key);
      this.states.set(key, found);
    }
    return found;
  }

  /** Gives `key` a state, dropping the states used least recently while over the limit. */
  set(key: string, state: S): void {
    if (!this.states.has(key)) this.bytes += key.length * 2 + SERIES_STATE_BYTES;
    this.states.delete(key);
    this.states.set(key, state);
    for (const [oldest] of this.states) {
      if (this.bytes <= this.bytesMax || oldest === key) break;
      this.states.delete(oldest);
      this.bytes -= oldest.length * 2 + SERIES_STATE_BYTES;
    }
  }

  /** Series with a state. */
  get size(): number {
    return this.states.size;
  }
}
