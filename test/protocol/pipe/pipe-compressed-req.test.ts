import { describe, expect, it } from 'vitest';
import { encodeCompressedReq } from '../../../protocol/pipe/pipe-compressed-req.js';
import { PIPE_COMPRESSOR_NAMES, pipeCompressor } from '../../../protocol/pipe/pipe-compression.js';
import {
  decodePipeTransferReq,
  encodeHandshakeV1,
  encodeTabletBatch,
  PipeRequestType,
} from '../../../protocol/pipe/pipe-requests.js';
import { DataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { hex } from '../hex.js';

// IoTDB's PipeTransferCompressedReq: body = count:u8, per compressor (PipeCompressionType
// code:u8, length it was given:int32be), then the chain's output. The compressed bytes are
// written from the codecs' own formats: a raw Snappy block is a varint length and
// literal runs (tag (n-1)<<2 for n <= 60 bytes); a raw LZ4 block of under 13 bytes is one
// sequence of literals only (token = length << 4).

// The handshake v1 'ms' as the inner request: version 01, type 0001, body.
const INNER = hex('01 0001 00000002 6d73');

describe('compressed request (type 300): golden bytes', () => {
  it('snappy: one header entry, then a raw Snappy block of version, type and body', () => {
    const req = encodeCompressedReq(encodeHandshakeV1('ms'), [pipeCompressor('snappy')]);
    expect(req.version).toBe(1);
    expect(req.type).toBe(PipeRequestType.TRANSFER_COMPRESSED);
    const snappyBlock = Buffer.concat([hex('09 20'), INNER]);
    expect(req.body.toString('hex')).toBe(Buffer.concat([hex('01  00 00000009'), snappyBlock]).toString('hex'));
    expect(decodePipeTransferReq(req)).toEqual({ kind: 'handshake-v1', timestampPrecision: 'ms' });
  });

  it('a chain snappy,lz4: entries in order, each with the length that compressor was given', () => {
    const req = encodeCompressedReq(encodeHandshakeV1('ms'), [pipeCompressor('snappy'), pipeCompressor('lz4')]);
    const snappyBlock = Buffer.concat([hex('09 20'), INNER]);
    const lz4Block = Buffer.concat([hex('b0'), snappyBlock]);
    expect(req.body.toString('hex')).toBe(
      Buffer.concat([hex('02  00 00000009  02 0000000b'), lz4Block]).toString('hex'),
    );
    expect(decodePipeTransferReq(req)).toEqual({ kind: 'handshake-v1', timestampPrecision: 'ms' });
  });

  it('reads the snappy golden bytes as IoTDB writes them', () => {
    const body = Buffer.concat([hex('01 00 00000009 09 20'), INNER]);
    expect(decodePipeTransferReq({ version: 1, type: 300, body })).toEqual({
      kind: 'handshake-v1',
      timestampPrecision: 'ms',
    });
  });

  const TABLET: Tablet = {
    device: 'root.db.d',
    measurements: ['s'],
    dataTypes: [DataType.DOUBLE],
    times: BigInt64Array.from({ length: 500 }, (_, i) => BigInt(1_700_000_000_000 + i * 10)),
    columns: [Float64Array.from({ length: 500 }, (_, i) => (i % 25) / 4)],
    nulls: [null],
    rowCount: 500,
    aligned: false,
  };

  for (const name of PIPE_COMPRESSOR_NAMES) {
    it(`${name}: a batch round-trips and shrinks`, () => {
      const plain = encodeTabletBatch([TABLET]);
      const req = encodeCompressedReq(plain, [pipeCompressor(name)]);
      expect(req.body.length).toBeLessThan(plain.body.length / 2);
      const decoded = decodePipeTransferReq(req);
      expect(decoded).toEqual(decodePipeTransferReq(plain));
    });
  }

  it('zstd at level 19 is read by any level', () => {
    const plain = encodeTabletBatch([TABLET]);
    const req = encodeCompressedReq(plain, [pipeCompressor('zstd', 19)]);
    expect(req.body.readUInt8(1)).toBe(3);
    expect(decodePipeTransferReq(req)).toEqual(decodePipeTransferReq(plain));
  });
});

describe('compressed request (type 300): refused input', () => {
  const refuse = (body: Buffer) => () => decodePipeTransferReq({ version: 1, type: 300, body });

  it('an unknown compressor code', () => {
    expect(refuse(hex('01 07 00000009 00'))).toThrow(
      'pipe request TRANSFER_COMPRESSED (300): compressor 0: unknown compression type 7',
    );
  });

  it('a length beyond 512 MiB (a decompression bomb)', () => {
    expect(refuse(hex('01 03 7fffffff 00'))).toThrow(
      'compressor 0 (zstd): uncompressed length 2147483647 is not in [0, 536870912]',
    );
  });

  it('data that does not decompress to the recorded length', () => {
    const body = Buffer.concat([hex('01 00 0000000a 09 20'), INNER]);
    expect(refuse(body)).toThrow('compressor 0 (snappy): SNAPPY: decompressed 9 bytes, the header says 10');
  });

  it('a truncated header and a compressed request inside another', () => {
    expect(refuse(hex('02 00 00000009'))).toThrow('2 compressors need 10 header bytes, 5 left');
    const inner = encodeCompressedReq(encodeHandshakeV1('ms'), [pipeCompressor('snappy')]);
    const outer = encodeCompressedReq(inner, [pipeCompressor('snappy')]);
    expect(() => decodePipeTransferReq(outer)).toThrow('it wraps another compressed request');
  });

  it('is answered 303 (ILLEGAL_PARAMETER)', () => {
    try {
      refuse(hex('00'))();
      expect.unreachable();
    } catch (error) {
      expect((error as { statusCode: number }).statusCode).toBe(303);
      expect((error as Error).message).toBe(
        'pipe request TRANSFER_COMPRESSED (300): a compressed request names no compressor',
      );
    }
  });
});
