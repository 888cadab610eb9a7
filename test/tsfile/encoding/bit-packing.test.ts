import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bitWidth32,
  bitWidth64,
  pack8Int32,
  pack8Int64,
  packBits32,
  packBits64,
  packedByteLength,
  unpack8Int32,
  unpack8Int64,
  unpackBits32,
  unpackBits64,
} from '../../../tsfile/encoding/bit-packing.js';
import { int64Words } from '../../../tsfile/io/int64.js';

/** Values of at most `width` bits (as int32 bit patterns). */
function fitting32(width: number): fc.Arbitrary<number> {
  if (width === 0) return fc.constant(0);
  if (width === 32) return fc.integer({ min: -0x80000000, max: 0x7fffffff });
  return fc.integer({ min: 0, max: 2 ** width - 1 });
}

describe('bit packing', () => {
  it('packs eight values most significant bit first, as IoTDB documents (width 3)', () => {
    const out = new Uint8Array(5).fill(0xaa);
    pack8Int32([5, 4, 7, 3, 0, 1, 3, 2], 0, 3, out, 1);
    expect([...out]).toEqual([0xaa, 0b10110011, 0b10110000, 0b01011010, 0xaa]);
    const back = new Int32Array(8);
    unpack8Int32(out, 1, 3, back, 0);
    expect([...back]).toEqual([5, 4, 7, 3, 0, 1, 3, 2]);
  });

  it('pads a partial last byte with zero bits', () => {
    const out = new Uint8Array(2).fill(0xff);
    expect(packBits32([1, 1, 1], 0, 3, 3, out, 0)).toBe(2);
    expect([...out]).toEqual([0b00100100, 0b10000000]);
    expect(packedByteLength(3, 3)).toBe(2);
  });

  it('keeps width-32 values as int32 bit patterns', () => {
    const values = [-1, -0x80000000, 0x7fffffff, 0, 1, -2, 123456789, -987654321];
    const out = new Uint8Array(32);
    pack8Int32(values, 0, 32, out, 0);
    expect(out.subarray(0, 4)).toEqual(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
    const back = new Int32Array(8);
    unpack8Int32(out, 0, 32, back, 0);
    expect([...back]).toEqual(values);
  });

  it('writes nothing at width 0 and unpacks zeros', () => {
    const out = new Uint8Array(2).fill(7);
    expect(packBits32([0, 0, 0], 0, 3, 0, out, 0)).toBe(0);
    expect([...out]).toEqual([7, 7]);
    const back = new Int32Array(4).fill(9);
    unpackBits32(out, 0, 4, 0, back, 0);
    expect([...back]).toEqual([0, 0, 0, 0]);
  });

  it('round-trips any count of 32-bit values at every width', () => {
    const arb = fc
      .integer({ min: 0, max: 32 })
      .chain((width) => fc.tuple(fc.constant(width), fc.array(fitting32(width), { maxLength: 70 })));
    fc.assert(
      fc.property(arb, ([width, values]) => {
        const out = new Uint8Array(packedByteLength(values.length, width) + 2);
        const written = packBits32(values, 0, values.length, width, out, 1);
        expect(written).toBe(packedByteLength(values.length, width));
        const back = new Int32Array(values.length);
        unpackBits32(out, 1, values.length, width, back, 0);
        expect([...back]).toEqual(values);
      }),
    );
  });

  it('round-trips 64-bit values at every width through word views', () => {
    const arb = fc.integer({ min: 0, max: 64 }).chain((width) =>
      fc.tuple(
        fc.constant(width),
        fc.array(
          fc.bigInt({ min: 0n, max: 2n ** BigInt(width) - 1n }).map((v) => BigInt.asIntN(64, v)),
          { maxLength: 40 },
        ),
      ),
    );
    fc.assert(
      fc.property(arb, ([width, values]) => {
        const column = BigInt64Array.from(values);
        const out = new Uint8Array(packedByteLength(values.length, width));
        packBits64(int64Words(column), 0, values.length, width, out, 0);
        const back = new BigInt64Array(values.length);
        unpackBits64(out, 0, values.length, width, int64Words(back), 0);
        expect([...back]).toEqual(values);
        // The same stream as 32-bit packing when the values fit.
        if (width <= 32) {
          const lows = Array.from(values, (v) => Number(BigInt.asIntN(32, v)));
          const again = new Uint8Array(out.length);
          packBits32(lows, 0, lows.length, width, again, 0);
          expect(again).toEqual(out);
        }
      }),
    );
  });

  it('packs eight 64-bit values into width bytes, from a value index', () => {
    const column = BigInt64Array.from([9n, -1n, 2n ** 62n, -(2n ** 63n), 0n, 1n, 123n, -5n, 77n]);
    const out = new Uint8Array(64);
    pack8Int64(int64Words(column), 1, 64, out, 0);
    expect(out.subarray(0, 8)).toEqual(new Uint8Array(8).fill(0xff));
    const back = new BigInt64Array(9);
    unpack8Int64(out, 0, 64, int64Words(back), 1);
    expect([...back.subarray(1)]).toEqual([...column.subarray(1)]);
  });

  it('measures bit widths as unsigned', () => {
    expect([0, 1, 2, 255, 256, -1].map(bitWidth32)).toEqual([0, 1, 2, 8, 9, 32]);
    expect(bitWidth64(0, 0)).toBe(0);
    expect(bitWidth64(0, -1)).toBe(32);
    expect(bitWidth64(1, 0)).toBe(33);
    expect(bitWidth64(-1, 0)).toBe(64);
  });
});
