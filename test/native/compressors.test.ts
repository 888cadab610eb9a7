import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compressorFor, DecompressionError, UnsupportedCompressionError } from '../../native/index.js';

const CODES = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, LZ4: 7, ZSTD: 8, LZMA2: 9 } as const;

const sample = Buffer.from('time series time series time series 0123456789 '.repeat(200));

describe('compressors', () => {
  for (const [name, code] of Object.entries(CODES)) {
    it(`${name} round-trips and checks the size`, () => {
      const c = compressorFor(code);
      expect(c.name).toBe(name);
      const packed = c.compress(sample);
      expect(c.uncompress(packed, sample.length).equals(sample)).toBe(true);
      expect(c.uncompress(c.compress(Buffer.alloc(0)), 0).length).toBe(0);
      expect(() => c.uncompress(packed, sample.length + 1)).toThrow(DecompressionError);
    });
  }

  it('LZ4 writes raw blocks without a size prefix, as IoTDB does', () => {
    // A raw LZ4 block of 16 literal bytes: token 0x00|0xF0 literal length 15+1, then the bytes.
    const literal = Buffer.from('abcdefghijklmnop');
    const block = Buffer.concat([Buffer.from([0xf0, 0x01]), literal]);
    expect(compressorFor(7).uncompress(block, 16).equals(literal)).toBe(true);
    const packed = compressorFor(7).compress(sample);
    expect(packed.readUInt32LE(0)).not.toBe(sample.length);
  });

  it('SNAPPY reads a hand-made raw block (varint length, literal tag)', () => {
    const block = Buffer.from([0x05, 0x10, 0x68, 0x65, 0x6c, 0x6c, 0x6f]);
    expect(compressorFor(1).uncompress(block, 5).toString()).toBe('hello');
  });

  it('LZMA2 writes the .xz container of xz-java (CRC64) that xz-utils reads, and shrinks', () => {
    const packed = compressorFor(9).compress(sample);
    expect(packed.length).toBeLessThan(sample.length / 10);
    // Stream header: magic FD 37 7A 58 5A 00, flags 00 04 (CRC64), as XZOutputStream writes.
    expect([...packed.subarray(0, 8)]).toEqual([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]);
    let unpacked: Buffer;
    try {
      unpacked = execFileSync('xz', ['--decompress', '--stdout'], { input: packed });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      console.log('xz-utils is not installed here: the xz check of LZMA2 is left out');
      return;
    }
    expect(unpacked.equals(sample)).toBe(true);
  });

  it('LZMA2 reads what xz-utils writes', () => {
    let packed: Buffer;
    try {
      packed = execFileSync('xz', ['--compress', '--stdout', '--check=crc64'], { input: sample });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      console.log('xz-utils is not installed here: the xz check of LZMA2 is left out');
      return;
    }
    expect(compressorFor(9).uncompress(packed, sample.length).equals(sample)).toBe(true);
  });

  it('names an unknown codec and reports corrupt data', () => {
    expect(() => compressorFor(3)).toThrow(UnsupportedCompressionError);
    expect(() => compressorFor(3)).toThrow(/compression type 3/);
    for (const code of [1, 2, 7, 8, 9]) {
      expect(
        () => compressorFor(code).uncompress(Buffer.from([0xff, 0xfe, 0xfd, 0x01, 0x02]), 100),
        String(code),
      ).toThrow(DecompressionError);
    }
  });
});
