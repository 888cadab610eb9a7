import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ts2DiffCodecs, ts2DiffInt32Codec, ts2DiffInt64Codec } from '../../../tsfile/encoding/ts-2diff.js';
import { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { encodePage, expectCorrupt, expectTruncationsSafe, goldenTests } from './encoding-golden.js';

describe('TS_2DIFF golden pages', () => {
  goldenTests('ts-2diff', ts2DiffCodecs);
});

const INT64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const INT32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });

/** Series shaped like real columns: a start and deltas of a chosen magnitude, plus outliers. */
function series64(): fc.Arbitrary<bigint[]> {
  return fc
    .tuple(
      INT64,
      fc.integer({ min: 0, max: 63 }),
      fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 400 }),
    )
    .map(([start, bits, noise]) => {
      let v = start;
      return noise.map((n) => {
        v = BigInt.asIntN(64, v + (n >> BigInt(63 - bits)));
        return v;
      });
    });
}

describe('TS_2DIFF', () => {
  it('round-trips any int64 page exactly, wrapping deltas as Java longs do', () => {
    fc.assert(
      fc.property(fc.oneof(series64(), fc.array(INT64, { maxLength: 300 })), (xs) => {
        const col = BigInt64Array.from(xs);
        const page = encodePage(ts2DiffInt64Codec, col);
        expect(ts2DiffInt64Codec.decode(page, 0, page.length)).toEqual(col);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips any int32 page exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(INT32, fc.integer({ min: -3, max: 3 })), { maxLength: 400 }), (xs) => {
        const col = Int32Array.from(xs);
        const page = encodePage(ts2DiffInt32Codec, col);
        expect(ts2DiffInt32Codec.decode(page, 0, page.length)).toEqual(col);
      }),
      { numRuns: 150 },
    );
  });

  it('stores regular timestamps in 24 bytes a block', () => {
    const times = BigInt64Array.from({ length: 1000 }, (_, i) => 1_700_000_000_000n + BigInt(i) * 1000n);
    const page = encodePage(ts2DiffInt64Codec, times);
    expect(page.length).toBe(24 * Math.ceil(1000 / 129));
    expect(ts2DiffInt64Codec.decode(page, 0, page.length)).toEqual(times);
  });

  it('encodes the window [from, to) of a column', () => {
    const col = BigInt64Array.from([9n, 1n, 2n, 4n, 9n]);
    const out = new ByteWriter();
    ts2DiffInt64Codec.encode(col, 1, 4, out);
    expect([...ts2DiffInt64Codec.decode(out.view(), 0, out.length)]).toEqual([1n, 2n, 4n]);
  });

  it('reads consecutive blocks written by separate flushes', () => {
    const a = encodePage(ts2DiffInt32Codec, Int32Array.from([1, 5, 9]));
    const b = encodePage(ts2DiffInt32Codec, Int32Array.from([-7]));
    const page = Buffer.concat([a, b]);
    expect([...ts2DiffInt32Codec.decode(page, 0, page.length)]).toEqual([1, 5, 9, -7]);
  });

  it('rejects widths the type cannot have and negative counts', () => {
    const block = (n: number, width: number, bytes: number): Uint8Array => {
      const out = Buffer.alloc(8 + bytes);
      out.writeInt32BE(n, 0);
      out.writeInt32BE(width, 4);
      return out;
    };
    expectCorrupt(() => ts2DiffInt32Codec.decode(block(1, 33, 9), 0, 17), /bit width 33/);
    expectCorrupt(() => ts2DiffInt64Codec.decode(block(1, 65, 17), 0, 25), /bit width 65/);
    expectCorrupt(() => ts2DiffInt64Codec.decode(block(1, -1, 17), 0, 25), /bit width -1/);
    expectCorrupt(() => ts2DiffInt32Codec.decode(block(-2, 0, 8), 0, 16), /-2 values/);
    // 100 deltas of 8 bits need 100 bytes; 8 are there.
    expectCorrupt(() => ts2DiffInt32Codec.decode(block(100, 8, 16), 0, 24), /exceeds the page/);
  });

  it('refuses a block count that would expand past the page limit instead of allocating it', () => {
    const page = Buffer.alloc(24);
    page.writeInt32BE(0x7fffffff, 0);
    expectCorrupt(() => ts2DiffInt64Codec.decode(page, 0, 24), /more than/);
  });

  it('fails cleanly or returns a prefix on every truncation', () => {
    const times = BigInt64Array.from({ length: 140 }, (_, i) => 1000n * BigInt(i) + BigInt(i % 3));
    expectTruncationsSafe(ts2DiffInt64Codec, encodePage(ts2DiffInt64Codec, times), 'int64');
    const ints = Int32Array.from({ length: 135 }, (_, i) => i * i - 77);
    expectTruncationsSafe(ts2DiffInt32Codec, encodePage(ts2DiffInt32Codec, ints), 'int32');
  });
});
