import { describe, expect, it } from 'vitest';
import { DeliveryRate } from '../../pipe/delivery-rate.js';

describe('a pipe’s recent delivery rate and the estimate from it', () => {
  it('divides what was delivered in the last ten seconds by the time it took', () => {
    let now = 1_000_000;
    const rate = new DeliveryRate(() => now);
    expect(rate.secondsFor(0)).toBe(0);
    expect(rate.secondsFor(5)).toBe(Number.POSITIVE_INFINITY);
    // 4 events a second for 5 seconds.
    for (let i = 0; i < 20; i++) {
      now += 250;
      rate.add(1);
    }
    expect(rate.perSecond()).toBeCloseTo(4, 6);
    expect(rate.secondsFor(10)).toBeCloseTo(2.5, 6);
    // 10 more seconds at 1 a second: the window now holds only those.
    for (let i = 0; i < 10; i++) {
      now += 1000;
      rate.add(1);
    }
    expect(rate.perSecond()).toBeCloseTo(1, 6);
    expect(rate.secondsFor(30)).toBeCloseTo(30, 6);
  });

  it('falls while nothing is delivered, so a stalled pipe’s estimate grows', () => {
    let now = 0;
    const rate = new DeliveryRate(() => now);
    for (let i = 0; i < 10; i++) {
      now += 1000;
      rate.add(2);
    }
    expect(rate.perSecond()).toBeCloseTo(2, 6);
    now += 5000;
    // 10 events since the sample at 5 s (the one at or before the window's start), over 10 s.
    expect(rate.perSecond()).toBeCloseTo(1, 6);
    expect(rate.secondsFor(4)).toBeCloseTo(4, 6);
  });

  it('measures a slow pipe over its own pace: one file a minute', () => {
    let now = 0;
    const rate = new DeliveryRate(() => now);
    now += 60_000;
    rate.add(1);
    expect(rate.perSecond()).toBeCloseTo(1 / 60, 9);
    expect(rate.secondsFor(3)).toBeCloseTo(180, 6);
  });
});
