import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dictionaryBinaryCodec, dictionaryCodecs } from '../../../tsfile/encoding/dictionary.js';
import { encodePage, expectCorrupt, expectTruncationsSafe, goldenTests } from './encoding-golden.js';

describe('DICTIONARY golden pages', () => {
  goldenTests('dictionary', dictionaryCodecs);
});

const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const asArrays = (values: Uint8Array[]): number[][] => values.map((v) => [...v]);

describe('DICTIONARY', () => {
  it('round-trips pages of repeated and distinct byte strings', () => {
    const pool = fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        pool.chain((p) => fc.array(fc.constantFrom(...p), { maxLength: 300 })),
        (values) => {
          const page = encodePage(dictionaryBinaryCodec, values);
          expect(asArrays(dictionaryBinaryCodec.decode(page, 0, page.length))).toEqual(asArrays(values));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('tells apart byte strings that differ only in bytes above 0x7f', () => {
    const values = [Uint8Array.from([0xc3, 0xa9]), Uint8Array.from([0xe9]), Uint8Array.from([0xc3, 0xa9])];
    const page = encodePage(dictionaryBinaryCodec, values);
    expect(page[0]).toBe(4); // two entries (zigzag varint)
    expect(asArrays(dictionaryBinaryCodec.decode(page, 0, page.length))).toEqual(asArrays(values));
  });

  it('returns values that survive changes to the page buffer', () => {
    const page = encodePage(dictionaryBinaryCodec, [bytesOf('on'), bytesOf('off')]);
    const values = dictionaryBinaryCodec.decode(page, 0, page.length);
    page.fill(0);
    expect(values.map((v) => Buffer.from(v).toString())).toEqual(['on', 'off']);
  });

  it('rejects indexes outside the dictionary and entries that lie', () => {
    // One entry "a", then an RLE pattern whose single value is index 1.
    const page = Uint8Array.from([2, 2, 0x61, 4, 1, 3, 1, 0x80]);
    expectCorrupt(() => dictionaryBinaryCodec.decode(page, 0, page.length), /index 1 of 1 entries/);
    expectCorrupt(() => dictionaryBinaryCodec.decode(Uint8Array.from([2, 40, 0x61]), 0, 3), /20 bytes .* exceeds/);
    expectCorrupt(() => dictionaryBinaryCodec.decode(Uint8Array.from([0xfe, 0x0f, 0]), 0, 3), /of 1023 entries/);
    expectCorrupt(() => dictionaryBinaryCodec.decode(Uint8Array.from([1]), 0, 1), /of -1 entries/);
  });

  it('fails cleanly or returns a prefix on every truncation', () => {
    const values = ['a', 'bb', 'a', '', '中文', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'bb'].map(bytesOf);
    expectTruncationsSafe(dictionaryBinaryCodec, encodePage(dictionaryBinaryCodec, values), 'binary');
  });
});
