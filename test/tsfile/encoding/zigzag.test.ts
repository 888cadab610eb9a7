import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zigzagCodecs, zigzagInt32Codec, zigzagInt64Codec } from '../../../tsfile/encoding/zigzag.js';
import { encodePage, expectCorrupt, expectTruncationsSafe, goldenTests } from './encoding-golden.js';

describe('ZIGZAG golden pages', () => {
  goldenTests('zigzag', zigzagCodecs);
});

describe('ZIGZAG', () => {
  it('round-trips any int32 and int64 page', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -0x80000000, max: 0x7fffffff }), { maxLength: 300 }), (xs) => {
        const col = Int32Array.from(xs);
        const page = encodePage(zigzagInt32Codec, col);
        expect(zigzagInt32Codec.decode(page, 0, page.length)).toEqual(col);
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 300 }), (xs) => {
        const col = BigInt64Array.from(xs);
        const page = encodePage(zigzagInt64Codec, col);
        expect(zigzagInt64Codec.decode(page, 0, page.length)).toEqual(col);
      }),
      { numRuns: 100 },
    );
  });

  it('writes nothing for an empty page', () => {
    expect(encodePage(zigzagInt64Codec, new BigInt64Array(0)).length).toBe(0);
    expect(zigzagInt64Codec.decode(new Uint8Array(0), 0, 0)).toEqual(new BigInt64Array(0));
  });

  it('reads several groups in a row', () => {
    const page = Buffer.concat([
      encodePage(zigzagInt32Codec, Int32Array.from([1, -1])),
      encodePage(zigzagInt32Codec, Int32Array.from([300])),
    ]);
    expect([...zigzagInt32Codec.decode(page, 0, page.length)]).toEqual([1, -1, 300]);
  });

  it('rejects counts and lengths that lie', () => {
    // 2 bytes said to hold 3 values; a group of 0 values; a length past the page.
    expectCorrupt(() => zigzagInt32Codec.decode(Uint8Array.from([2, 3, 0, 0]), 0, 4), /claims 3 values in 2 bytes/);
    expectCorrupt(() => zigzagInt32Codec.decode(Uint8Array.from([0, 0]), 0, 2), /claims 0 values/);
    expectCorrupt(() => zigzagInt64Codec.decode(Uint8Array.from([9, 1, 0]), 0, 3), /exceeds the page/);
    // One value said to take 3 bytes but ending after 1; a varint running off its group.
    expectCorrupt(() => zigzagInt32Codec.decode(Uint8Array.from([3, 1, 2, 0, 0]), 0, 5), /2 unused bytes/);
    expectCorrupt(() => zigzagInt64Codec.decode(Uint8Array.from([2, 2, 0x80, 0x80]), 0, 4), /truncated/);
    const eleven = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    expectCorrupt(() => zigzagInt64Codec.decode(Uint8Array.from([11, 1, ...eleven]), 0, 13), /longer than 10 bytes/);
  });

  it('fails cleanly or returns a prefix on every truncation', () => {
    const longs = BigInt64Array.from([0n, -1n, 2n ** 62n, -(2n ** 63n), 300n]);
    expectTruncationsSafe(zigzagInt64Codec, encodePage(zigzagInt64Codec, longs), 'int64');
    expectTruncationsSafe(zigzagInt32Codec, encodePage(zigzagInt32Codec, Int32Array.from([5, -70000, 0])), 'int32');
  });
});
