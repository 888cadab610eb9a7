import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rlbeCodecs } from '../../../tsfile/encoding/rlbe.js';
import { DEFAULT_ENCODING_OPTIONS } from '../../../tsfile/encoding/value-codec.js';
import { CorruptDataError } from '../../../tsfile/io/byte-reader.js';
import { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import {
  type AnyCodec,
  arbitraryColumn,
  arbitraryWalk,
  bytesOf,
  checkGolden,
  encodeHex,
  expectCleanFailure,
  type GoldenCase,
  type NumericKind,
  patternsOf,
} from './bit-pattern-columns.js';

// Pages written by the reference encoders (Apache TsFile 1.0.0) for these values; `decoded`
// is what the reference decoder returns where that is not the input (FLOAT and DOUBLE
// differences are rounded floating-point subtractions, and the rounding accumulates).
const RLBE_CASES: GoldenCase[] = [
  { kind: 'int32', name: 'one value', values: ['42'], hex: '000000011ba8' },
  {
    kind: 'int32',
    name: 'repeated',
    values: ['7', '7', '7', '7', '7', '7', '7', '7', '7', '7'],
    hex: '0000000a0fe0c600',
  },
  {
    kind: 'int32',
    name: 'extremes',
    values: ['-2147483648', '2147483647', '0', '-1', '1', '2147483647', '-2147483648', '42', '42', '42', '7', '8', '9'],
    hex: '0000000d82c00000001fffffffc00000005fffffffc2e7ffffffffc0f830000002a05906ffffffba0bc0',
  },
  {
    kind: 'int32',
    name: 'random walk',
    values: [
      '1002',
      '991',
      '1013',
      '1013',
      '1022',
      '1011',
      '999',
      '994',
      '986',
      '991',
      '1002',
      '1015',
      '1020',
      '1045',
      '1037',
      '1049',
      '1067',
      '1052',
      '1060',
      '1040',
    ],
    hex: '000000142bfaa0dffffffd45ec0e13982dffffffd5ffffffd1ffffffedffffffe03e88ef43e8be60dffffffe04f05e506ffffffe227106ffffffd8',
  },
  { kind: 'int32', name: 'ends with the end marker', values: ['5', '-2147483648'], hex: '000000020faffffffffec0' },
  { kind: 'int32', name: 'one end marker', values: ['-2147483648'], hex: '000000018300000000' },
  {
    kind: 'int32',
    name: 'wide range',
    values: ['-2147483648', '2147483647', '-2147483648', '0', '2147483647'],
    hex: '0000000581800000003fffffff83e0c00000001fffffffff80',
  },
  { kind: 'int64', name: 'one value', values: ['42'], hex: '000000010dd4' },
  {
    kind: 'int64',
    name: 'repeated',
    values: ['-7', '-7', '-7', '-7', '-7', '-7', '-7', '-7', '-7', '-7'],
    hex: '0000000a81bffffffffffffffc818c00',
  },
  {
    kind: 'int64',
    name: 'extremes',
    values: [
      '-9223372036854775808',
      '9223372036854775807',
      '0',
      '-1',
      '1',
      '9223372036854775807',
      '-9223372036854775808',
      '42',
      '42',
      '7',
      '8',
      '9',
    ],
    hex: '0000000c8160000000000000000fffffffffffffffe0000000000000002fffffffffffffffe0b9fffffffffffffffff80f81800000000000001501d037fffffffffffffdd02f',
  },
  {
    kind: 'int64',
    name: 'timestamps',
    values: [
      '1700000000000',
      '1700000001000',
      '1700000002000',
      '1700000003000',
      '1700000004000',
      '1700000005000',
      '1700000006001',
      '1700000007001',
      '1700000008001',
      '1700000009001',
      '1700000010002',
      '1700000011001',
      '1700000012000',
      '1700000013002',
      '1700000014000',
      '1700000015001',
      '1700000016002',
      '1700000017000',
      '1700000018002',
      '1700000019000',
    ],
    hex: '0000001453e2f3f95a00054bfa3e8fa3e8fa3e9fa3e8fa3e9f9fe7fabe6fa7e9f9beaf98',
  },
  {
    kind: 'int64',
    name: 'ends with the end marker',
    values: ['5', '-9223372036854775808'],
    hex: '0000000207d7ffffffffffffffffb0',
  },
  {
    kind: 'int64',
    name: 'wide range',
    values: ['-9223372036854775808', '9223372036854775807', '-9223372036854775808', '0', '9223372036854775807'],
    hex: '0000000580c0000000000000001fffffffffffffffc0f8180000000000000003fffffffffffffffff8',
  },
  { kind: 'float', name: 'one value', values: ['3fc00000'], hex: '000000017bff000000' },
  {
    kind: 'float',
    name: 'repeated',
    values: [
      '40200000',
      '40200000',
      '40200000',
      '40200000',
      '40200000',
      '40200000',
      '40200000',
      '40200000',
      '40200000',
      '40200000',
    ],
    hex: '0000000a7f804000000c6000',
  },
  {
    kind: 'float',
    name: 'special values',
    values: [
      '7fc00000',
      '7f800000',
      'ff800000',
      '80000000',
      '00000000',
      '00000001',
      '007fffff',
      '7f7fffff',
      'ff7fffff',
      '3f800000',
      '40200000',
      '40200000',
      '40490fdb',
    ],
    hex: '0000000d7dffc00000ff80000106ff000000fffe00000016affffffe7ffeffffff06ff000000fffdfffffdeffc00000073dfe487ed80',
    decoded: [
      '7fc00000',
      '7fc00000',
      '7fc00000',
      '7fc00000',
      '7fc00000',
      '7fc00000',
      '7fc00000',
      '7fc00000',
      '7fc00000',
      '7fc00000',
      '7fc00000',
      '7fc00000',
      '7fc00000',
    ],
  },
  {
    kind: 'float',
    name: 'random walk',
    values: [
      '41a40000',
      '41a0cccd',
      '41a0a3d7',
      '41a1851f',
      '41a3ae14',
      '41a370a4',
      '41a53333',
      '41a6147b',
      '41a9ae14',
      '41a770a4',
      '41aae148',
      '41aecccd',
      '41ab851f',
      '41aa7ae1',
      '41ac8f5c',
      '41aa147b',
      '41ad851f',
      '41af0a3d',
      '41b0147b',
      '41adc28f',
    ],
    hex: '000000147f83480001033eccccc03ca3d80079fbc29001f451ea0419e7ae0003c7f30a3c07bc29001f733320419f47ae003cfedc2900fbeb8502067da3d7007c0a3e00f7f428f60419f4f5c203c7f6e14807c851e01f028f80419f4a3d8000',
  },
  { kind: 'float', name: 'ends with NaN', values: ['3fc00000', '7fc00000'], hex: '000000027bff000001fffe000000' },
  {
    kind: 'float',
    name: 'wide range',
    values: ['3dcccccd', '447a1333', '3f333333', '47f12064', '3c23d70a', '40533333'],
    hex: '000000067bf7333335fe23d0666c1a23cf3333fc7f1200a8347f120637f80a51eb80',
    decoded: ['3dcccccd', '447a1333', '3f333400', '47f12064', '3c000000', '40530f5c'],
  },
  { kind: 'double', name: 'one value', values: ['3ff8000000000000'], hex: '000000017dfff0000000000000' },
  {
    kind: 'double',
    name: 'repeated',
    values: [
      '4004000000000000',
      '4004000000000000',
      '4004000000000000',
      '4004000000000000',
      '4004000000000000',
      '4004000000000000',
      '4004000000000000',
      '4004000000000000',
      '4004000000000000',
      '4004000000000000',
    ],
    hex: '0000000a7fc004000000000000031800',
  },
  {
    kind: 'double',
    name: 'special values',
    values: [
      '7ff8000000000000',
      '7ff0000000000000',
      'fff0000000000000',
      '8000000000000000',
      '0000000000000000',
      '0000000000000001',
      '000fffffffffffff',
      '7fefffffffffffff',
      'ffefffffffffffff',
      '3ff0000000000000',
      '4004000000000000',
      '4004000000000000',
      '400921fb54442d18',
    ],
    hex: '0000000d7efffc0000000000007ff800000000000081bff80000000000003ffff8000000000000016b4fffffffffffff9ffffbffffffffffffe06ffe0000000000000ffffdffffffffffffefbffe00000000000000e7dffc90fdaa22168c00',
    decoded: [
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
      '7ff8000000000000',
    ],
  },
  {
    kind: 'double',
    name: 'random walk',
    values: [
      '40591355f83d8000',
      '40592a9520ea0000',
      '40593ad3c4e94000',
      '4059482db059c000',
      '40592f3626ee0000',
      '405940da6e648000',
      '405956b6b564c000',
      '405951bbea314000',
      '405968e306690000',
      '405987f40cb68000',
      '40597325e0eb8000',
      '4059859d992f8000',
      '4059a2171b7d4000',
      '4059ae0276534000',
      '4059be7223e34000',
      '4059c4dafe5a8000',
      '4059bf6b5f790000',
      '4059d39536b94000',
      '4059b5363452c000',
      '4059aa9bc22c4000',
    ],
    hex: '000000147fc0591355f83d80007c7feb9f94564000007fa07d47fe800001fe559eb7080000040cff63de25af000001f3ff46911dda000003fd5dc4700400000819fd9f596670000003e7feb938e1be000007fbe220c9b000001033fd4ce2bcb0000007c3ff49dee110000003fdc79824dc00000ff1f5ad6b0000003fd06fad90000000fee68da774000002067f6b7cf70c000000fbff50a75d01000002033fde5f02668000003fc534e44d000000',
  },
  {
    kind: 'double',
    name: 'two decimals',
    values: [
      '40590b851eb851ec',
      '40591b851eb851ec',
      '4059066666666666',
      '40590147ae147ae1',
      '40590b851eb851ec',
      '4059066666666666',
      '4058f0a3d70a3d71',
      '4058fd70a3d70a3d',
      '405901eb851eb852',
      '4058e47ae147ae14',
      '4058eccccccccccd',
      '40590ccccccccccd',
      '4058fe147ae147ae',
      '40590147ae147ae1',
      '40591a3d70a3d70a',
      '4059233333333333',
      '405903d70a3d70a4',
      '40590ccccccccccd',
      '40590147ae147ae1',
      '40591147ae147ae1',
    ],
    hex: '000000147fc0590b851eb851ec7dffa0000000000001019fea8f5c28f5c3001fda3d70a3d70a003effc47ae147ae160080cfed1eb851eb86000ff570a3d70a3d401f3ff26666666666003fb1eb851eb85400819feeb851eb851f003e7fe051eb851eb9007fc0000000000001033fcd70a3d70a3e007c7fd4cccccccccc007fb1eb851eb85201fe0f5c28f5c290040cff7d70a3d70a3c01f7fe0f5c28f5c290040cff1c28f5c28f6001f7fe80000000000000',
  },
  {
    kind: 'double',
    name: 'ends with NaN',
    values: ['3ff8000000000000', '7ff8000000000000'],
    hex: '000000027dfff0000000000000fffff0000000000000',
  },
  {
    kind: 'double',
    name: 'wide range',
    values: ['3fb999999999999a', '4376345785d8a000', '3fe6666666666666', '3e112e0be826d695', '40c81cd6c8b43958'],
    hex: '000000057dff73333333333334ff86ec68af0bb1400101a1bb1a2bc2ec50001ff3333332ee7b03bfe0640e6b645a1b9900',
    decoded: ['3fb999999999999a', '4376345785d8a000', '0000000000000000', 'bfe6666665dcf607', '40c81c7d2f1a9fbe'],
  },
];

const codecs = rlbeCodecs(DEFAULT_ENCODING_OPTIONS);
const KINDS: NumericKind[] = ['int32', 'int64', 'float', 'double'];
const codecOf = (kind: NumericKind): AnyCodec => codecs[kind] as unknown as AnyCodec;

/** (i * 7919) % 1000 - 500 for i < 10 005: more than one 10 000-value block. */
function twoBlocks(): Int32Array {
  return Int32Array.from({ length: 10_005 }, (_, i) => ((i * 7919) % 1000) - 500);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('RLBE golden pages', () => {
  for (const c of RLBE_CASES) {
    it(`${c.kind}: ${c.name}`, () => checkGolden(codecOf(c.kind), c));
  }

  it('reads a page without its value count: blocks state their own', () => {
    for (const c of RLBE_CASES) {
      const bytes = bytesOf(c.hex);
      expect(patternsOf(c.kind, codecOf(c.kind).decode(bytes, 0, bytes.length)), c.name).toEqual(c.decoded ?? c.values);
    }
  });

  it('int32: splits a page into blocks of 10 000 values, as the reference', () => {
    const values = twoBlocks();
    const out = new ByteWriter();
    codecs.int32!.encode(values, 0, values.length, out);
    const bytes = out.toBuffer();
    // Reference page: 39 828 bytes; the first block counts 10 000 (0x2710) values.
    expect(bytes.length).toBe(39_828);
    expect(bytes.subarray(0, 4).toString('hex')).toBe('00002710');
    expect(sha256(bytes)).toBe('c5f889292c62815978caad22ffbf4cff6cf29008ca8d6c6d9ddde6d6a0760b07');
    expect(Array.from(codecs.int32!.decode(bytes, 0, bytes.length))).toEqual(Array.from(values));
  });

  it('float: the same across two blocks', () => {
    const values = Float32Array.from(twoBlocks(), (v) => v / 8);
    const out = new ByteWriter();
    codecs.float!.encode(values, 0, values.length, out);
    const bytes = out.toBuffer();
    expect(bytes.length).toBe(41_957);
    expect(sha256(bytes)).toBe('885674432148fc49f6dddee6d7a220a1f1952c7ae26e76e1dc32c7fafb051067');
    expect(Array.from(codecs.float!.decode(bytes, 0, bytes.length))).toEqual(Array.from(values));
  });
});

/**
 * What the reference reads back from an RLBE page of floating-point values: differences
 * taken in the type's precision, added back to the previously decoded value.
 */
function floatingModel(kind: 'float' | 'double', values: ArrayLike<number>): number[] {
  const round = kind === 'float' ? Math.fround : (x: number) => x;
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    out.push(i === 0 ? values[0]! : round(out[i - 1]! + round(values[i]! - values[i - 1]!)));
  }
  return out;
}

describe('RLBE round trips', () => {
  for (const kind of ['int32', 'int64'] as const) {
    it(`${kind}: any values`, () => {
      fc.assert(
        fc.property(fc.oneof(arbitraryColumn(kind), arbitraryWalk(kind)), (column) => {
          const bytes = bytesOf(encodeHex(codecOf(kind), column, column.length));
          expect(patternsOf(kind, codecOf(kind).decode(bytes, 0, bytes.length))).toEqual(patternsOf(kind, column));
          expect(patternsOf(kind, codecOf(kind).decode(bytes, 0, bytes.length, column.length))).toEqual(
            patternsOf(kind, column),
          );
        }),
        { numRuns: 300 },
      );
    });
  }

  for (const kind of ['float', 'double'] as const) {
    it(`${kind}: values whose differences are exact come back bit for bit`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 1, maxLength: 300 }),
          (ints) => {
            const column = kind === 'float' ? Float32Array.from(ints) : Float64Array.from(ints);
            const bytes = bytesOf(encodeHex(codecOf(kind), column, column.length));
            expect(patternsOf(kind, codecOf(kind).decode(bytes, 0, bytes.length))).toEqual(patternsOf(kind, column));
          },
        ),
        { numRuns: 200 },
      );
    });

    it(`${kind}: any finite values read back as the reference's rounded sums`, () => {
      fc.assert(
        fc.property(arbitraryColumn(kind), (column) => {
          fc.pre(column.every(Number.isFinite));
          const bytes = bytesOf(encodeHex(codecOf(kind), column, column.length));
          const decoded = Array.from(codecOf(kind).decode(bytes, 0, bytes.length) as Float32Array | Float64Array);
          expect(decoded).toEqual(floatingModel(kind, column as Float32Array | Float64Array));
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('RLBE corrupt input', () => {
  it('rejects every truncation of a page', () => {
    for (const c of RLBE_CASES) {
      const bytes = bytesOf(c.hex);
      for (let cut = 0; cut < bytes.length; cut++) {
        expect(() => codecOf(c.kind).decode(bytes, 0, cut, c.values.length), `${c.name} cut at ${cut}`).toThrow(
          CorruptDataError,
        );
      }
    }
  });

  it('rejects a block count larger than the page could hold', () => {
    const bytes = bytesOf('7fffffff80');
    expect(() => codecs.int32!.decode(bytes, 0, bytes.length)).toThrow(CorruptDataError);
  });

  for (const kind of KINDS) {
    it(`${kind}: garbage ends in an error or values, never a hang`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (garbage) => {
          expectCleanFailure(() => codecOf(kind).decode(garbage, 0, garbage.length));
          expectCleanFailure(() => codecOf(kind).decode(garbage, 0, garbage.length, 50));
        }),
        { numRuns: 500 },
      );
    });
  }
});
