// Format: tsfile/FORMAT.md § Encodings / RLE
import type { BooleanColumn, Int32Column, Int64Column } from '../data-type.js';
import { CorruptDataError } from '../io/byte-reader.js';
import { ByteWriter } from '../io/byte-writer.js';
import { int64Words } from '../io/int64.js';
import {
  bitWidth32,
  bitWidth64,
  PACK_GROUP_VALUES,
  PAGE_VALUES_MAX,
  pack8Int32,
  pack8Int64,
  unpackBits32,
  unpackBits64,
} from './bit-packing.js';
import { doubleFixedPointCodec, floatFixedPointCodec } from './float-fixed-point.js';
import type { EncodingCodecs, EncodingOptions, ValueCodec } from './value-codec.js';

/** A value repeated this many times in a row becomes a run instead of being bit-packed. */
export const RLE_MIN_REPEAT = 8;
/** The longest run the reference encoder writes; a longer repetition is split. */
export const RLE_MAX_REPEAT = 0x7fff;
/** The most 8-value groups one bit-packed run holds (its header must fit one byte). */
export const RLE_MAX_GROUPS = 63;

/**
 * What the run/bit-pack state machine needs from a column: equality with the previous value,
 * and how to write a run's value and a group of packed values at the pattern's bit width.
 */
interface RleSource {
  readonly width: number;
  /** values[i] equals values[i - 1]. */
  same(i: number): boolean;
  /** The run value at its byte-padded width. */
  writeRunValue(body: ByteWriter, i: number): void;
  /** values[start, start + n) (n <= 8) zero-padded to eight values: `width` bytes. */
  writeGroup(body: ByteWriter, start: number, n: number): void;
}

const body = new ByteWriter(4096);

/**
 * One RLE pattern: `uvarint(length)`, then `length` bytes holding the bit width and the runs.
 * The choice between runs and bit-packed groups replays the reference encoder step by step
 * (including that a flushed group restarts the repeat count), because the bytes depend on it.
 */
function encodePattern(src: RleSource, from: number, to: number, out: ByteWriter): void {
  body.reset();
  if (to > from) body.writeUInt8(src.width);
  let repeat = 0;
  let buffered = 0;
  let bufferStart = from;
  let groups = 0;
  /** Where the open bit-packed run's two header bytes go, or -1 when none is open. */
  let headerAt = -1;

  const endBitPackedRun = (lastGroupValues: number): void => {
    if (headerAt < 0) return;
    const raw = body.raw();
    raw[headerAt] = (groups << 1) | 1;
    raw[headerAt + 1] = lastGroupValues;
    headerAt = -1;
    groups = 0;
  };
  const writeRun = (valueIndex: number, count: number): void => {
    endBitPackedRun(RLE_MIN_REPEAT);
    body.writeVarUInt(count << 1);
    src.writeRunValue(body, valueIndex);
    repeat = 0;
    buffered = 0;
  };
  const appendGroup = (): void => {
    if (groups >= RLE_MAX_GROUPS) endBitPackedRun(RLE_MIN_REPEAT);
    if (headerAt < 0) {
      headerAt = body.position();
      body.ensure(2);
      body.advance(2);
    }
    src.writeGroup(body, bufferStart, buffered);
    buffered = 0;
    repeat = 0;
    groups++;
  };

  for (let i = from; i < to; i++) {
    if (i > from && src.same(i)) {
      repeat++;
      if (repeat >= RLE_MIN_REPEAT && repeat <= RLE_MAX_REPEAT) continue;
      if (repeat === RLE_MAX_REPEAT + 1) {
        writeRun(i, RLE_MAX_REPEAT);
        repeat = 1;
      }
    } else {
      if (repeat >= RLE_MIN_REPEAT) writeRun(i - 1, repeat);
      repeat = 1;
    }
    if (buffered === 0) bufferStart = i;
    buffered++;
    if (buffered === PACK_GROUP_VALUES) appendGroup();
  }

  const lastGroupValues = buffered;
  if (repeat >= RLE_MIN_REPEAT) {
    writeRun(to - 1, repeat);
  } else if (buffered > 0) {
    appendGroup();
    endBitPackedRun(lastGroupValues);
  } else {
    endBitPackedRun(RLE_MIN_REPEAT);
  }
  out.writeVarUInt(body.length);
  out.writeBytes(body.view());
}

const group32 = new Int32Array(PACK_GROUP_VALUES);

/** Booleans go through the int encoder as the ints 1 and 0, at width 1. */
function booleanSource(values: Uint8Array): RleSource {
  const bit = (i: number): number => (values[i] !== 0 ? 1 : 0);
  return {
    width: 1,
    same: (i) => bit(i) === bit(i - 1),
    writeRunValue: (w, i) => w.writeUInt8(bit(i)),
    writeGroup: (w, start, n) => {
      for (let k = 0; k < PACK_GROUP_VALUES; k++) group32[k] = k < n ? bit(start + k) : 0;
      w.ensure(1);
      pack8Int32(group32, 0, 1, w.raw(), w.position());
      w.advance(1);
    },
  };
}

function int32Source(values: Int32Array, from: number, to: number): RleSource {
  let or = 0;
  for (let i = from; i < to; i++) or |= values[i]!;
  const width = Math.max(1, bitWidth32(or));
  const padded = (width + 7) >>> 3;
  return {
    width,
    same: (i) => values[i] === values[i - 1],
    writeRunValue: (w, i) => {
      // Little-endian, unlike everything else in TsFile.
      const v = values[i]!;
      for (let k = 0; k < padded; k++) w.writeUInt8(v >>> (8 * k));
    },
    writeGroup: (w, start, n) => {
      w.ensure(width);
      if (n === PACK_GROUP_VALUES) {
        pack8Int32(values, start, width, w.raw(), w.position());
      } else {
        for (let k = 0; k < PACK_GROUP_VALUES; k++) group32[k] = k < n ? values[start + k]! : 0;
        pack8Int32(group32, 0, width, w.raw(), w.position());
      }
      w.advance(width);
    },
  };
}

const group64 = new Int32Array(2 * PACK_GROUP_VALUES);

function int64Source(values: BigInt64Array, from: number, to: number): RleSource {
  const words = int64Words(values);
  let orHi = 0;
  let orLo = 0;
  for (let i = from; i < to; i++) {
    orLo |= words[2 * i]!;
    orHi |= words[2 * i + 1]!;
  }
  const width = Math.max(1, bitWidth64(orHi, orLo));
  const padded = (width + 7) >>> 3;
  return {
    width,
    same: (i) => words[2 * i] === words[2 * i - 2] && words[2 * i + 1] === words[2 * i - 1],
    writeRunValue: (w, i) => {
      // Big-endian: the low `padded` bytes of the long, most significant first.
      const lo = words[2 * i]!;
      const hi = words[2 * i + 1]!;
      for (let k = padded - 1; k >= 0; k--) w.writeUInt8(k >= 4 ? hi >>> (8 * (k - 4)) : lo >>> (8 * k));
    },
    writeGroup: (w, start, n) => {
      w.ensure(width);
      if (n === PACK_GROUP_VALUES) {
        pack8Int64(words, start, width, w.raw(), w.position());
      } else {
        group64.fill(0);
        group64.set(words.subarray(2 * start, 2 * (start + n)));
        pack8Int64(group64, 0, width, w.raw(), w.position());
      }
      w.advance(width);
    },
  };
}

/** Receives the runs of a page in order; `width` comes first for every pattern. */
interface RleVisitor {
  width(width: number): void;
  /** `count` copies of the value stored at `bytes[at]` (byte-padded width). */
  run(count: number, at: number): void;
  /** `count` values packed from `bytes[at]`, in `groups` groups of eight. */
  packed(count: number, at: number): void;
}

/**
 * Walks every pattern of `bytes[start, end)`, validating it, and returns how many values it
 * holds. A pattern of length 0 (what an empty page flushes to) holds none.
 */
function walkRle(bytes: Uint8Array, start: number, end: number, maxWidth: number, visit: RleVisitor | null): number {
  let pos = start;
  let total = 0;
  while (pos < end) {
    const [length, afterLength] = readVarUInt(bytes, pos, end);
    const patternEnd = afterLength + length;
    if (patternEnd > end)
      throw new CorruptDataError(`RLE pattern of ${length} bytes at offset ${pos} exceeds the page`);
    pos = afterLength;
    if (length === 0) continue;
    const width = bytes[pos++]!;
    if (width > maxWidth) throw new CorruptDataError(`RLE bit width ${width} exceeds ${maxWidth} at offset ${pos - 1}`);
    visit?.width(width);
    const padded = (width + 7) >>> 3;
    while (pos < patternEnd) {
      const headerAt = pos;
      const [header, next] = readVarUInt(bytes, pos, patternEnd);
      pos = next;
      let count: number;
      if ((header & 1) === 0) {
        count = header >>> 1;
        if (count === 0) throw new CorruptDataError(`RLE run of 0 values at offset ${headerAt}`);
        if (pos + padded > patternEnd) throw new CorruptDataError(`RLE run value at offset ${pos} exceeds its pattern`);
        visit?.run(count, pos);
        pos += padded;
      } else {
        const groups = header >>> 1;
        if (groups === 0) throw new CorruptDataError(`bit-packed run of 0 groups at offset ${headerAt}`);
        if (pos >= patternEnd) throw new CorruptDataError(`bit-packed run at offset ${headerAt} lacks its value count`);
        const last = bytes[pos++]!;
        if (last === 0 || last > PACK_GROUP_VALUES) {
          throw new CorruptDataError(`bit-packed run at offset ${headerAt} ends with a group of ${last} values`);
        }
        const byteLength = groups * width;
        if (pos + byteLength > patternEnd) {
          throw new CorruptDataError(`bit-packed run of ${groups} groups at offset ${headerAt} exceeds its pattern`);
        }
        count = (groups - 1) * PACK_GROUP_VALUES + last;
        visit?.packed(count, pos);
        pos += byteLength;
      }
      total += count;
      if (total > PAGE_VALUES_MAX) throw new CorruptDataError(`RLE page claims more than ${PAGE_VALUES_MAX} values`);
    }
  }
  return total;
}

function readVarUInt(bytes: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= end) throw new CorruptDataError(`varint truncated at offset ${pos}`);
    const b = bytes[pos++]!;
    if (shift === 28 && b > 0x0f) break;
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [value >>> 0, pos];
  }
  throw new CorruptDataError(`varint longer than 32 bits before offset ${pos}`);
}

/** Decodes int32 values into `out` (sized by a first walk). */
function decodeInt32(bytes: Uint8Array, start: number, end: number): Int32Array {
  const out = new Int32Array(walkRle(bytes, start, end, 32, null));
  let n = 0;
  let width = 0;
  let padded = 0;
  walkRle(bytes, start, end, 32, {
    width(w) {
      width = w;
      padded = (w + 7) >>> 3;
    },
    run(count, at) {
      // Little-endian, as written.
      let v = 0;
      for (let k = 0; k < padded; k++) v |= bytes[at + k]! << (8 * k);
      out.fill(v, n, n + count);
      n += count;
    },
    packed(count, at) {
      unpackBits32(bytes, at, count, width, out, n);
      n += count;
    },
  });
  return out;
}

/** Booleans are int32 values read as `value != 0`. */
function decodeBoolean(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const ints = decodeInt32(bytes, start, end);
  const out = new Uint8Array(ints.length);
  for (let i = 0; i < ints.length; i++) out[i] = ints[i] !== 0 ? 1 : 0;
  return out;
}

function decodeInt64(bytes: Uint8Array, start: number, end: number): BigInt64Array {
  const out = new BigInt64Array(walkRle(bytes, start, end, 64, null));
  const words = int64Words(out);
  let n = 0;
  let width = 0;
  let padded = 0;
  walkRle(bytes, start, end, 64, {
    width(w) {
      width = w;
      padded = (w + 7) >>> 3;
    },
    run(count, at) {
      let hi = 0;
      let lo = 0;
      for (let k = 0; k < padded; k++) {
        hi = (hi << 8) | (lo >>> 24);
        lo = (lo << 8) | bytes[at + k]!;
      }
      for (let k = n; k < n + count; k++) {
        words[2 * k] = lo;
        words[2 * k + 1] = hi;
      }
      n += count;
    },
    packed(count, at) {
      unpackBits64(bytes, at, count, width, words, n);
      n += count;
    },
  });
  return out;
}

export const rleBooleanCodec: ValueCodec<BooleanColumn> = {
  encode: (values, from, to, out) => encodePattern(booleanSource(values), from, to, out),
  decode: decodeBoolean,
};

export const rleInt32Codec: ValueCodec<Int32Column> = {
  encode: (values, from, to, out) => encodePattern(int32Source(values, from, to), from, to, out),
  decode: decodeInt32,
};

export const rleInt64Codec: ValueCodec<Int64Column> = {
  encode: (values, from, to, out) => encodePattern(int64Source(values, from, to), from, to, out),
  decode: decodeInt64,
};

export function rleCodecs(options: EncodingOptions): EncodingCodecs {
  return {
    boolean: rleBooleanCodec,
    int32: rleInt32Codec,
    int64: rleInt64Codec,
    float: floatFixedPointCodec(rleInt32Codec, options.maxPointNumber),
    double: doubleFixedPointCodec(rleInt64Codec, options.maxPointNumber),
  };
}
