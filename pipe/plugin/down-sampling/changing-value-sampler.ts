import type { SampleValue, SeriesSampler } from './series-sampler.js';

/** The settings both IoTDB's changing-value and SDT processors take. */
export interface DeviationSettings {
  /** `compression-deviation`: how far a value may move and still be dropped. */
  readonly deviation: number;
  /** `min-time-interval`: a point this close (or closer) to the last kept one is dropped. */
  readonly minInterval: bigint;
  /** `max-time-interval`: a point this far (or farther) from the last kept one is kept. */
  readonly maxInterval: bigint;
}

interface Stored {
  time: bigint;
  value: SampleValue;
}

/**
 * IoTDB's changing-value-sampling-processor: a point is kept when its value differs from the
 * last kept value of its series by more than the deviation (any change, for booleans, text
 * and dates), unless it lies within `minInterval` after the last kept point; it is kept
 * regardless once `maxInterval` has passed. A point older than the last kept one is dropped.
 */
export function changingValueSampler(settings: DeviationSettings): SeriesSampler<Stored> {
  return {
    wholeRows: false,
    comparesValues: true,
    first: (time, value) => ({ time, value }),
    keep(stored, time, value) {
      const elapsed = time - stored.time;
      if (elapsed < 0n || elapsed <= settings.minInterval) return false;
      const changed =
        elapsed >= settings.maxInterval ||
        (typeof value === 'number' && typeof stored.value === 'number'
          ? Math.abs(value - stored.value) > settings.deviation
          : value !== stored.value);
      if (!changed) return false;
      stored.time = time;
      stored.value = value;
      return true;
    },
  };
}
