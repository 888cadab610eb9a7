import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  plainBinaryCodec,
  plainBooleanCodec,
  plainCodecs,
  plainDoubleCodec,
  plainFloatCodec,
  plainInt32Codec,
  plainInt64Codec,
} from '../../../tsfile/encoding/plain.js';
import { encodePage, expectCorrupt, expectTruncationsSafe, goldenTests } from './encoding-golden.js';

describe('PLAIN golden pages', () => {
  goldenTests('plain', plainCodecs);
});

describe('PLAIN', () => {
  it('writes INT32 as zigzag varints, not four bytes', () => {
    expect(encodePage(plainInt32Codec, Int32Array.from([0, -1, 1, 64])).toString('hex')).toBe('0001028001');
  });

  it('writes NaN in its canonical form, whatever its payload', () => {
    const floats = new Float32Array(new Int32Array([0x7fc00001, 0xff800001 | 0]).buffer);
    expect(encodePage(plainFloatCodec, floats).toString('hex')).toBe('7fc000007fc00000');
    const doubles = new Float64Array(new BigInt64Array([0x7ff0000000000001n, -1n]).buffer);
    expect(encodePage(plainDoubleCodec, doubles).toString('hex')).toBe('7ff80000000000007ff8000000000000');
  });

  it('keeps the bits of -0.0 and subnormals', () => {
    const page = encodePage(plainDoubleCodec, Float64Array.from([-0, 5e-324]));
    expect(page.toString('hex')).toBe('80000000000000000000000000000001');
    expect(Object.is(plainDoubleCodec.decode(page, 0, page.length)[0], -0)).toBe(true);
  });

  it('round-trips every kind', () => {
    const runs = { numRuns: 50 };
    fc.assert(
      fc.property(fc.array(fc.boolean()), (bs) => {
        const col = Uint8Array.from(bs, Number);
        const page = encodePage(plainBooleanCodec, col);
        expect(plainBooleanCodec.decode(page, 0, page.length)).toEqual(col);
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -0x80000000, max: 0x7fffffff })), (xs) => {
        const col = Int32Array.from(xs);
        const page = encodePage(plainInt32Codec, col);
        expect(plainInt32Codec.decode(page, 0, page.length)).toEqual(col);
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })), (xs) => {
        const col = BigInt64Array.from(xs);
        const page = encodePage(plainInt64Codec, col);
        expect(page.length).toBe(8 * xs.length);
        expect(plainInt64Codec.decode(page, 0, page.length)).toEqual(col);
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.array(fc.float()), (xs) => {
        const col = Float32Array.from(xs);
        const page = encodePage(plainFloatCodec, col);
        const back = plainFloatCodec.decode(page, 0, page.length);
        expect([...back].map(String)).toEqual([...col].map(String));
        expect([...back].map((v) => Object.is(v, -0))).toEqual([...col].map((v) => Object.is(v, -0)));
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.array(fc.double()), (xs) => {
        const col = Float64Array.from(xs);
        const page = encodePage(plainDoubleCodec, col);
        const back = plainDoubleCodec.decode(page, 0, page.length);
        expect(back.every((v, i) => Object.is(v, col[i]))).toBe(true);
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 })), (xs) => {
        const page = encodePage(plainBinaryCodec, xs);
        expect(plainBinaryCodec.decode(page, 0, page.length).map((v) => [...v])).toEqual(xs.map((v) => [...v]));
      }),
      runs,
    );
  });

  it('returns binary values that survive changes to the page buffer', () => {
    const page = encodePage(plainBinaryCodec, [Buffer.from('abc')]);
    const [value] = plainBinaryCodec.decode(page, 0, page.length);
    page.fill(0);
    expect(Buffer.from(value!).toString()).toBe('abc');
  });

  it('rejects pages that do not hold whole values', () => {
    expectCorrupt(() => plainInt64Codec.decode(new Uint8Array(12), 0, 12), /not a multiple of 8/);
    expectCorrupt(() => plainFloatCodec.decode(new Uint8Array(6), 0, 6), /not a multiple of 4/);
    expectCorrupt(() => plainDoubleCodec.decode(new Uint8Array(9), 0, 9), /not a multiple of 8/);
    expectCorrupt(() => plainInt32Codec.decode(Uint8Array.from([0x80, 0x80]), 0, 2), /truncated/);
    expectCorrupt(
      () => plainInt32Codec.decode(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 0, 6),
      /too long/,
    );
  });

  it('rejects binary lengths that lie', () => {
    // Length 10 with 2 bytes behind it; a negative length (zigzag 1 = -1).
    expectCorrupt(() => plainBinaryCodec.decode(Uint8Array.from([20, 1, 2]), 0, 3), /length 10 .* exceeds/);
    expectCorrupt(() => plainBinaryCodec.decode(Uint8Array.from([1]), 0, 1), /length -1/);
  });

  it('fails cleanly or returns a prefix on every truncation', () => {
    expectTruncationsSafe(
      plainInt32Codec,
      encodePage(plainInt32Codec, Int32Array.from([1, -300, 2 ** 30, -5])),
      'int32',
    );
    expectTruncationsSafe(plainInt64Codec, encodePage(plainInt64Codec, BigInt64Array.from([1n, -2n])), 'int64');
    const texts = ['', 'hello', '中文', 'x'.repeat(70)].map((s) => new Uint8Array(Buffer.from(s)));
    expectTruncationsSafe(plainBinaryCodec, encodePage(plainBinaryCodec, texts), 'binary');
  });
});
