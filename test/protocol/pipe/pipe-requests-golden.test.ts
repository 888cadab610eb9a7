import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../../protocol/payload-error.js';
import {
  decodeFilePieceResp,
  decodePipeTransferReq,
  encodeFilePieceResp,
  encodeHandshakeV1,
  encodeTabletRaw,
  encodeTsFilePiece,
  encodeTsFileSeal,
  PipeRequestType,
} from '../../../protocol/pipe/pipe-requests.js';
import { DataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { hex } from '../hex.js';

const TABLET: Tablet = {
  device: 'root.sg.d',
  measurements: ['s'],
  dataTypes: [DataType.INT32],
  times: BigInt64Array.of(1n, 2n),
  columns: [Int32Array.of(7, 0)],
  nulls: [Uint8Array.of(0, 1)],
  rowCount: 2,
  aligned: false,
};

describe('pipe transfer requests (IoTDB 1.3 layouts)', () => {
  it('handshake v1: the timestamp precision as a string', () => {
    const req = encodeHandshakeV1('ms');
    expect(req).toMatchObject({ version: 1, type: PipeRequestType.HANDSHAKE_DATANODE_V1 });
    expect(req.body.toString('hex')).toBe(hex('00000002 6d73').toString('hex'));
    expect(decodePipeTransferReq(req)).toEqual({ kind: 'handshake-v1', timestampPrecision: 'ms' });
  });

  it('tablet raw: the serialized tsfile Tablet, then isAligned', () => {
    const req = encodeTabletRaw(TABLET);
    expect(req.type).toBe(3);
    expect(req.body.toString('hex')).toBe(
      hex(`
        00000009 726f6f742e73672e64      # device "root.sg.d"
        00000002                         # rowSize
        01 00000001                      # schemas present, 1 column
        01 00000001 73 01 00 00 00000000 # schema: "s", INT32, PLAIN, UNCOMPRESSED, no props
        01 0000000000000001 0000000000000002  # timestamps
        01                               # bitmaps present
        01 00000002 00000001 02          # column 0: 2 bits, 1 byte, row 1 null
        01                               # values present
        01 00000007 00000000             # column 0 (the null row keeps a slot)
        00                               # not aligned
      `).toString('hex'),
    );
    const decoded = decodePipeTransferReq(req);
    expect(decoded).toEqual({ kind: 'tablet-raw', tablet: TABLET });
  });

  it('tablet raw round-trips every data type, aligned, with nulls', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    const tablet: Tablet = {
      device: 'root.sg.`a.b`',
      measurements: ['b', 'i', 'l', 'f', 'd', 't', 'ts', 'date', 'blob', 'str'],
      dataTypes: [
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
      ],
      times: BigInt64Array.of(-5n, 9007199254740993n, 3n),
      columns: [
        Uint8Array.of(1, 0, 1),
        Int32Array.of(-1, 2, 3),
        BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 0n),
        Float32Array.of(1.5, -0, Number.NaN),
        Float64Array.of(Math.PI, Number.NEGATIVE_INFINITY, 0),
        [text('x'), text(''), text('é')],
        BigInt64Array.of(1n, 2n, 3n),
        Int32Array.of(20240101, 20240229, 19700101),
        [Uint8Array.of(0, 255), Uint8Array.of(), Uint8Array.of(1)],
        [text('s'), text('t'), text('u')],
      ],
      nulls: [null, Uint8Array.of(0, 0, 1), null, null, null, null, null, null, null, null],
      rowCount: 3,
      aligned: true,
    };
    const decoded = decodePipeTransferReq(encodeTabletRaw(tablet));
    expect(decoded.kind).toBe('tablet-raw');
    const back = (decoded as { tablet: Tablet }).tablet;
    expect(back.device).toBe(tablet.device);
    expect(back.aligned).toBe(true);
    expect(back.dataTypes).toEqual(tablet.dataTypes);
    expect(back.times).toEqual(tablet.times);
    expect(back.nulls).toEqual(tablet.nulls);
    expect(back.columns.map((c, j) => (j === 1 ? Array.from(c as Int32Array).slice(0, 2) : c))).toEqual(
      tablet.columns.map((c, j) => (j === 1 ? [-1, 2] : c)),
    );
  });

  it('TsFile piece and seal, and the piece answer with the end offset', () => {
    const piece = encodeTsFilePiece('f', 5, Buffer.from('ab'));
    expect(piece.type).toBe(4);
    expect(piece.body.toString('hex')).toBe(hex('00000001 66 0000000000000005 00000002 6162').toString('hex'));
    expect(decodePipeTransferReq(piece)).toEqual({
      kind: 'tsfile-piece',
      fileName: 'f',
      startWritingOffset: 5n,
      bytes: Buffer.from('ab'),
    });
    const seal = encodeTsFileSeal('f', 10);
    expect(seal.type).toBe(5);
    expect(seal.body.toString('hex')).toBe(hex('00000001 66 000000000000000a').toString('hex'));
    expect(decodePipeTransferReq(seal)).toEqual({ kind: 'tsfile-seal', fileName: 'f', fileLength: 10n });
    const resp = encodeFilePieceResp({ code: 1803, message: 'reset' }, 12n);
    expect(resp.body!.toString('hex')).toBe('000000000000000c');
    expect(decodeFilePieceResp(resp).endWritingOffset).toBe(12n);
  });

  it('refuses other versions and unknown types with IoTDB pipe codes, and bodies that lie', () => {
    expect(() => decodePipeTransferReq({ version: 2, type: 1, body: Buffer.alloc(0) })).toThrow(
      expect.objectContaining({ statusCode: 1800 }),
    );
    expect(() => decodePipeTransferReq({ version: 1, type: 42, body: Buffer.alloc(0) })).toThrow(
      expect.objectContaining({ statusCode: 1801 }),
    );
    const body = encodeTabletRaw(TABLET).body;
    for (let n = 0; n < body.length; n++) {
      expect(() => decodePipeTransferReq({ version: 1, type: 3, body: body.subarray(0, n) })).toThrow(PayloadError);
    }
    expect(() => decodePipeTransferReq({ version: 1, type: 3, body: Buffer.concat([body, Buffer.of(0)]) })).toThrow(
      'bytes after the body',
    );
  });
});
