import { describe, expect, it } from 'vitest';
import {
  decodeFilePieceResp,
  decodePipeTransferReq,
  encodeFilePiece,
  encodeFilePieceResp,
  encodeHandshakeV1,
  encodeHandshakeV2,
  encodeSenderHandshake,
  encodeTabletBatch,
  encodeTabletRaw,
  encodeTsFilePiece,
  encodeTsFilePieceWithMod,
  encodeTsFileSeal,
  encodeTsFileSealWithMod,
  filePieceBodyBytes,
  PipeRequestType,
} from '../../../protocol/pipe/pipe-requests.js';
import { DataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { hex, utf8 } from '../hex.js';

// Bodies written out by hand from IoTDB 1.3's layouts (ReadWriteIOUtils: int32 big-endian
// lengths, big-endian numbers, booleans as one byte) and Apache TsFile 1.x Tablet.serialize.

const TABLET: Tablet = {
  device: 'root.sg.d',
  measurements: ['s', 't', 'dt'],
  dataTypes: [DataType.INT32, DataType.TEXT, DataType.DATE],
  times: BigInt64Array.of(1n, 2n),
  columns: [Int32Array.of(7, 0), [utf8('ab'), utf8('')], Int32Array.of(20240131, 0)],
  nulls: [Uint8Array.of(0, 1), Uint8Array.of(0, 1), Uint8Array.of(0, 1)],
  rowCount: 2,
  aligned: false,
};

const TABLET_BODY = hex(`
  00000009 726f6f742e73672e64            # device "root.sg.d"
  00000002                               # rowSize 2
  01 00000003                            # schemas present, 3 of them
  01 00000001 73   01 00 00 00000000     # "s"  INT32, encoding PLAIN, UNCOMPRESSED, no props
  01 00000001 74   05 00 00 00000000     # "t"  TEXT
  01 00000002 6474 09 00 00 00000000     # "dt" DATE
  01 0000000000000001 0000000000000002   # timestamps present: 1, 2
  01                                     # bitmaps present
  01 00000002 00000001 02                # s:  bit count 2, 1 byte, row 1 (mask 0x02) null
  01 00000002 00000001 02                # t
  01 00000002 00000001 02                # dt
  01                                     # values present
  01 00000007 00000000                   # s:  7, (null slot)
  01 01 00000002 6162   00               # t:  "ab", null row as an absent value
  01 0134d703 009896e5                   # dt: 20240131, null slot 10000101 (a valid date)
`);

describe('pipe transfer requests: golden bytes', () => {
  it('handshake v1 (type 1): the timestamp precision as a string', () => {
    const req = encodeHandshakeV1('ms');
    expect(req.version).toBe(1);
    expect(req.type).toBe(PipeRequestType.HANDSHAKE_DATANODE_V1);
    expect(req.body.toString('hex')).toBe(hex('00000002 6d73').toString('hex'));
    expect(decodePipeTransferReq(req)).toEqual({ kind: 'handshake-v1', timestampPrecision: 'ms' });
  });

  it('handshake v2 (type 51): a string map with the precision and the cluster id', () => {
    const req = encodeHandshakeV2({ timestampPrecision: 'us', clusterID: 'c1' });
    expect(req.type).toBe(51);
    expect(req.body.toString('hex')).toBe(
      hex(`
        00000002                                       # two entries
        00000012 74696d657374616d70507265636973696f6e  # "timestampPrecision"
        00000002 7573                                  # "us"
        00000009 636c75737465724944                    # "clusterID"
        00000002 6331                                  # "c1"
      `).toString('hex'),
    );
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'handshake-v2',
      timestampPrecision: 'us',
      clusterId: 'c1',
      params: new Map([
        ['timestampPrecision', 'us'],
        ['clusterID', 'c1'],
      ]),
    });
  });

  it('handshake v2 of an IoTDB 1.3.3+ sink: six entries in the iteration order of its Java HashMap', () => {
    // The sender fills a HashMap with clusterID, timestampPrecision, convertOnTypeMismatch,
    // loadTsFileStrategy, username, password; Java iterates it by bucket (16 buckets):
    // loadTsFileStrategy 1, password 2, timestampPrecision 8, convertOnTypeMismatch 8, clusterID 11, username 15.
    const req = encodeSenderHandshake({
      clusterId: 'site-a',
      timestampPrecision: 'ms',
      username: 'alice',
      password: 'pw-1',
    });
    expect(req.type).toBe(51);
    expect(req.body.toString('hex')).toBe(
      hex(`
        00000006                                               # six entries
        00000012 6c6f6164547346696c655374726174656779          # "loadTsFileStrategy"
        00000004 73796e63                                      # "sync"
        00000008 70617373776f7264                              # "password"
        00000004 70772d31                                      # "pw-1"
        00000012 74696d657374616d70507265636973696f6e          # "timestampPrecision"
        00000002 6d73                                          # "ms"
        00000015 636f6e766572744f6e547970654d69736d61746368    # "convertOnTypeMismatch"
        00000004 74727565                                      # "true"
        00000009 636c75737465724944                            # "clusterID"
        00000006 736974652d61                                  # "site-a"
        00000008 757365726e616d65                              # "username"
        00000005 616c696365                                    # "alice"
      `).toString('hex'),
    );
    const decoded = decodePipeTransferReq(req);
    expect(decoded.kind === 'handshake-v2' && decoded.params.get('username')).toBe('alice');
    expect(decoded.kind === 'handshake-v2' && decoded.params.get('password')).toBe('pw-1');
  });

  it('tablet raw (type 3): the serialized TsFile Tablet, then isAligned', () => {
    const req = encodeTabletRaw(TABLET);
    expect(req.type).toBe(3);
    expect(req.body.toString('hex')).toBe(Buffer.concat([TABLET_BODY, hex('00')]).toString('hex'));
    const decoded = decodePipeTransferReq(req);
    expect(decoded).toEqual({
      kind: 'tablet-raw',
      tablet: { ...TABLET, columns: [Int32Array.of(7, 0), [utf8('ab'), utf8('')], Int32Array.of(20240131, 10000101)] },
    });
  });

  it('tablet raw as a Java 1.3 sender writes it: bitmaps sized by capacity, schema properties', () => {
    // A Java Tablet of capacity 10 holding 2 rows: every bitmap has bit count 10 and
    // 10 / 8 + 1 = 2 bytes, even the one with no null; encoding and compression are the
    // series' own (GORILLA 8, SNAPPY 1) and a schema may carry properties.
    const body = hex(`
      00000004 726f6f74 00000002
      01 00000002
      01 00000001 61 04 08 01 00000001 00000001 6b 00000001 76   # "a" DOUBLE, props {k: v}
      01 00000001 62 00 00 00 00000000                            # "b" BOOLEAN
      01 8000000000000000 7fffffffffffffff                        # Long.MIN, Long.MAX
      01
      01 0000000a 00000002 0000                                   # a: no null, still flagged
      01 0000000a 00000002 0100                                   # b: row 0 null
      01
      01 3ff8000000000000 fff0000000000000                        # 1.5, -Infinity
      01 00 02                                                    # false, 2 (reads as false)
      01                                                          # aligned
    `);
    const decoded = decodePipeTransferReq({ version: 1, type: 3, body });
    expect(decoded).toEqual({
      kind: 'tablet-raw',
      tablet: {
        device: 'root',
        measurements: ['a', 'b'],
        dataTypes: [DataType.DOUBLE, DataType.BOOLEAN],
        times: BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n),
        columns: [Float64Array.of(1.5, Number.NEGATIVE_INFINITY), Uint8Array.of(0, 0)],
        nulls: [null, Uint8Array.of(1, 0)],
        rowCount: 2,
        aligned: true,
      },
    });
  });

  it('tablet batch (type 6): binary tablets, no insert nodes, then tablets with isAligned', () => {
    const walRow = hex(`
      04                                  # WAL entry type INSERT_ROW_NODE
      0000000000000000                    # memtable id
      000e                                # plan node type INSERT_ROW (14)
      0000000000000001                    # search index
      0000000000000005                    # time 5
      00000006 726f6f742e77               # device "root.w"
      00000001                            # one measurement
      00000001 73 01 00 00 00000000       # schema "s" INT32, PLAIN, UNCOMPRESSED, no props
      01 0000002a                         # INT32 42
      00                                  # not aligned
    `);
    const req = encodeTabletBatch([TABLET, { ...TABLET, aligned: true }], [walRow]);
    expect(req.type).toBe(6);
    expect(req.body.toString('hex')).toBe(
      Buffer.concat([
        hex('00000001'), // one binary tablet
        hex(walRow.length.toString(16).padStart(8, '0')),
        walRow,
        hex('00000000'), // no insert nodes
        hex('00000002'), // two tablets
        TABLET_BODY,
        hex('00'),
        TABLET_BODY,
        hex('01'),
      ]).toString('hex'),
    );
    const decoded = decodePipeTransferReq(req);
    expect(decoded.kind).toBe('tablet-batch');
    if (decoded.kind !== 'tablet-batch') return;
    // The binary tablet is a row insert, which IoTDB applies before the tablets.
    expect(decoded.tablets.map((t) => [t.device, t.rowCount, t.aligned])).toEqual([
      ['root.w', 1, false],
      ['root.sg.d', 2, false],
      ['root.sg.d', 2, true],
    ]);
    expect(decoded.tablets[0]!.columns).toEqual([Int32Array.of(42)]);
  });

  it('a tablet batch whose insert node is not one is refused, not misread', () => {
    expect(() =>
      decodePipeTransferReq({ version: 1, type: 6, body: hex('00000000 00000001 ff00 0000000000000000 00000000') }),
    ).toThrow(
      'pipe request TRANSFER_TABLET_BATCH (6): insert node 0: expected an insert node, got plan node type -256',
    );
  });

  it('TsFile piece (type 4) and piece with mod (type 8): name, start offset, bytes', () => {
    const piece = encodeTsFilePiece('1-1-0-0.tsfile', 2n ** 40n, Buffer.from('ab'));
    expect(piece.type).toBe(4);
    expect(piece.body.toString('hex')).toBe(
      hex(`
        0000000e 312d312d302d302e747366696c65  # "1-1-0-0.tsfile"
        0000010000000000                       # start writing offset 2^40
        00000002 6162                          # 2 bytes "ab"
      `).toString('hex'),
    );
    expect(decodePipeTransferReq(piece)).toEqual({
      kind: 'tsfile-piece',
      fileName: '1-1-0-0.tsfile',
      startWritingOffset: 2n ** 40n,
      bytes: utf8('ab'),
    });
    const withMod = encodeTsFilePieceWithMod('f.mods', 0, new Uint8Array(0));
    expect(withMod.type).toBe(8);
    expect(withMod.body.toString('hex')).toBe(hex('00000006 662e6d6f6473 0000000000000000 00000000').toString('hex'));
    expect(decodePipeTransferReq(withMod)).toMatchObject({ kind: 'tsfile-piece-with-mod', fileName: 'f.mods' });
  });

  it('a TsFile piece filled in place, in a larger reused body, carries only what was filled', () => {
    const body = Buffer.alloc(64, 0xee);
    const piece = encodeFilePiece(
      PipeRequestType.TRANSFER_TS_FILE_PIECE,
      'é.tsfile',
      7,
      5,
      (into) => {
        expect(into.length).toBe(5);
        into.write('xyz');
        return 3;
      },
      body,
    );
    expect(piece.body.buffer).toBe(body.buffer);
    expect(piece.body.toString('hex')).toBe(
      hex(`
        00000009 c3a92e747366696c65  # "é.tsfile" (9 UTF-8 bytes)
        0000000000000007             # start writing offset 7
        00000003 78797a              # 3 bytes "xyz"
      `).toString('hex'),
    );
    expect(filePieceBodyBytes('é.tsfile', 5)).toBe(4 + 9 + 8 + 4 + 5);
  });

  it('TsFile seal (type 5): name and length', () => {
    const seal = encodeTsFileSeal('f', 10);
    expect(seal.type).toBe(5);
    expect(seal.body.toString('hex')).toBe(hex('00000001 66 000000000000000a').toString('hex'));
    expect(decodePipeTransferReq(seal)).toEqual({ kind: 'tsfile-seal', fileName: 'f', fileLength: 10n });
  });

  it('TsFile seal with mod (type 9): names, lengths (mods file first), parameters', () => {
    const seal = encodeTsFileSealWithMod([
      { fileName: 'a.mods', fileLength: 3 },
      { fileName: 'a', fileLength: 7n },
    ]);
    expect(seal.type).toBe(9);
    expect(seal.body.toString('hex')).toBe(
      hex(`
        00000002 00000006 612e6d6f6473 00000001 61   # names "a.mods", "a"
        00000002 0000000000000003 0000000000000007   # lengths 3, 7
        00000000                                     # no parameters
      `).toString('hex'),
    );
    expect(decodePipeTransferReq(seal)).toEqual({
      kind: 'tsfile-seal-with-mod',
      files: [
        { fileName: 'a.mods', fileLength: 3n },
        { fileName: 'a', fileLength: 7n },
      ],
      params: new Map(),
    });
  });

  it('types IoTDB defines but this codec does not read come back as unsupported', () => {
    for (const type of [0, 50, 101, 102, 201, 202, 400]) {
      expect(decodePipeTransferReq({ version: 1, type, body: hex('00') })).toMatchObject({
        kind: 'unsupported',
        type,
      });
    }
  });
});

describe('file piece answer', () => {
  it('carries the end writing offset as an int64 body', () => {
    const resp = encodeFilePieceResp({ code: 1803, message: 'reset' }, 12n);
    expect(resp.body!.toString('hex')).toBe('000000000000000c');
    expect(decodeFilePieceResp(resp)).toEqual({ status: { code: 1803, message: 'reset' }, endWritingOffset: 12n });
  });

  it('reads an answer without a body as offset -1 and refuses a body of the wrong size', () => {
    expect(decodeFilePieceResp({ status: { code: 1804 } }).endWritingOffset).toBe(-1n);
    expect(decodeFilePieceResp({ status: { code: 1804 }, body: null }).endWritingOffset).toBe(-1n);
    expect(() => decodeFilePieceResp({ status: { code: 200 }, body: hex('0000') })).toThrow(
      'file piece answer body has 2 bytes, expected 8',
    );
  });
});

describe('FORMAT.md "Pipe transfer" example', () => {
  it('is what encodeTabletRaw writes for it', () => {
    const tablet: Tablet = {
      device: 'd',
      measurements: ['s'],
      dataTypes: [DataType.INT32],
      times: BigInt64Array.of(1n, 2n),
      columns: [Int32Array.of(7, 0)],
      nulls: [Uint8Array.of(0, 1)],
      rowCount: 2,
      aligned: false,
    };
    expect(encodeTabletRaw(tablet).body.toString('hex')).toBe(
      hex(`
        00000001 64 00000002 01 00000001 01 00000001 73 01 00 00 00000000
        01 0000000000000001 0000000000000002
        01 01 00000002 00000001 02
        01 01 00000007 00000000
        00
      `).toString('hex'),
    );
  });
});
