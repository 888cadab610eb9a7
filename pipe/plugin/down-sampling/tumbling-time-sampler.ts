import { absDiff, type SeriesSampler } from './series-sampler.js';

/**
 * IoTDB's tumbling-time-sampling-processor: a point is kept when it lies at least
 * `interval` (in the node's time unit) from the last kept point of its series, in either
 * direction, so windows start at kept points rather than on a fixed grid, and a point far
 * out of order is kept and becomes the new reference.
 */
export function tumblingTimeSampler(interval: bigint): SeriesSampler<{ last: bigint }> {
  return {
    wholeRows: true,
    comparesValues: false,
    first: (time) => ({ last: time }),
    keep(state, time) {
      if (absDiff(time, state.last) < interval) return false;
      state.last = time;
      return true;
    },
  };
}
