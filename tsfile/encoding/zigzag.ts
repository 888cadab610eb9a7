// Format: tsfile/FORMAT.md § Encodings / ZIGZAG
import type { Int32Column, Int64Column } from '../data-type.js';
import { CorruptDataError } from '../io/byte-reader.js';
import { ByteWriter } from '../io/byte-writer.js';
import { int64Words } from '../io/int64.js';
import type { EncodingCodecs, EncodingOptions, ValueCodec } from './value-codec.js';

/**
 * A page is one group (the reference decoder also accepts several in a row):
 * `uvarint(byteLength) uvarint(count)` then `count` zigzag varints filling exactly
 * `byteLength` bytes. An empty page is empty: the reference writes nothing for it.
 */

const body = new ByteWriter(4096);

function writeGroup(count: number, out: ByteWriter): void {
  if (count === 0) return;
  out.writeVarUInt(body.length);
  out.writeVarUInt(count);
  out.writeBytes(body.view());
}

function encodeInt32(values: Int32Array, from: number, to: number, out: ByteWriter): void {
  body.reset();
  body.ensure(5 * (to - from));
  const raw = body.raw();
  let p = 0;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    let u = ((v << 1) ^ (v >> 31)) >>> 0;
    while (u > 0x7f) {
      raw[p++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    raw[p++] = u;
  }
  body.advance(p);
  writeGroup(to - from, out);
}

function encodeInt64(values: BigInt64Array, from: number, to: number, out: ByteWriter): void {
  const words = int64Words(values);
  body.reset();
  body.ensure(10 * (to - from));
  const raw = body.raw();
  let p = 0;
  for (let i = from; i < to; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    const sign = hi >> 31;
    // (n << 1) ^ (n >> 63) on the word pair.
    let zHi = (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0;
    let zLo = ((lo << 1) ^ sign) >>> 0;
    while (zHi !== 0 || zLo > 0x7f) {
      raw[p++] = (zLo & 0x7f) | 0x80;
      zLo = ((zLo >>> 7) | (zHi << 25)) >>> 0;
      zHi >>>= 7;
    }
    raw[p++] = zLo;
  }
  body.advance(p);
  writeGroup(to - from, out);
}

function readVarUInt(bytes: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= end) throw new CorruptDataError(`ZIGZAG varint truncated at offset ${pos}`);
    const b = bytes[pos++]!;
    if (shift === 28 && b > 0x0f) throw new CorruptDataError(`ZIGZAG varint too long at offset ${pos - 1}`);
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [value >>> 0, pos];
  }
}

/**
 * Walks the group headers; returns the total count. Each value takes at least one byte, so a
 * count larger than its group's bytes is corrupt.
 */
function countValues(bytes: Uint8Array, start: number, end: number): number {
  let total = 0;
  let pos = start;
  while (pos < end) {
    const [length, afterLength] = readVarUInt(bytes, pos, end);
    const [count, afterCount] = readVarUInt(bytes, afterLength, end);
    if (afterCount + length > end)
      throw new CorruptDataError(`ZIGZAG group of ${length} bytes at offset ${pos} exceeds the page`);
    if (count === 0 || count > length) {
      throw new CorruptDataError(`ZIGZAG group at offset ${pos} claims ${count} values in ${length} bytes`);
    }
    total += count;
    pos = afterCount + length;
  }
  return total;
}

/** Calls `group(count, bodyStart, bodyEnd)` for every group; headers were already checked. */
function forEachGroup(
  bytes: Uint8Array,
  start: number,
  end: number,
  group: (count: number, at: number, to: number) => void,
): void {
  let pos = start;
  while (pos < end) {
    const [length, afterLength] = readVarUInt(bytes, pos, end);
    const [count, at] = readVarUInt(bytes, afterLength, end);
    group(count, at, at + length);
    pos = at + length;
  }
}

function decodeInt32(bytes: Uint8Array, start: number, end: number): Int32Array {
  const out = new Int32Array(countValues(bytes, start, end));
  let n = 0;
  forEachGroup(bytes, start, end, (count, at, to) => {
    let p = at;
    for (let i = 0; i < count; i++) {
      const [u, next] = readVarUInt(bytes, p, to);
      out[n++] = (u >>> 1) ^ -(u & 1);
      p = next;
    }
    if (p !== to) throw new CorruptDataError(`ZIGZAG group ending at offset ${to} has ${to - p} unused bytes`);
  });
  return out;
}

function decodeInt64(bytes: Uint8Array, start: number, end: number): BigInt64Array {
  const out = new BigInt64Array(countValues(bytes, start, end));
  const words = int64Words(out);
  let n = 0;
  forEachGroup(bytes, start, end, (count, at, to) => {
    let p = at;
    for (let i = 0; i < count; i++) {
      let lo = 0;
      let hi = 0;
      for (let shift = 0; ; shift += 7) {
        if (p >= to) throw new CorruptDataError(`ZIGZAG varint truncated at offset ${p}`);
        if (shift > 63) throw new CorruptDataError(`ZIGZAG varint longer than 10 bytes at offset ${p}`);
        const b = bytes[p++]!;
        const bits = b & 0x7f;
        // Bits shifted past 64 are dropped, as Java's long shift does.
        if (shift < 28) lo |= bits << shift;
        else if (shift === 28) {
          lo |= bits << 28;
          hi |= bits >>> 4;
        } else hi |= bits << (shift - 32);
        if ((b & 0x80) === 0) break;
      }
      // (n >>> 1) ^ -(n & 1) on the word pair.
      const mask = -(lo & 1);
      words[2 * n] = ((lo >>> 1) | (hi << 31)) ^ mask;
      words[2 * n + 1] = (hi >>> 1) ^ mask;
      n++;
    }
    if (p !== to) throw new CorruptDataError(`ZIGZAG group ending at offset ${to} has ${to - p} unused bytes`);
  });
  return out;
}

export const zigzagInt32Codec: ValueCodec<Int32Column> = { encode: encodeInt32, decode: decodeInt32 };

export const zigzagInt64Codec: ValueCodec<Int64Column> = { encode: encodeInt64, decode: decodeInt64 };

export function zigzagCodecs(_options: EncodingOptions): EncodingCodecs {
  return { int32: zigzagInt32Codec, int64: zigzagInt64Codec };
}
