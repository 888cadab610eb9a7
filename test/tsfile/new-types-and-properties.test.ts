import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Compression } from '../../tsfile/compression-type.js';
import { type ColumnValues, DataType, type DataTypeName } from '../../tsfile/data-type.js';
import { Encoding, type EncodingName } from '../../tsfile/encoding-type.js';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import { dumpPoints } from '../../tsfile/tools/dump.js';
import { MemoryOutput } from '../../tsfile/write/file-output.js';
import { TsFileWriter } from '../../tsfile/write/tsfile-writer.js';

function writeColumn(
  dataType: DataType,
  encoding: Encoding,
  compression: Compression,
  times: BigInt64Array,
  values: ColumnValues,
  options = {},
): Buffer {
  const out = new MemoryOutput();
  const w = new TsFileWriter(out, options);
  w.registerDevice({
    device: 'root.p.d',
    aligned: false,
    measurements: [{ name: 's', dataType, encoding, compression }],
  });
  w.write({
    device: 'root.p.d',
    measurements: ['s'],
    dataTypes: [dataType],
    times,
    columns: [values],
    nulls: [null],
    rowCount: times.length,
    aligned: false,
  });
  w.close();
  return out.toBuffer();
}

function readColumn(bytes: Buffer): { times: bigint[]; values: unknown[] } {
  const times: bigint[] = [];
  const values: unknown[] = [];
  for (const b of TsFileReader.fromBuffer(bytes).readSeries('root.p.d', 's')) {
    for (let i = 0; i < b.length; i++) {
      times.push(b.times[i]!);
      values.push((b.values as ArrayLike<unknown>)[i]);
    }
  }
  return { times, values };
}

describe("IoTDB 1.3's STRING, BLOB, DATE and TIMESTAMP types", () => {
  it('write, read back, and print as the dump format says', () => {
    const times = BigInt64Array.of(1n, 2n, 3n);
    const cases: [DataType, Encoding, ColumnValues, string[]][] = [
      [DataType.STRING, Encoding.PLAIN, ['b', 'a,b', 'c'].map((s) => Buffer.from(s)), ['b', '"a,b"', 'c']],
      [
        DataType.BLOB,
        Encoding.PLAIN,
        [Buffer.from([0, 255]), Buffer.from([]), Buffer.from('A')],
        ['0x00ff', '0x', '0x41'],
      ],
      [
        DataType.DATE,
        Encoding.TS_2DIFF,
        Int32Array.of(20240101, 20240102, 20991231),
        ['20240101', '20240102', '20991231'],
      ],
      [DataType.TIMESTAMP, Encoding.TS_2DIFF, BigInt64Array.of(-5n, 0n, 1700000000000n), ['-5', '0', '1700000000000']],
    ];
    for (const [type, encoding, values, printed] of cases) {
      const bytes = writeColumn(type, encoding, Compression.LZ4, times, values);
      const reader = TsFileReader.fromBuffer(bytes);
      expect(reader.timeseries('root.p.d')[0]!.dataType).toBe(type);
      const lines: string[] = [];
      dumpPoints(reader, (t) => lines.push(t));
      expect(lines.join('').trimEnd().split('\n')).toEqual(printed.map((v, i) => `root.p.d,s,${i + 1},${v}`));
    }
    const strings = TsFileReader.fromBuffer(
      writeColumn(
        DataType.STRING,
        Encoding.PLAIN,
        Compression.LZ4,
        times,
        ['b', 'a', 'c'].map((s) => Buffer.from(s)),
      ),
    );
    const stats = strings.timeseries('root.p.d')[0]!.statistics;
    expect([stats.minValue, stats.maxValue].map((v) => Buffer.from(v as Uint8Array).toString())).toEqual(['a', 'c']);
  });
});

/** Encodings that return exactly what was written, per type. */
const LOSSLESS: [DataTypeName, EncodingName[]][] = [
  ['BOOLEAN', ['PLAIN', 'RLE']],
  ['INT32', ['PLAIN', 'RLE', 'TS_2DIFF', 'GORILLA', 'ZIGZAG', 'CHIMP']],
  ['INT64', ['PLAIN', 'RLE', 'TS_2DIFF', 'GORILLA', 'ZIGZAG', 'CHIMP']],
  ['FLOAT', ['PLAIN', 'GORILLA', 'CHIMP']],
  ['DOUBLE', ['PLAIN', 'GORILLA', 'CHIMP']],
  ['TEXT', ['PLAIN', 'DICTIONARY']],
];
const COMPRESSIONS = [
  Compression.UNCOMPRESSED,
  Compression.SNAPPY,
  Compression.LZ4,
  Compression.GZIP,
  Compression.ZSTD,
  Compression.LZMA2,
];

function valuesArb(type: DataTypeName): fc.Arbitrary<unknown[]> {
  const len = { minLength: 1, maxLength: 300 };
  switch (type) {
    case 'BOOLEAN':
      return fc.array(fc.boolean(), len);
    case 'INT32':
      return fc.array(fc.oneof(fc.integer(), fc.constantFrom(-2147483648, 2147483647, 0)), len);
    case 'INT64':
      return fc.array(
        fc.oneof(
          fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 0n),
          fc.bigInt({ min: -100n, max: 100n }),
        ),
        len,
      );
    case 'FLOAT':
      return fc.array(fc.float({ noNaN: true }), len);
    case 'DOUBLE':
      return fc.array(
        fc.oneof(
          fc.double({ noNaN: true }),
          fc.constantFrom(0, -0, Number.MIN_VALUE, Number.MAX_VALUE, Number.POSITIVE_INFINITY),
        ),
        len,
      );
    default:
      return fc.array(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 20 }),
          fc.constant(''),
          fc.string({ minLength: 200, maxLength: 400 }),
        ),
        len,
      );
  }
}

function toColumn(type: DataTypeName, values: unknown[]): ColumnValues {
  switch (type) {
    case 'BOOLEAN':
      return Uint8Array.from(values as boolean[], (b) => (b ? 1 : 0));
    case 'INT32':
      return Int32Array.from(values as number[]);
    case 'INT64':
      return BigInt64Array.from(values as bigint[]);
    case 'FLOAT':
      return Float32Array.from(values as number[]);
    case 'DOUBLE':
      return Float64Array.from(values as number[]);
    default:
      return (values as string[]).map((s) => Buffer.from(s, 'utf8'));
  }
}

describe('random series survive write -> read for every lossless encoding', () => {
  for (const [type, encodings] of LOSSLESS) {
    for (const encoding of encodings) {
      it(`${type} ${encoding}`, () => {
        fc.assert(
          fc.property(
            valuesArb(type),
            fc.nat(COMPRESSIONS.length - 1),
            fc.integer({ min: 1, max: 50 }),
            (values, c, pointsPerPage) => {
              const times = BigInt64Array.from(values, (_, i) => BigInt(1000 + i * 7));
              const column = toColumn(type, values);
              const bytes = writeColumn(DataType[type], Encoding[encoding], COMPRESSIONS[c]!, times, column, {
                maxPointsInPage: pointsPerPage,
              });
              const back = readColumn(bytes);
              expect(back.times).toEqual([...times]);
              const expected = Array.isArray(column)
                ? column.map((b) => Buffer.from(b).toString('utf8'))
                : Array.from(column as ArrayLike<unknown>);
              const got =
                type === 'TEXT' ? back.values.map((b) => Buffer.from(b as Uint8Array).toString('utf8')) : back.values;
              expect(got.map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(
                expected.map((v) => (Object.is(v, -0) ? '-0' : v)),
              );
            },
          ),
          { numRuns: 60, seed: 1234 },
        );
      });
    }
  }
});
