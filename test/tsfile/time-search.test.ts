import { describe, expect, it } from 'vitest';
import { firstAfter, firstAtOrAfter } from '../../tsfile/io/time-search.js';

describe('time search in sorted times', () => {
  const times = BigInt64Array.of(-5n, 0n, 3n, 7n, 7n, 12n);

  it('finds the first time at or after a bound, and the first after it', () => {
    expect([-9n, -5n, -4n, 0n, 3n, 5n, 7n, 8n, 12n, 13n].map((t) => firstAtOrAfter(times, t))).toEqual([
      0, 0, 1, 1, 2, 3, 3, 5, 5, 6,
    ]);
    expect([-9n, -5n, -4n, 0n, 3n, 5n, 7n, 8n, 12n, 13n].map((t) => firstAfter(times, t))).toEqual([
      0, 1, 1, 2, 3, 3, 5, 5, 6, 6,
    ]);
  });

  it('searches only inside [from, to)', () => {
    expect(firstAtOrAfter(times, -9n, 2, 5)).toBe(2);
    expect(firstAtOrAfter(times, 100n, 2, 5)).toBe(5);
    expect(firstAfter(times, 7n, 1, 4)).toBe(4);
    expect(firstAfter(times, 0n, 3, 3)).toBe(3);
    expect(firstAtOrAfter(new BigInt64Array(0), 1n)).toBe(0);
  });

  it('agrees with a scan over a large series', () => {
    const n = 100_000;
    const big = BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 3));
    for (const t of [-1n, 0n, 1n, 2n, 3n, 149_999n, 150_000n, 299_997n, 299_998n]) {
      let scan = 0;
      while (scan < n && big[scan]! < t) scan++;
      expect(firstAtOrAfter(big, t)).toBe(scan);
      let after = 0;
      while (after < n && big[after]! <= t) after++;
      expect(firstAfter(big, t)).toBe(after);
    }
  });
});
