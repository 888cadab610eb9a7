import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_VALUES_MAX } from '../../../tsfile/encoding/bit-packing.js';
import { rleBooleanCodec, rleCodecs, rleInt32Codec, rleInt64Codec } from '../../../tsfile/encoding/rle.js';
import { encodePage, expectCorrupt, expectTruncationsSafe, goldenTests } from './encoding-golden.js';

describe('RLE golden pages', () => {
  goldenTests('rle', rleCodecs);
});

/** Values drawn from a small alphabet in stretches, so runs and bit-packed groups both occur. */
function runny<T>(values: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc
    .array(fc.tuple(values, fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 300 }))), {
      maxLength: 30,
    })
    .map((stretches) => stretches.flatMap(([v, n]) => new Array<T>(n).fill(v)));
}

describe('RLE', () => {
  it('round-trips int32 pages', () => {
    const small = fc.integer({ min: 0, max: 5 });
    const any = fc.integer({ min: -0x80000000, max: 0x7fffffff });
    fc.assert(
      fc.property(runny(fc.oneof(small, any)), (xs) => {
        const col = Int32Array.from(xs);
        const page = encodePage(rleInt32Codec, col);
        expect(rleInt32Codec.decode(page, 0, page.length)).toEqual(col);
      }),
      { numRuns: 100 },
    );
  });

  it('round-trips int64 pages', () => {
    const small = fc.bigInt({ min: 0n, max: 5n });
    const any = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(runny(fc.oneof(small, any)), (xs) => {
        const col = BigInt64Array.from(xs);
        const page = encodePage(rleInt64Codec, col);
        expect(rleInt64Codec.decode(page, 0, page.length)).toEqual(col);
      }),
      { numRuns: 100 },
    );
  });

  it('round-trips booleans, reading any non-zero byte as true', () => {
    fc.assert(
      fc.property(runny(fc.integer({ min: 0, max: 3 })), (xs) => {
        const page = encodePage(rleBooleanCodec, Uint8Array.from(xs));
        expect([...rleBooleanCodec.decode(page, 0, page.length)]).toEqual(xs.map((x) => (x ? 1 : 0)));
      }),
      { numRuns: 100 },
    );
  });

  it('reads pages made of several patterns, as the reference decoder does', () => {
    const a = encodePage(rleInt32Codec, Int32Array.from([1, 2, 3]));
    const b = encodePage(rleInt32Codec, Int32Array.from([9, 9, 9, 9, 9, 9, 9, 9, 9]));
    const page = Buffer.concat([a, b]);
    expect([...rleInt32Codec.decode(page, 0, page.length)]).toEqual([1, 2, 3, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
  });

  it('decodes an empty page (what an encoder flushes with no values) to nothing', () => {
    expect(encodePage(rleInt32Codec, new Int32Array(0)).toString('hex')).toBe('00');
    expect(rleInt32Codec.decode(Uint8Array.from([0]), 0, 1)).toEqual(new Int32Array(0));
    expect(rleInt64Codec.decode(new Uint8Array(0), 0, 0)).toEqual(new BigInt64Array(0));
  });

  it('rejects a bit width the type cannot have', () => {
    // length 3, width 33, run of 8 (header 16) ...
    expectCorrupt(() => rleInt32Codec.decode(Uint8Array.from([3, 33, 16, 0]), 0, 4), /bit width 33 exceeds 32/);
    expectCorrupt(() => rleInt64Codec.decode(Uint8Array.from([3, 65, 16, 0]), 0, 4), /bit width 65 exceeds 64/);
  });

  it('rejects lengths and counts that lie', () => {
    expectCorrupt(() => rleInt32Codec.decode(Uint8Array.from([9, 1, 16, 1]), 0, 4), /pattern of 9 bytes/);
    // Bit-packed run of 2 groups at width 8 with only one group of bytes.
    expectCorrupt(
      () => rleInt32Codec.decode(Uint8Array.from([11, 8, 5, 8, 1, 2, 3, 4, 5, 6, 7, 8]), 0, 12),
      /2 groups .* exceeds/,
    );
    expectCorrupt(() => rleInt32Codec.decode(Uint8Array.from([3, 1, 3, 0, 0]), 0, 4), /group of 0 values/);
    expectCorrupt(() => rleInt32Codec.decode(Uint8Array.from([4, 1, 3, 9, 0]), 0, 5), /group of 9 values/);
    expectCorrupt(() => rleInt32Codec.decode(Uint8Array.from([3, 1, 1, 0]), 0, 4), /0 groups/);
    expectCorrupt(() => rleInt32Codec.decode(Uint8Array.from([3, 1, 0, 1]), 0, 4), /run of 0 values/);
    expectCorrupt(() => rleInt32Codec.decode(Uint8Array.from([2, 16, 16]), 0, 3), /run value .* exceeds/);
  });

  it('refuses runs that would expand past the page limit instead of allocating them', () => {
    // One run of 2^26 copies of 0: six bytes describing 64 M values.
    const header = 2 ** 27; // count << 1
    const varint = [
      (header & 0x7f) | 0x80,
      ((header >>> 7) & 0x7f) | 0x80,
      ((header >>> 14) & 0x7f) | 0x80,
      header >>> 21,
    ];
    const page = Uint8Array.from([1 + varint.length + 1, 1, ...varint, 0]);
    expect(2 ** 26).toBeGreaterThan(PAGE_VALUES_MAX);
    expectCorrupt(() => rleInt32Codec.decode(page, 0, page.length), /more than/);
  });

  it('fails cleanly or returns a prefix on every truncation', () => {
    const ints = Int32Array.from([1, 2, 3, ...new Array<number>(20).fill(7), 4, 5, -1]);
    expectTruncationsSafe(rleInt32Codec, encodePage(rleInt32Codec, ints), 'int32');
    const longs = BigInt64Array.from([5n, 5n, 5n, 5n, 5n, 5n, 5n, 5n, 5n, 2n ** 40n, -3n]);
    expectTruncationsSafe(rleInt64Codec, encodePage(rleInt64Codec, longs), 'int64');
  });
});
