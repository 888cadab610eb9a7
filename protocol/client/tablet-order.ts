import { pickRows } from '../../tsfile/column-ops.js';
import type { Tablet } from '../../tsfile/tablet.js';

/** True when the first `rowCount` timestamps never decrease. */
export function isSortedByTime(times: BigInt64Array, rowCount: number): boolean {
  for (let i = 1; i < rowCount; i++) if (times[i]! < times[i - 1]!) return false;
  return true;
}

/**
 * The tablet with its rows in time order (rows of equal time keep their order), as IoTDB's
 * Session sorts an unsorted tablet before sending it. The caller's tablet is not changed;
 * a sorted one is returned as is.
 */
export function sortTabletByTime(tablet: Tablet): Tablet {
  const n = tablet.rowCount;
  if (isSortedByTime(tablet.times, n)) return tablet;
  const times = tablet.times;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    times[a]! < times[b]! ? -1 : times[a]! > times[b]! ? 1 : a - b,
  );
  return {
    ...tablet,
    times: pickRows(times, order) as BigInt64Array,
    columns: tablet.columns.map((c) => pickRows(c, order)),
    nulls: tablet.nulls.map((m) => (m === null ? null : (pickRows(m, order) as Uint8Array))),
  };
}
