import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doubleToFixedPoint, floatToFixedPoint } from '../../../tsfile/encoding/float-fixed-point.js';
import { rleCodecs } from '../../../tsfile/encoding/rle.js';
import { ts2DiffCodecs } from '../../../tsfile/encoding/ts-2diff.js';
import type { EncodingCodecs, EncodingOptions } from '../../../tsfile/encoding/value-codec.js';
import { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { FIXTURE_DIR } from '../../fixture-files.js';
import { encodePage } from './encoding-golden.js';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Java's Math.round(double) as a bigint: saturating, NaN to 0. */
function javaRound(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 2 ** 63) return LONG_MAX;
  if (x <= -(2 ** 63)) return LONG_MIN;
  return BigInt(Math.round(x));
}

/** What the reference reader returns for a FLOAT written with `digits` decimal places. */
function expectedFloat(x: number, digits: number): number {
  const scale = digits <= 0 ? 1 : 10 ** digits;
  return Math.fround(Number(BigInt.asIntN(32, javaRound(x * scale))) / scale);
}

function expectedDouble(x: number, digits: number): number {
  const scale = digits <= 0 ? 1 : 10 ** digits;
  return Number(javaRound(x * scale)) / scale;
}

function words(value: number, scale: number): bigint {
  const out = new BigInt64Array(1);
  doubleToFixedPoint(value, scale, new Int32Array(out.buffer), 0);
  return out[0]!;
}

describe('float fixed point (RLE and TS_2DIFF for FLOAT and DOUBLE)', () => {
  it('rounds as Java does: ties toward +infinity, NaN to 0, saturating at the long range', () => {
    expect([2.5, -2.5, 0.49999999999999994, -0.5, 1.5].map((x) => floatToFixedPoint(x, 1))).toEqual([3, -2, 0, 0, 2]);
    expect(floatToFixedPoint(Number.NaN, 100)).toBe(0);
    // (int) of Long.MAX_VALUE keeps its low 32 bits: -1; of Long.MIN_VALUE: 0.
    expect(floatToFixedPoint(Number.POSITIVE_INFINITY, 100)).toBe(-1);
    expect(floatToFixedPoint(Number.NEGATIVE_INFINITY, 100)).toBe(0);
    expect(floatToFixedPoint(3.4028234663852886e38, 100)).toBe(-1);
    expect(floatToFixedPoint(-1e30, 1)).toBe(0);
    // Beyond int32 but inside the long range: the low 32 bits.
    expect(floatToFixedPoint(1e10, 100)).toBe(Number(BigInt.asIntN(32, 10n ** 12n)));
    expect(floatToFixedPoint(Math.fround(1.005), 100)).toBe(100);

    expect(words(Number.POSITIVE_INFINITY, 100)).toBe(LONG_MAX);
    expect(words(Number.NEGATIVE_INFINITY, 100)).toBe(LONG_MIN);
    expect(words(Number.NaN, 100)).toBe(0n);
    expect(words(-2.5, 1)).toBe(-2n);
    expect(words(-123456789.125, 100)).toBe(-12345678912n);
    expect(words(2 ** 62, 1)).toBe(2n ** 62n);
    expect(words(-(2 ** 63), 1)).toBe(LONG_MIN);
  });

  it('gives the values the reference reader gives for the special-values fixture', () => {
    const csv = readFileSync(join(FIXTURE_DIR, 'special-values.csv'), 'utf8').trim().split('\n');
    const column = (name: string): number[] =>
      csv.filter((l) => l.startsWith(`root.v.special.d_double,${name},`)).map((l) => Number(l.split(',')[3]));
    const written = column('s_plain');
    expect(written.length).toBeGreaterThan(10);
    for (const [encoding, factory] of [
      ['s_rle', rleCodecs],
      ['s_ts_2diff', ts2DiffCodecs],
    ] as const) {
      const codec = factory({ maxPointNumber: 2 }).double!;
      const page = encodePage(codec, Float64Array.from(written));
      expect([...codec.decode(page, 0, page.length)]).toEqual(column(encoding));
    }
  });

  for (const [name, factory] of [
    ['RLE', rleCodecs],
    ['TS_2DIFF', ts2DiffCodecs],
  ] as [string, (o: EncodingOptions) => EncodingCodecs][]) {
    it(`${name} FLOAT reads back exactly the documented rounding`, () => {
      fc.assert(
        fc.property(fc.integer({ min: -1, max: 6 }), fc.array(fc.float(), { maxLength: 200 }), (digits, xs) => {
          const codec = factory({ maxPointNumber: digits }).float!;
          const page = encodePage(codec, Float32Array.from(xs));
          const back = codec.decode(page, 0, page.length);
          expect([...back]).toEqual(xs.map((x) => expectedFloat(Math.fround(x), digits)));
        }),
        { numRuns: 60 },
      );
    });

    it(`${name} DOUBLE reads back exactly the documented rounding`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: -1, max: 6 }),
          fc.array(fc.oneof(fc.double(), fc.double({ min: -1e6, max: 1e6 })), { maxLength: 200 }),
          (digits, xs) => {
            const codec = factory({ maxPointNumber: digits }).double!;
            const page = encodePage(codec, Float64Array.from(xs));
            const back = codec.decode(page, 0, page.length);
            expect([...back]).toEqual(xs.map((x) => expectedDouble(x, digits)));
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('starts a page with the decimal places as a varint, 0 for a negative setting', () => {
    expect(encodePage(ts2DiffCodecs({ maxPointNumber: 3 }).float!, Float32Array.from([1]))[0]).toBe(3);
    const negative = encodePage(rleCodecs({ maxPointNumber: -4 }).double!, Float64Array.from([1.7]));
    expect(negative[0]).toBe(0);
    expect([...rleCodecs(DEFAULT).double!.decode(negative, 0, negative.length)]).toEqual([2]);
  });

  it('uses the decimal places of the page, not the codec setting, when reading', () => {
    const page = encodePage(rleCodecs({ maxPointNumber: 4 }).double!, Float64Array.from([1.2345]));
    expect([...rleCodecs({ maxPointNumber: 1 }).double!.decode(page, 0, page.length)]).toEqual([1.2345]);
  });

  it('writes no header for an empty page', () => {
    const out = new ByteWriter();
    rleCodecs(DEFAULT).float!.encode(new Float32Array(0), 0, 0, out);
    ts2DiffCodecs(DEFAULT).double!.encode(new Float64Array(0), 0, 0, out);
    expect(out.toBuffer().toString('hex')).toBe('00');
    expect(rleCodecs(DEFAULT).float!.decode(Uint8Array.from([0]), 0, 1)).toEqual(new Float32Array(0));
  });
});

const DEFAULT: EncodingOptions = { maxPointNumber: 2 };
