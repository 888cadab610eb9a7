// Format: tsfile/FORMAT.md § Encodings / DICTIONARY
import type { BinaryColumn } from '../data-type.js';
import { CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { rleInt32Codec } from './rle.js';
import type { EncodingCodecs, EncodingOptions, ValueCodec } from './value-codec.js';

/**
 * TEXT as a page-local dictionary: `varint(entries)`, each entry `varint(length) bytes` in
 * order of first appearance, then the entry index of every value (from 0) as an RLE int32
 * pattern. Both varints are zigzag (signed) varints.
 */

let indexScratch = new Int32Array(1024);

/** One char per byte, so distinct byte strings give distinct keys. */
function keyOf(value: Uint8Array): string {
  if (value.length > 64) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
  // Short values: building the string directly is several times faster than a Buffer.
  let key = '';
  for (let i = 0; i < value.length; i++) key += String.fromCharCode(value[i]!);
  return key;
}

function encode(values: BinaryColumn, from: number, to: number, out: ByteWriter): void {
  const n = to - from;
  if (indexScratch.length < n) indexScratch = new Int32Array(Math.max(n, indexScratch.length * 2));
  const indices = indexScratch;
  const byKey = new Map<string, number>();
  const entries: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[from + i]!;
    const key = keyOf(v);
    let index = byKey.get(key);
    if (index === undefined) {
      index = entries.length;
      byKey.set(key, index);
      entries.push(v);
    }
    indices[i] = index;
  }
  out.writeVarInt(entries.length);
  for (const e of entries) {
    out.writeVarInt(e.length);
    out.writeBytes(e);
  }
  rleInt32Codec.encode(indices, 0, n, out);
}

function readVarInt(bytes: Uint8Array, pos: number, end: number): [number, number] {
  let u = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= end) throw new CorruptDataError(`DICTIONARY varint truncated at offset ${pos}`);
    const b = bytes[pos++]!;
    if (shift === 28 && b > 0x0f) throw new CorruptDataError(`DICTIONARY varint too long at offset ${pos - 1}`);
    u |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [(u >>> 1) ^ -(u & 1), pos];
  }
}

function decode(bytes: Uint8Array, start: number, end: number): BinaryColumn {
  if (start >= end) return [];
  const [size, afterSize] = readVarInt(bytes, start, end);
  // Every entry takes at least its length byte.
  if (size < 0 || size > end - afterSize)
    throw new CorruptDataError(`DICTIONARY of ${size} entries at offset ${start}`);
  let pos = afterSize;
  const spans: number[] = [];
  for (let i = 0; i < size; i++) {
    const [length, at] = readVarInt(bytes, pos, end);
    if (length < 0 || length > end - at) {
      throw new CorruptDataError(`DICTIONARY entry of ${length} bytes at offset ${pos} exceeds the page`);
    }
    spans.push(at, at + length);
    pos = at + length;
  }
  // One copy of the entries, so values outlive the page buffer; equal values share a view.
  const copy = new Uint8Array(pos - afterSize);
  copy.set(bytes.subarray(afterSize, pos));
  const entries = new Array<Uint8Array>(size);
  for (let i = 0; i < size; i++) entries[i] = copy.subarray(spans[2 * i]! - afterSize, spans[2 * i + 1]! - afterSize);
  const indices = rleInt32Codec.decode(bytes, pos, end);
  const out = new Array<Uint8Array>(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const e = entries[indices[i]!];
    if (e === undefined) throw new CorruptDataError(`DICTIONARY index ${indices[i]} of ${size} entries`);
    out[i] = e;
  }
  return out;
}

export const dictionaryBinaryCodec: ValueCodec<BinaryColumn> = { encode, decode };

export function dictionaryCodecs(_options: EncodingOptions): EncodingCodecs {
  return { binary: dictionaryBinaryCodec };
}
