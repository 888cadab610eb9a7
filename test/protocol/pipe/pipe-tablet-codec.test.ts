import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../../protocol/payload-error.js';
import {
  decodePipeTransferReq,
  encodeDeleteData,
  encodeHandshakeV2,
  encodeTabletBatch,
  encodeTabletRaw,
  encodeTsFilePiece,
  encodeTsFileSeal,
  encodeTsFileSealWithMod,
  PipeTypeError,
  PipeVersionError,
} from '../../../protocol/pipe/pipe-requests.js';
import type { ColumnValues } from '../../../tsfile/data-type.js';
import { DataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { hex, utf8 } from '../hex.js';

const ALL_TYPES = [
  DataType.BOOLEAN,
  DataType.INT32,
  DataType.INT64,
  DataType.FLOAT,
  DataType.DOUBLE,
  DataType.TEXT,
  DataType.TIMESTAMP,
  DataType.DATE,
  DataType.BLOB,
  DataType.STRING,
];

function allTypes(aligned: boolean): Tablet {
  return {
    device: 'root.sg.`a.b`',
    measurements: ['b', 'i', 'l', 'f', 'd', 't', 'ts', 'date', 'blob', 'str'],
    dataTypes: ALL_TYPES,
    times: BigInt64Array.of(-5n, 9007199254740993n, 3n),
    columns: [
      Uint8Array.of(1, 0, 1),
      Int32Array.of(-1, 2, 2 ** 31 - 1),
      BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 0n),
      Float32Array.of(1.5, -0, Number.NaN),
      Float64Array.of(Math.PI, Number.NEGATIVE_INFINITY, 0),
      [utf8('x'), utf8(''), utf8('é')],
      BigInt64Array.of(1n, -2n, 1700000000000n),
      Int32Array.of(20240101, 20240229, 99991231),
      [Uint8Array.of(0, 255), Uint8Array.of(), Uint8Array.of(1)],
      [utf8('s'), utf8('t'), utf8('中文')],
    ],
    nulls: [null, Uint8Array.of(0, 0, 1), null, Uint8Array.of(1, 0, 0), null, null, null, null, null, null],
    rowCount: 3,
    aligned,
  };
}

function roundTrip(tablet: Tablet): Tablet {
  const decoded = decodePipeTransferReq(encodeTabletRaw(tablet));
  if (decoded.kind !== 'tablet-raw') throw new Error(`decoded as ${decoded.kind}`);
  return decoded.tablet;
}

describe('pipe tablet codec: round trips', () => {
  for (const aligned of [false, true]) {
    it(`keeps every data type and null, ${aligned ? 'aligned' : 'not aligned'}`, () => {
      const tablet = allTypes(aligned);
      const back = roundTrip(tablet);
      expect(back).toEqual({
        ...tablet,
        // Null slots are not kept: a null INT32 reads as written (its slot value).
        columns: tablet.columns,
      });
      expect(Object.is((back.columns[3] as Float32Array)[1], -0)).toBe(true);
    });
  }

  it('writes a null in every type as a null and nothing else', () => {
    const n = 9; // more than one bitmap byte
    const tablet: Tablet = {
      device: 'root.sg.d',
      measurements: ALL_TYPES.map((t) => `m${t}`),
      dataTypes: ALL_TYPES,
      times: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)),
      columns: ALL_TYPES.map((t) => column(t, n)),
      nulls: ALL_TYPES.map((_, j) => Uint8Array.from({ length: n }, (_, i) => ((i + j) % 3 === 0 ? 1 : 0))),
      rowCount: n,
      aligned: true,
    };
    const back = roundTrip(tablet);
    expect(back.nulls).toEqual(tablet.nulls);
    for (let j = 0; j < ALL_TYPES.length; j++) {
      for (let i = 0; i < n; i++) {
        if (tablet.nulls[j]![i] === 1) continue;
        expect(back.columns[j]![i]).toEqual(tablet.columns[j]![i]);
      }
    }
  });

  it('keeps random tablets of every type', () => {
    const typeArb = fc.constantFrom(...ALL_TYPES);
    fc.assert(
      fc.property(
        fc.array(typeArb, { minLength: 0, maxLength: 5 }),
        fc.nat({ max: 20 }),
        fc.boolean(),
        (types, n, aligned) => {
          const tablet: Tablet = {
            device: 'root.x',
            measurements: types.map((_, j) => `s${j}`),
            dataTypes: types,
            times: BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 1000)),
            columns: types.map((t) => column(t, n)),
            nulls: types.map((_, j) => (j % 2 === 0 ? null : Uint8Array.from({ length: n }, (_, i) => i & 1))),
            rowCount: n,
            aligned,
          };
          const back = roundTrip(tablet);
          expect(back.aligned).toBe(aligned);
          expect(back.times).toEqual(tablet.times);
          expect(back.nulls).toEqual(tablet.nulls.map((m) => (m?.includes(1) ? m : null)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('encodes only rows [0, rowCount) of longer columns', () => {
    const tablet: Tablet = {
      device: 'root.d',
      measurements: ['v'],
      dataTypes: [DataType.INT64],
      times: BigInt64Array.of(1n, 2n, 3n),
      columns: [BigInt64Array.of(10n, 20n, 30n)],
      nulls: [Uint8Array.of(0, 0, 1)],
      rowCount: 2,
      aligned: false,
    };
    const back = roundTrip(tablet);
    expect(back.rowCount).toBe(2);
    expect(back.times).toEqual(BigInt64Array.of(1n, 2n));
    expect(back.columns).toEqual([BigInt64Array.of(10n, 20n)]);
    expect(back.nulls).toEqual([null]);
  });
});

function column(type: DataType, n: number): ColumnValues {
  const rows = Array.from({ length: n }, (_, i) => i);
  switch (type) {
    case DataType.BOOLEAN:
      return Uint8Array.from(rows, (i) => i & 1);
    case DataType.INT32:
      return Int32Array.from(rows, (i) => i * -7);
    case DataType.DATE:
      return Int32Array.from(rows, (i) => 20240101 + i);
    case DataType.INT64:
    case DataType.TIMESTAMP:
      return BigInt64Array.from(rows, (i) => BigInt(i) * 10n ** 15n);
    case DataType.FLOAT:
      return Float32Array.from(rows, (i) => i / 4);
    case DataType.DOUBLE:
      return Float64Array.from(rows, (i) => i / 3);
    default:
      return rows.map((i) => utf8(`v${i}`));
  }
}

// ---------------------------------------------------------------- corrupt inputs

function raw(body: Buffer, type = 3) {
  return { version: 1, type, body };
}

describe('pipe requests: corrupt inputs', () => {
  it('refuses other versions with 1800 and unknown types with 1801', () => {
    const version = () => decodePipeTransferReq({ version: 2, type: 1, body: hex('00000000') });
    expect(version).toThrow(PipeVersionError);
    expect(version).toThrow(expect.objectContaining({ statusCode: 1800 }));
    const type = () => decodePipeTransferReq({ version: 1, type: 42, body: Buffer.alloc(0) });
    expect(type).toThrow(PipeTypeError);
    expect(type).toThrow(expect.objectContaining({ statusCode: 1801, message: 'pipe request type 42 is unknown' }));
  });

  const requests = {
    'tablet raw': encodeTabletRaw(allTypes(true)),
    'tablet batch': encodeTabletBatch([allTypes(false)]),
    'delete data': encodeDeleteData(['root.sg.`a.b`.s', 'root.**'], -1n, 1n),
    'handshake v2': encodeHandshakeV2({ timestampPrecision: 'ms' }),
    'file piece': encodeTsFilePiece('f', 3, Uint8Array.of(1, 2, 3)),
    'file seal': encodeTsFileSeal('f', 3),
    'seal with mod': encodeTsFileSealWithMod([{ fileName: 'f', fileLength: 3 }], new Map([['k', 'v']])),
  };

  for (const [name, req] of Object.entries(requests)) {
    it(`${name}: every truncation and any trailing byte is a PayloadError (303)`, () => {
      for (let n = 0; n < req.body.length; n++) {
        const cut = () => decodePipeTransferReq({ ...req, body: req.body.subarray(0, n) });
        expect(cut, `cut at ${n}`).toThrow(PayloadError);
        expect(cut).toThrow(expect.objectContaining({ statusCode: 303 }));
      }
      expect(() => decodePipeTransferReq({ ...req, body: Buffer.concat([req.body, hex('00')]) })).toThrow(
        '1 bytes after the body',
      );
    });
  }

  it('every single-byte change to a tablet either decodes or raises a PayloadError', () => {
    const body = encodeTabletRaw(allTypes(true)).body;
    for (let i = 0; i < body.length; i++) {
      for (const b of [0x00, 0x02, 0x7f, 0xff]) {
        const bad = Buffer.from(body);
        bad[i] = b;
        try {
          decodePipeTransferReq(raw(bad));
        } catch (error) {
          expect(error).toBeInstanceOf(PayloadError);
        }
      }
    }
  });

  it('names what is wrong', () => {
    const head = '00000001 64 00000001 01 00000001 01 00000001 73'; // device "d", 1 row, 1 schema "s"
    expect(() => decodePipeTransferReq(raw(hex(`${head} 06 00 00 00000000`)))).toThrow(
      'tablet of d: column s has unknown data type code 6',
    );
    expect(() => decodePipeTransferReq(raw(hex('00000001 64 7fffffff')))).toThrow(
      'tablet of d: row count 2147483647 cannot fit',
    );
    expect(() => decodePipeTransferReq(raw(hex(`00000001 64 00000001 01 7fffffff ${'00'.repeat(16)}`)))).toThrow(
      'tablet of d: schema count: count 2147483647',
    );
    expect(() => decodePipeTransferReq(raw(hex('ffffffff')))).toThrow('tablet device: length -1');
    const tail = `${head} 01 00 00 00000000 01 0000000000000001`;
    expect(() => decodePipeTransferReq(raw(hex(`${tail} 00 01 01 00000005`)))).toThrow(
      'pipe request TRANSFER_TABLET_RAW (3): tablet of d: isAligned: flag byte missing',
    );
    expect(() => decodePipeTransferReq(raw(hex(`${tail} 01 01 00000001 00000000 01 01 00000005 00`)))).toThrow(
      'bitmap of s has 0 bytes (bit count 1) for 1 rows',
    );
    expect(() => decodePipeTransferReq(raw(hex(`${tail} 02`)))).toThrow('bitmap list: flag byte 2');
    expect(() => decodePipeTransferReq(raw(hex(`${tail} 00 00`)))).toThrow('tablet of d: has no value columns');
    expect(() => decodePipeTransferReq(raw(hex(`00000001 64 00000001 01 00000001 00 ${'00'.repeat(16)}`)))).toThrow(
      'tablet of d: column 0 has no schema',
    );
    expect(() => decodePipeTransferReq(raw(hex(`00000001 00000001 66 00000002 ${'00'.repeat(20)}`), 9))).toThrow(
      '1 file names but 2 file lengths',
    );
  });

  it('a column sent as absent has no value in any row', () => {
    const body = hex(`
      00000001 64 00000002 01 00000001 01 00000001 73 05 00 00 00000000
      01 0000000000000001 0000000000000002
      00
      01 00
      00
    `);
    const decoded = decodePipeTransferReq(raw(body));
    expect(decoded).toMatchObject({ kind: 'tablet-raw', tablet: { nulls: [Uint8Array.of(1, 1)] } });
  });
});
