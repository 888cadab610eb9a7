import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gorillaCodecs } from '../../../tsfile/encoding/gorilla.js';
import { gorillaV1Codecs } from '../../../tsfile/encoding/gorilla-v1.js';
import type { ValueCodec } from '../../../tsfile/encoding/value-codec.js';
import { DEFAULT_ENCODING_OPTIONS } from '../../../tsfile/encoding/value-codec.js';
import { CorruptDataError } from '../../../tsfile/io/byte-reader.js';
import { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import {
  type AnyCodec,
  arbitraryColumn,
  arbitraryWalk,
  bytesOf,
  checkGolden,
  columnOf,
  encodeHex,
  expectCleanFailure,
  type GoldenCase,
  type NumericKind,
  patternsOf,
} from './bit-pattern-columns.js';

// Pages written by the reference encoders (Apache TsFile 1.0.0) for these values; `decoded`
// is what the reference decoder returns where that is not the input.
const GORILLA_CASES: GoldenCase[] = [
  { kind: 'int32', name: 'one value', values: ['42'], hex: '0000002ac1e8000002a0' },
  {
    kind: 'int32',
    name: 'repeated',
    values: ['7', '7', '7', '7', '7', '7', '7', '7', '7', '7'],
    hex: '000000070060fc00000038',
  },
  {
    kind: 'int32',
    name: 'extremes',
    values: ['-2147483648', '2147483647', '0', '-1', '1', '2147483647', '-2147483648', '42', '42', '42', '7', '8', '9'],
    hex: '80000000c1fffffffff9fffffffeffffffffbfffffffa7ffffffebfffffffe8000002a20000002d80000003e00000001a000000240',
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
    hex: '000003eaf45d6a9171b290b710b6b3b17d55fa603101481940de071034c1b800004100',
  },
  { kind: 'int32', name: 'ends with the end marker', values: ['5', '-2147483648'], hex: '00000005c1f800000050' },
  { kind: 'int32', name: 'one end marker', values: ['-2147483648'], hex: '8000000000' },
  { kind: 'int64', name: 'one value', values: ['42'], hex: '000000000000002ac0fa00000000000000a8' },
  {
    kind: 'int64',
    name: 'repeated',
    values: ['-7', '-7', '-7', '-7', '-7', '-7', '-7', '-7', '-7', '-7'],
    hex: 'fffffffffffffff90060fdffffffffffffffe4',
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
    hex: '8000000000000000c0fffffffffffffffffe7fffffffffffffffbfffffffffffffffefffffffffffffffe9fffffffffffffffaffffffffffffffffa00000000000000a90000000000000016c000000000000001f0000000000000000d00000000000000120',
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
    hex: '0000018bcfe56800f61befa8f0fe64f1b10730bea54f9f033f0b020e0c6fa950efcccef5c419985511ebc8df0a6106e33aa10ea71ab03c8000018bcfe5b238',
  },
  {
    kind: 'int64',
    name: 'ends with the end marker',
    values: ['5', '-9223372036854775808'],
    hex: '0000000000000005c0fe0000000000000014',
  },
  { kind: 'float', name: 'one value', values: ['3fc00000'], hex: '3fc00000c208' },
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
    hex: '40200000006247fc',
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
    hex: '7fc00000d20e00709fff003fc1d35ffffff09bfe00707f03fffffe7fa00000400d21fb71fc487ed8',
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
    hex: '41a40000db29999b06f1a8936448ac2e1bd6164397993a46c9fdd37ddbd616c8f6485b0b2a4e943fffd37adecd364f3c8b2451e45ae7f1e47775bd62efcdb851e0',
  },
  { kind: 'float', name: 'ends with NaN', values: ['3fc00000', '7fc00000'], hex: '3fc00000c208' },
  { kind: 'double', name: 'one value', values: ['3ff8000000000000'], hex: '3ff8000000000000c102' },
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
    hex: '4004000000000000006117ffe0',
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
    hex: '7ff8000000000000cc03800704afff8007fc0e665fffffffffffff049fff000e07f803fffffffffffff3ffa0000000000002000d21fb54442d188ffc487ed5110b4600',
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
    hex: '40591355f83d8000d27b9c0d8d7e9bd046e403745fe5fce961d18338dcb5bf6fec488aa2cd9b600c1c357d569cac762c3a10778b856fef4d1ec5d5ed70f388d27e78a8252e3055b4b8907055b03460f551bb73deec6848eb67f34e0366a302eba3f5becfd615ffd0d54de11620',
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
    hex: '40590b851eb851ecd303a75f78de378de2ead5c8721c8721f52bac2b0ac2b0db78de378de2b3f0fb62d8b62d8bc0dd374dd374cbf9364d9364df796459164591a045b16c5b16cde00000000000be5b16c5b16c77fd4f53d4f53e0dbd6f5bd6f5c390e4390e439841c8721c872f03c6f1bc6f1a606c5b16c5b164100000000000c2f7fa11147ae147ae10',
  },
  {
    kind: 'double',
    name: 'ends with NaN',
    values: ['3ff8000000000000', '7ff8000000000000'],
    hex: '3ff8000000000000c10200',
  },
];

const GORILLA_V1_CASES: GoldenCase[] = [
  { kind: 'float', name: 'one value', values: ['3fc00000'], hex: '0000c03fc20c' },
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
    hex: '00002040004ff8',
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
    hex: '0000c07f803801cffbfc1e95bfffffc23ffc00ec0ffffffc257fad2be90fdb9fc487ed80',
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
    hex: '0000a441da9ccccd8000378d400049b22000456170000deb36a790e5e00064e91000fba6f80076f59000d91ef6a70b616000a93a50001fffe80037adeed4f4d93c001e459200051e45001f1e46800eeb7a4f9b70a3c0',
  },
  { kind: 'float', name: 'ends with NaN', values: ['3fc00000', '7fc00000'], hex: '0000c03fc20c' },
  { kind: 'double', name: 'one value', values: ['3ff8000000000000'], hex: '000000000000f83fc103' },
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
    hex: '0000000000000440004fff',
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
    hex: '000000000000f87f8007000e7ffbfe0798cfffffffffffffe08afff000ec01fffffffffffffc11bffd6631d21fb54442d1cffc487ed5110b46',
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
    hex: '00803df85513594080001ce06c6bf4cfc11b900d8000397f3a5850000671b96b7f4506fec488ae99fb366d8030000070d5f55a000072b1d8b0e821ef170adfc0003d347b1750000f6b879c469209e2a094b8000060ab69710000107055b020000f551bb73c0001eec6848fa28767f34e03000066a302eba00003f5becfd4fe86aa6f08b1',
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
    hex: 'ec51b81e850b59408000080000000001a6b3bc6f1bc6f17555f21c8721c878000056158561586ea2bde378de378b9ec7ed8b62d8b62f00000dd374dd374c8000fe4d9364d937c000796459164591ea2c8b62d8b62d98000f0000000000040007cb62d8b62d8f3d8ffd4f53d4f53e000036f5bd6f5bd7a4bb90e4390e439800010721c8721cbea2cf1bc6f1bc69800006c5b16c5b16400004000000000027f42228f5c28f5c20',
  },
  {
    kind: 'double',
    name: 'ends with NaN',
    values: ['3ff8000000000000', '7ff8000000000000'],
    hex: '000000000000f83fc10300',
  },
];

const codecs = gorillaCodecs(DEFAULT_ENCODING_OPTIONS);
const v1Codecs = gorillaV1Codecs(DEFAULT_ENCODING_OPTIONS);
const KINDS: NumericKind[] = ['int32', 'int64', 'float', 'double'];
const codecOf = (kind: NumericKind): AnyCodec => codecs[kind] as unknown as AnyCodec;

/** The bit pattern that ends a GORILLA page, per kind. */
const END_MARKER: Record<NumericKind, string> = {
  int32: '-2147483648',
  int64: '-9223372036854775808',
  float: '7fc00000',
  double: '7ff8000000000000',
};

describe('GORILLA golden pages', () => {
  for (const c of GORILLA_CASES) {
    it(`${c.kind}: ${c.name}`, () => checkGolden(codecOf(c.kind), c));
  }

  it('reads a page without its value count up to the closing end marker', () => {
    for (const c of GORILLA_CASES) {
      const bytes = bytesOf(c.hex);
      const decoded = patternsOf(c.kind, codecOf(c.kind).decode(bytes, 0, bytes.length));
      // Values equal to the marker at the end of a page can be taken for the marker and
      // its padding: the reading keeps the fewest values that encode to the same bytes.
      let values = [...c.values];
      while (decoded.length < values.length && values[values.length - 1] === END_MARKER[c.kind]) {
        values = values.slice(0, -1);
      }
      expect(decoded, `${c.kind}: ${c.name}`).toEqual(values);
      expect(encodeHex(codecOf(c.kind), columnOf(c.kind, decoded), decoded.length)).toBe(c.hex);
    }
  });

  it('writes [1.5] and [1.5, NaN] as the same bytes, so only the count tells them apart', () => {
    const one = GORILLA_CASES.find((c) => c.kind === 'float' && c.name === 'one value')!;
    const withNaN = GORILLA_CASES.find((c) => c.kind === 'float' && c.name === 'ends with NaN')!;
    expect(withNaN.hex).toBe(one.hex);
    const bytes = bytesOf(one.hex);
    expect(patternsOf('float', codecs.float!.decode(bytes, 0, bytes.length))).toEqual(['3fc00000']);
    const counted = (codecs.float as ValueCodec<Float32Array>).decode(bytes, 0, bytes.length, 2);
    expect(patternsOf('float', counted)).toEqual(['3fc00000', '7fc00000']);
  });

  it('keeps an end-marker value in the middle of a page', () => {
    const column = columnOf('double', ['3ff8000000000000', '7ff8000000000000', '4004000000000000']);
    const bytes = bytesOf(encodeHex(codecOf('double'), column, 3));
    expect(patternsOf('double', codecs.double!.decode(bytes, 0, bytes.length))).toEqual([
      '3ff8000000000000',
      '7ff8000000000000',
      '4004000000000000',
    ]);
  });

  it('appends to what the output already holds, growing it as needed', () => {
    for (const kind of KINDS) {
      const longest = GORILLA_CASES.filter((c) => c.kind === kind).sort(
        (a, b) => b.values.length - a.values.length,
      )[0]!;
      const column = columnOf(kind, longest.values);
      const expected = encodeHex(codecOf(kind), column, column.length);
      const out = new ByteWriter(16);
      out.writeBytes(Buffer.from('prefix'));
      codecOf(kind).encode(column, 0, column.length, out);
      codecOf(kind).encode(column, 0, column.length, out);
      expect(out.toBuffer().toString('hex'), kind).toBe(Buffer.from('prefix').toString('hex') + expected + expected);
    }
  });

  it('encodes a slice of a column and decodes at an offset', () => {
    const column = columnOf('int32', ['1', '2', '3', '4', '5']);
    const hex = encodeHex(codecOf('int32'), column.subarray(1, 4), 3);
    const page = Buffer.concat([Buffer.from([9, 9]), bytesOf(hex), Buffer.from([9])]);
    const decoded = codecs.int32!.decode(page, 2, page.length - 1);
    expect(Array.from(decoded)).toEqual([2, 3, 4]);
  });
});

describe('GORILLA round trips', () => {
  for (const kind of KINDS) {
    it(`${kind}: any values, bit for bit, with the value count`, () => {
      fc.assert(
        fc.property(fc.oneof(arbitraryColumn(kind), arbitraryWalk(kind)), (column) => {
          const bytes = bytesOf(encodeHex(codecOf(kind), column, column.length));
          const decoded = codecOf(kind).decode(bytes, 0, bytes.length, column.length);
          expect(patternsOf(kind, decoded)).toEqual(patternsOf(kind, column));
        }),
        { numRuns: 300 },
      );
    });

    it(`${kind}: without the count when the last value is not the end marker`, () => {
      fc.assert(
        fc.property(arbitraryColumn(kind), (column) => {
          const patterns = patternsOf(kind, column);
          fc.pre(column.length === 1 || patterns[patterns.length - 1] !== END_MARKER[kind]);
          const bytes = bytesOf(encodeHex(codecOf(kind), column, column.length));
          expect(patternsOf(kind, codecOf(kind).decode(bytes, 0, bytes.length))).toEqual(patterns);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('GORILLA corrupt input', () => {
  it('rejects every truncation of a page that is not itself a whole page', () => {
    for (const c of GORILLA_CASES) {
      const bytes = bytesOf(c.hex);
      for (let cut = 0; cut < bytes.length; cut++) {
        const label = `${c.kind}: ${c.name} cut at ${cut}`;
        try {
          const decoded = codecOf(c.kind).decode(bytes, 0, cut);
          // A cut can land exactly on a shorter page: [1.5, NaN] begins with the page of [1.5].
          expect(encodeHex(codecOf(c.kind), decoded, decoded.length), label).toBe(c.hex.slice(0, 2 * cut));
        } catch (e) {
          expect(e, label).toBeInstanceOf(CorruptDataError);
        }
      }
    }
  });

  it('asks for more values than a page holds', () => {
    const c = GORILLA_CASES.find((g) => g.kind === 'double' && g.name === 'random walk')!;
    const bytes = bytesOf(c.hex);
    expect(() => codecOf('double').decode(bytes, 0, bytes.length, 1000)).toThrow(CorruptDataError);
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

describe('GORILLA_V1', () => {
  const v1Of = (kind: NumericKind): AnyCodec => v1Codecs[kind] as unknown as AnyCodec;

  for (const c of GORILLA_V1_CASES) {
    it(`${c.kind}: ${c.name}`, () => checkGolden(v1Of(c.kind), c));
  }

  it('reads a page of NaNs as one NaN without the count, all of them with it', () => {
    const bytes = bytesOf('0000c07f00'); // the reference's page for three NaNs
    expect(encodeHex(v1Of('float'), columnOf('float', ['7fc00000', '7fc00000', '7fc00000']), 3)).toBe('0000c07f00');
    expect(patternsOf('float', v1Of('float').decode(bytes, 0, bytes.length))).toEqual(['7fc00000']);
    expect(patternsOf('float', v1Of('float').decode(bytes, 0, bytes.length, 3))).toEqual(Array(3).fill('7fc00000'));
  });

  it('offers float and double only, as the reference does', () => {
    expect(Object.keys(v1Codecs).sort()).toEqual(['double', 'float']);
  });

  for (const kind of ['float', 'double'] as const) {
    it(`${kind}: round trips values without NaN`, () => {
      fc.assert(
        fc.property(fc.oneof(arbitraryColumn(kind), arbitraryWalk(kind)), (column) => {
          const patterns = patternsOf(kind, column);
          fc.pre(column.every((v) => !Number.isNaN(v)));
          const bytes = bytesOf(encodeHex(v1Of(kind), column, column.length));
          expect(patternsOf(kind, v1Of(kind).decode(bytes, 0, bytes.length, column.length))).toEqual(patterns);
          expect(patternsOf(kind, v1Of(kind).decode(bytes, 0, bytes.length))).toEqual(patterns);
        }),
        { numRuns: 200 },
      );
    });

    it(`${kind}: garbage ends in an error or values, never a hang`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (garbage) => {
          expectCleanFailure(() => v1Of(kind).decode(garbage, 0, garbage.length));
          expectCleanFailure(() => v1Of(kind).decode(garbage, 0, garbage.length, 50));
        }),
        { numRuns: 300 },
      );
    });
  }
});
