import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chimpCodecs } from '../../../tsfile/encoding/chimp.js';
import { DEFAULT_ENCODING_OPTIONS } from '../../../tsfile/encoding/value-codec.js';
import { CorruptDataError } from '../../../tsfile/io/byte-reader.js';
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

// Pages written by the reference encoders (Apache TsFile 1.0.0) for these values.
const CHIMP_CASES: GoldenCase[] = [
  { kind: 'int32', name: 'one value', values: ['42'], hex: '0000002ac400000150' },
  {
    kind: 'int32',
    name: 'repeated',
    values: ['7', '7', '7', '7', '7', '7', '7', '7', '7', '7'],
    hex: '00000007000102030405060708c400000038',
  },
  {
    kind: 'int32',
    name: 'extremes',
    values: ['-2147483648', '2147483647', '0', '-1', '1', '2147483647', '-2147483648', '42', '42', '42', '7', '8', '9'],
    hex: '80000000c7fffffffa000d04078fffffffe4301a100f1000000540e11f2d83e01060',
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
    hex: '000003eaf9ac5405f0b83614816380100f8ec17d7e9f8c4291946f1c46988000041000',
  },
  { kind: 'int32', name: 'ends with the end marker', values: ['5', '-2147483648'], hex: '00000005c40000002808' },
  { kind: 'int32', name: 'one end marker', values: ['-2147483648'], hex: '800000000000' },
  { kind: 'int64', name: 'one value', values: ['42'], hex: '000000000000002ac40000000000000150' },
  {
    kind: 'int64',
    name: 'repeated',
    values: ['-7', '-7', '-7', '-7', '-7', '-7', '-7', '-7', '-7', '-7'],
    hex: 'fffffffffffffff9000040403020140c070461ffffffffffffffe4',
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
    hex: '8000000000000000c7fffffffffffffffa0003408078fffffffffffffffe418068200f1000000000000005407f8000000016c000000001f0000000000818',
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
    hex: '0000018bcfe56800f80000001f4400000008710000000e34400000008310000000614400000009f30000007e14400000008310000000634400000008770000000ef5c00000008330000000615400000008f50000001e14c00000008370000000675400000008750000000e35620000062f3f96c8e0',
  },
  {
    kind: 'int64',
    name: 'ends with the end marker',
    values: ['5', '-9223372036854775808'],
    hex: '0000000000000005c4000000000000002804',
  },
  { kind: 'float', name: 'one value', values: ['3fc00000'], hex: '3fc00000400240' },
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
    hex: '40200000000102030405060708490b3fe0',
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
    hex: '7fc000004022504068412ff4301fc072fffffc8c10fe8e0344093fa485bfd0acb487eda5859ff0',
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
    hex: '41a40000d26666edbc6b424d9111585ef7ac34c872f193a42221d454275b23d88287d0d0ee87fffa6f5bd4742d310de8a3c893c9c6e4775bd10038f990',
  },
  { kind: 'float', name: 'ends with NaN', values: ['3fc00000', '7fc00000'], hex: '3fc0000040024040' },
  { kind: 'double', name: 'one value', values: ['3ff8000000000000'], hex: '3ff8000000000000400090' },
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
    hex: '4004000000000000000040403020140c07042241c7ff80',
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
    hex: '7ff8000000000000402068100d040c7ff41807f0000000001d7ffffffffffff21816ffd0e01a10187fe89073ffa0ad690fdaa22168c22c1c7ff8',
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
    hex: '40591355f83d80004047f9c0d8d7a06408237201a8270b97f3a58506e2671b96b7d08e16fec488aa1640b366d80286aeb86afaad0f20e563b16144387bc5c2b7e89707a68f62ea29bded70f38a2e413c5412968cade0ab69746c6907055b47389eaa376e747b85eec6848e9071367f34e029170b3518175d251f7eb7d9fa93191fd0d54de11620',
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
    hex: '40590b851eb851ec40409e3bc6f1bc6f15d721c8721c8740c0901687db16c5b16c5fbba6e9ba6e99a1fc9b26c9b26f8796459164591bb16c5b16c5b28a438fd0f96c5b16c5b180f8dbd6f5bd6f5dc8721c8721cd0721c8721cb82c1a9281383fa11147ae147ae100',
  },
  {
    kind: 'double',
    name: 'ends with NaN',
    values: ['3ff8000000000000', '7ff8000000000000'],
    hex: '3ff800000000000040009008',
  },
];

const codecs = chimpCodecs(DEFAULT_ENCODING_OPTIONS);
const KINDS: NumericKind[] = ['int32', 'int64', 'float', 'double'];
const codecOf = (kind: NumericKind): AnyCodec => codecs[kind] as unknown as AnyCodec;

const END_MARKER: Record<NumericKind, string> = {
  int32: '-2147483648',
  int64: '-9223372036854775808',
  float: '7fc00000',
  double: '7ff8000000000000',
};

describe('CHIMP golden pages', () => {
  for (const c of CHIMP_CASES) {
    it(`${c.kind}: ${c.name}`, () => checkGolden(codecOf(c.kind), c));
  }

  it('reads a page without its value count up to the closing end marker', () => {
    for (const c of CHIMP_CASES) {
      const bytes = bytesOf(c.hex);
      const decoded = patternsOf(c.kind, codecOf(c.kind).decode(bytes, 0, bytes.length));
      let values = [...c.values];
      while (decoded.length < values.length && values[values.length - 1] === END_MARKER[c.kind]) {
        values = values.slice(0, -1);
      }
      expect(decoded, `${c.kind}: ${c.name}`).toEqual(values);
    }
  });

  it('refers back to an earlier value with the same low bits', () => {
    // The third value repeats the first (same low 14 bits, not the previous value's), so
    // it is stored as "equal to ring entry 0": nine zero bits (00 and index 0). Reference bytes.
    const values = ['3ff0000000000001', '4000000000000000', '3ff0000000000001'];
    const hex = encodeHex(codecOf('double'), columnOf('double', values), 3);
    expect(hex).toBe('3ff0000000000001c3ff8000000000000801020d3ff8');
    const bytes = bytesOf(hex);
    expect(patternsOf('double', codecs.double!.decode(bytes, 0, bytes.length))).toEqual(values);
  });
});

describe('CHIMP round trips', () => {
  for (const kind of KINDS) {
    it(`${kind}: any values, bit for bit`, () => {
      fc.assert(
        fc.property(fc.oneof(arbitraryColumn(kind), arbitraryWalk(kind)), (column) => {
          const patterns = patternsOf(kind, column);
          const bytes = bytesOf(encodeHex(codecOf(kind), column, column.length));
          expect(patternsOf(kind, codecOf(kind).decode(bytes, 0, bytes.length, column.length))).toEqual(patterns);
          if (column.length === 1 || patterns[patterns.length - 1] !== END_MARKER[kind]) {
            expect(patternsOf(kind, codecOf(kind).decode(bytes, 0, bytes.length))).toEqual(patterns);
          }
        }),
        { numRuns: 300 },
      );
    });

    it(`${kind}: long pages that wrap the ring of earlier values`, () => {
      fc.assert(
        fc.property(arbitraryWalk(kind, 2000), (column) => {
          const bytes = bytesOf(encodeHex(codecOf(kind), column, column.length));
          const decoded = codecOf(kind).decode(bytes, 0, bytes.length, column.length);
          expect(patternsOf(kind, decoded)).toEqual(patternsOf(kind, column));
        }),
        { numRuns: 20 },
      );
    });
  }
});

describe('CHIMP corrupt input', () => {
  it('rejects every truncation of a page that is not itself a whole page', () => {
    for (const c of CHIMP_CASES) {
      const bytes = bytesOf(c.hex);
      for (let cut = 0; cut < bytes.length; cut++) {
        const label = `${c.kind}: ${c.name} cut at ${cut}`;
        try {
          const decoded = codecOf(c.kind).decode(bytes, 0, cut);
          expect(encodeHex(codecOf(c.kind), decoded, decoded.length), label).toBe(c.hex.slice(0, 2 * cut));
        } catch (e) {
          expect(e, label).toBeInstanceOf(CorruptDataError);
        }
      }
    }
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
