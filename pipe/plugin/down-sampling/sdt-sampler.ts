import type { DeviationSettings } from './changing-value-sampler.js';
import { absDiff, type SampleValue, type SeriesSampler } from './series-sampler.js';

/** Java's Double.MIN_VALUE, the smallest positive double: IoTDB's opening upper door. */
const OPEN_UPPER_DOOR = Number.MIN_VALUE;

interface Doors {
  upper: number;
  lower: number;
  /** The pivot: the last point the corridor starts from. */
  storedTime: bigint;
  storedValue: SampleValue;
  /** The last point seen. */
  readTime: bigint;
  readValue: SampleValue;
}

/**
 * IoTDB's sdt-sampling-processor (swinging door trending), as IoTDB's code runs it. From the
 * pivot, each point narrows a corridor: the upper door is the steepest slope of
 * (value - deviation), the lower door the flattest slope of (value + deviation). A point that
 * makes the doors cross (upper > lower) is kept; the previous point becomes the pivot and the
 * doors restart from the new point's slopes. Points within `minInterval` of the pivot are
 * dropped, points `maxInterval` or more from it are kept and become the pivot; booleans,
 * text and dates are kept on any change from the pivot.
 *
 * Where IoTDB's code departs from the textbook algorithm, its code is followed (see the
 * README): it forwards the point that broke the corridor (the textbook archives the point
 * before it), its restarted doors keep the slopes measured from the old pivot, and its
 * upper door opens at the smallest positive double rather than at minus infinity, so a first
 * step down by at least the deviation is kept at once.
 */
export function sdtSampler(settings: DeviationSettings): SeriesSampler<Doors> {
  const reset = (doors: Doors, time: bigint, value: SampleValue) => {
    doors.upper = OPEN_UPPER_DOOR;
    doors.lower = Number.MAX_VALUE;
    doors.storedTime = time;
    doors.storedValue = value;
  };
  return {
    wholeRows: false,
    comparesValues: true,
    first: (time, value) => ({
      upper: OPEN_UPPER_DOOR,
      lower: Number.MAX_VALUE,
      storedTime: time,
      storedValue: value,
      readTime: time,
      readValue: value,
    }),
    keep(doors, time, value) {
      const elapsed = time - doors.storedTime;
      const distance = absDiff(time, doors.storedTime);
      if (distance <= settings.minInterval) return false;
      if (distance >= settings.maxInterval) {
        reset(doors, time, value);
        return true;
      }
      if (typeof value !== 'number' || typeof doors.storedValue !== 'number') {
        if (value === doors.storedValue) return false;
        reset(doors, time, value);
        return true;
      }
      const rise = value - doors.storedValue;
      const dt = Number(elapsed);
      const upper = (rise - settings.deviation) / dt;
      const lower = (rise + settings.deviation) / dt;
      if (upper > doors.upper) doors.upper = upper;
      if (lower < doors.lower) doors.lower = lower;
      const crossed = doors.upper > doors.lower;
      if (crossed) {
        doors.storedTime = doors.readTime;
        doors.storedValue = doors.readValue;
        doors.upper = upper;
        doors.lower = lower;
      }
      doors.readTime = time;
      doors.readValue = value;
      return crossed;
    },
  };
}
