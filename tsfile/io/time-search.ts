/**
 * Bounds of a time range in times sorted ascending, by binary search: a query on a memtable
 * or page of a million points finds its slice in 20 comparisons instead of a scan that
 * makes a BigInt per point it passes.
 */

/** The first index in [from, to) whose time is >= `t` (`to` when none is). */
export function firstAtOrAfter(times: BigInt64Array, t: bigint, from = 0, to = times.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index in [from, to) whose time is > `t` (`to` when none is). */
export function firstAfter(times: BigInt64Array, t: bigint, from = 0, to = times.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
