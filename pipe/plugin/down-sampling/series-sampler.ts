/**
 * A point's value as the samplers compare it: a number for INT32, INT64, FLOAT, DOUBLE and
 * TIMESTAMP (compared by difference), a string for BOOLEAN, TEXT, STRING, BLOB and DATE
 * (compared for equality only).
 */
export type SampleValue = number | string;

/**
 * The decision rule of one down-sampling processor over one series: `first` makes the state
 * from a series' first point (which is always kept), `keep` says whether a later point goes
 * on, updating the state. Points come in the order the tablets hold them, nulls excluded.
 */
export interface SeriesSampler<S> {
  first(time: bigint, value: SampleValue): S;
  keep(state: S, time: bigint, value: SampleValue): boolean;
  /**
   * Whether a row with a kept point goes on whole (tumbling time: IoTDB forwards the row as
   * it is) or with the points that were not kept set to null (SDT, changing value).
   */
  readonly wholeRows: boolean;
  /** Whether `first` and `keep` look at values (tumbling time looks at times only). */
  readonly comparesValues: boolean;
}

export function absDiff(a: bigint, b: bigint): bigint {
  return a >= b ? a - b : b - a;
}
