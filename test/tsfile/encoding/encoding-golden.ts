// Golden pages for the PLAIN, RLE, TS_2DIFF, ZIGZAG and DICTIONARY tests: each case of
// test/fixtures/encoding/<suite>.json holds the values of one page, the bytes the reference
// Java encoder wrote for them, and (when it differs from the input) what the reference
// decoder read back.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { ValueKind } from '../../../tsfile/data-type.js';
import type { ColumnByKind, EncodingCodecs, EncodingOptions } from '../../../tsfile/encoding/value-codec.js';
import { ByteWriter } from '../../../tsfile/io/byte-writer.js';

const here = dirname(fileURLToPath(import.meta.url));

/** One value, or a value repeated `count` times. */
type FixtureValue = string | [string, number];

export interface GoldenCase {
  readonly name: string;
  /** TsFile data type name: BOOLEAN, INT32, INT64, FLOAT, DOUBLE or TEXT. */
  readonly type: string;
  readonly maxPointNumber?: number;
  readonly values: readonly FixtureValue[];
  readonly hex: string;
  readonly decoded?: readonly string[];
}

export function goldenCases(suite: string): GoldenCase[] {
  const path = join(here, '..', '..', 'fixtures', 'encoding', `${suite}.json`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: GoldenCase[] }).cases;
}

const KIND: Record<string, ValueKind> = {
  BOOLEAN: 'boolean',
  INT32: 'int32',
  INT64: 'int64',
  FLOAT: 'float',
  DOUBLE: 'double',
  TEXT: 'binary',
};

export function kindOf(type: string): ValueKind {
  const kind = KIND[type];
  if (kind === undefined) throw new Error(`unknown fixture type ${type}`);
  return kind;
}

function expand(values: readonly FixtureValue[]): string[] {
  return values.flatMap((v) => (typeof v === 'string' ? [v] : new Array<string>(v[1]).fill(v[0])));
}

/** Parses values written as Java prints them (`NaN`, `-0.0`, `1.0E-4`, `true`, decimal longs). */
export function columnOf(kind: ValueKind, texts: readonly string[]): ColumnByKind[ValueKind] {
  switch (kind) {
    case 'boolean':
      return Uint8Array.from(texts, (t) => (t === 'true' ? 1 : 0));
    case 'int32':
      return Int32Array.from(texts, Number);
    case 'int64':
      return BigInt64Array.from(texts, (t) => BigInt(t));
    case 'float':
      return Float32Array.from(texts, Number);
    case 'double':
      return Float64Array.from(texts, Number);
    case 'binary':
      return texts.map((t) => new Uint8Array(Buffer.from(t, 'utf8')));
  }
}

/** Values as comparable strings; floats keep -0 and NaN distinct. */
export function printed(kind: ValueKind, column: ColumnByKind[ValueKind]): string[] {
  if (kind === 'binary') return (column as Uint8Array[]).map((v) => Buffer.from(v).toString('utf8'));
  return Array.from(column as ArrayLike<number | bigint>, (v) => (Object.is(v, -0) ? '-0' : String(v)));
}

/**
 * Registers, for every case of `suite`, a test that encoding the values gives the reference
 * bytes and that decoding the reference bytes gives what the reference decoder returned.
 */
export function goldenTests(suite: string, factory: (options: EncodingOptions) => EncodingCodecs): void {
  for (const c of goldenCases(suite)) {
    it(`${c.type} ${c.name}: reference bytes both ways`, () => {
      const kind = kindOf(c.type);
      const codec = factory({ maxPointNumber: c.maxPointNumber ?? 2 })[kind];
      if (codec === undefined) throw new Error(`${suite} has no ${kind} codec`);
      const input = columnOf(kind, expand(c.values));
      const out = new ByteWriter(16);
      // Encode from the middle of a larger column, to exercise `from` and `to`.
      const padded = pad(kind, input);
      (codec.encode as (v: unknown, from: number, to: number, out: ByteWriter) => void)(
        padded,
        3,
        3 + input.length,
        out,
      );
      expect(out.toBuffer().toString('hex')).toBe(c.hex);

      const page = Buffer.concat([Buffer.from([0xee]), Buffer.from(c.hex, 'hex'), Buffer.from([0xee])]);
      const decoded = codec.decode(page, 1, page.length - 1);
      const expected = input.length === 0 ? [] : columnOf(kind, c.decoded ?? expand(c.values));
      expect(printed(kind, decoded)).toEqual(printed(kind, expected));
    });
  }
}

/** The column with three values of noise on each side. */
function pad(kind: ValueKind, column: ColumnByKind[ValueKind]): ColumnByKind[ValueKind] {
  if (kind === 'binary') {
    const noise = new Uint8Array([1, 2, 3]);
    return [noise, noise, noise, ...(column as Uint8Array[]), noise, noise, noise];
  }
  const typed = column as Exclude<ColumnByKind[ValueKind], Uint8Array[]>;
  const Ctor = typed.constructor as new (n: number) => typeof typed;
  const out = new Ctor(typed.length + 6);
  (out as { set(a: ArrayLike<unknown>, at: number): void }).set(typed, 3);
  for (const i of [0, 1, 2, typed.length + 3, typed.length + 4, typed.length + 5]) {
    (out as unknown as Record<number, unknown>)[i] = kind === 'int64' ? 99n : 9;
  }
  return out;
}

/**
 * Decodes every strict prefix of `page`: each must either fail with a CorruptDataError or
 * RangeError, or return a prefix of `full` (a page cut at a block or value boundary is itself
 * a valid page). Anything else would be garbage returned silently.
 */
export function expectTruncationsSafe<C>(
  codec: { decode(bytes: Uint8Array, start: number, end: number): C },
  page: Uint8Array,
  kind: ValueKind,
): void {
  const full = printed(kind, codec.decode(page, 0, page.length) as ColumnByKind[ValueKind]);
  for (let end = 0; end < page.length; end++) {
    let got: string[];
    try {
      got = printed(kind, codec.decode(page, 0, end) as ColumnByKind[ValueKind]);
    } catch (e) {
      expect((e as Error).name, `prefix of ${end} bytes: ${(e as Error).message}`).toMatch(
        /^(CorruptDataError|RangeError)$/,
      );
      continue;
    }
    expect(got.length, `prefix of ${end} bytes`).toBeLessThanOrEqual(full.length);
    expect(got, `prefix of ${end} bytes`).toEqual(full.slice(0, got.length));
  }
}

/** Asserts that decoding throws a CorruptDataError whose message matches `message`. */
export function expectCorrupt(decode: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    decode();
  } catch (e) {
    error = e;
  }
  expect(error, 'decoding should fail').toBeInstanceOf(Error);
  expect((error as Error).name).toBe('CorruptDataError');
  expect((error as Error).message).toMatch(message);
}

/** Encodes a whole column into a fresh buffer. */
export function encodePage<C extends { length: number }>(
  codec: { encode(values: C, from: number, to: number, out: ByteWriter): void },
  values: C,
): Buffer {
  const out = new ByteWriter(64);
  codec.encode(values, 0, values.length, out);
  return out.toBuffer();
}
