import fc from 'fast-check';
import { expect } from 'vitest';
import type { ValueCodec } from '../../../tsfile/encoding/value-codec.js';
import { CorruptDataError } from '../../../tsfile/io/byte-reader.js';
import { ByteWriter } from '../../../tsfile/io/byte-writer.js';

/**
 * Golden cases name values exactly: integers in decimal, floats and doubles as the hex of
 * their bit patterns (so NaN payloads, -0.0 and subnormals are unambiguous).
 */
export type NumericKind = 'int32' | 'int64' | 'float' | 'double';
export type NumericColumn = Int32Array | BigInt64Array | Float32Array | Float64Array;

export interface GoldenCase {
  readonly kind: NumericKind;
  readonly name: string;
  readonly values: readonly string[];
  /** The page the reference encoder writes for `values`. */
  readonly hex: string;
  /** What the reference decoder reads back from `hex`, when that differs from `values`. */
  readonly decoded?: readonly string[];
}

export function columnOf(kind: NumericKind, values: readonly string[]): NumericColumn {
  switch (kind) {
    case 'int32':
      return Int32Array.from(values, Number);
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt(v));
    case 'float': {
      const bits = Int32Array.from(values, (v) => Number.parseInt(v, 16) | 0);
      return new Float32Array(bits.buffer);
    }
    case 'double': {
      const words = new Int32Array(values.length * 2);
      values.forEach((v, i) => {
        words[2 * i + 1] = Number.parseInt(v.slice(0, 8), 16) | 0;
        words[2 * i] = Number.parseInt(v.slice(8), 16) | 0;
      });
      return new Float64Array(words.buffer);
    }
  }
}

export function patternsOf(kind: NumericKind, column: NumericColumn): string[] {
  const hex = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
  switch (kind) {
    case 'int32':
    case 'int64':
      return Array.from(column as Int32Array | BigInt64Array, String);
    case 'float':
      return Array.from(new Int32Array(column.buffer, column.byteOffset, column.length), hex);
    case 'double': {
      const words = new Int32Array(column.buffer, column.byteOffset, column.length * 2);
      return Array.from({ length: column.length }, (_, i) => hex(words[2 * i + 1]!) + hex(words[2 * i]!));
    }
  }
}

export function encodeHex<C>(codec: ValueCodec<C>, column: C, length: number): string {
  const out = new ByteWriter(16);
  codec.encode(column, 0, length, out);
  return out.toBuffer().toString('hex');
}

export function bytesOf(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

/** A codec for any numeric kind, typed loosely so a table of cases can drive it. */
export type AnyCodec = ValueCodec<NumericColumn>;

/**
 * Our encoder writes the reference's bytes, and our decoder reads the reference's values
 * back from them, given the value count as the reference reader always has it.
 */
export function checkGolden(codec: AnyCodec, c: GoldenCase): void {
  const column = columnOf(c.kind, c.values);
  expect(encodeHex(codec, column, column.length)).toBe(c.hex);
  const bytes = bytesOf(c.hex);
  const decoded = codec.decode(bytes, 0, bytes.length, c.values.length);
  expect(patternsOf(c.kind, decoded)).toEqual(c.decoded ?? c.values);
}

/** Bit patterns for property tests: every float and double bit pattern, NaNs included. */
export function arbitraryColumn(kind: NumericKind, maxLength = 300): fc.Arbitrary<NumericColumn> {
  const length = { minLength: 1, maxLength };
  switch (kind) {
    case 'int32':
      return fc.array(fc.oneof(fc.integer(), fc.integer({ min: -50, max: 50 })), length).map((v) => Int32Array.from(v));
    case 'int64':
      return fc
        .array(
          fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -50n, max: 50n })),
          length,
        )
        .map((v) => BigInt64Array.from(v));
    case 'float':
      return fc
        .array(fc.oneof(fc.integer(), fc.constantFrom(0x3f800000, 0x40000000, 0x7f800000, 0x80000000 | 0, 1)), length)
        .map((bits) => new Float32Array(Int32Array.from(bits).buffer));
    case 'double':
      return fc
        .array(
          fc.oneof(
            fc.tuple(fc.integer(), fc.integer()),
            fc.constantFrom([0x3ff00000, 0], [0x40000000, 0], [0x7ff00000, 0], [0x80000000 | 0, 0], [0, 1]),
          ),
          length,
        )
        .map((pairs) => new Float64Array(Int32Array.from(pairs.flatMap(([hi, lo]) => [lo, hi])).buffer));
  }
}

/** A column of `kind` from small integers: floats and doubles divided by 100, int64 scaled up. */
export function columnFromIntegers(kind: NumericKind, values: readonly number[]): NumericColumn {
  if (kind === 'int32') return Int32Array.from(values);
  if (kind === 'int64') return BigInt64Array.from(values, (v) => BigInt(v) * 1_000_003n);
  return kind === 'float' ? Float32Array.from(values, (v) => v / 100) : Float64Array.from(values, (v) => v / 100);
}

/** A random walk from `start`, the shape real sensor series have, for the property tests. */
export function arbitraryWalk(kind: NumericKind, maxLength = 300, start = 0): fc.Arbitrary<NumericColumn> {
  return fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength }).map((steps) => {
    let x = start;
    return columnFromIntegers(
      kind,
      steps.map((s) => (x += s)),
    );
  });
}

/** Decoding may fail only with the errors the reader handles; anything else is a bug. */
export function expectCleanFailure(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof CorruptDataError) && !(e instanceof RangeError)) throw e;
  }
}
