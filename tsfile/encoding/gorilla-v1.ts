// Format: tsfile/FORMAT.md § Encodings / GORILLA_V1
import { CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { BitReader, BitWriter, clz64, ctz32, ctz64 } from './bit-stream.js';
import type { EncodingCodecs, EncodingOptions, ValueCodec } from './value-codec.js';

/**
 * GORILLA_V1 (TSEncoding 6), the first Gorilla layout, kept for files written by old
 * IoTDB versions: float and double only. It differs from GORILLA in three ways: the first
 * value is stored little-endian, the "reuse the window" test compares the XOR against the
 * leading and trailing zeros of the previous *value* (not of the previous XOR), and the
 * stream ends with a NaN after which the last byte is padded (no extra byte).
 */

const CANONICAL_NAN_FLOAT = 0x7fc00000;
const CANONICAL_NAN_DOUBLE_HI = 0x7ff80000;

function ctz32OrAll(x: number): number {
  return x === 0 ? 32 : ctz32(x);
}

/** Java's floatToIntBits: the raw bits, except that every NaN becomes the canonical one. */
function floatBits(bits: number): number {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x007fffff) !== 0 ? CANONICAL_NAN_FLOAT : bits;
}

function isNaN32(bits: number): boolean {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x007fffff) !== 0;
}

function isNaN64(hi: number, lo: number): boolean {
  return (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0x000fffff) !== 0 || lo !== 0);
}

export function encodeGorillaV1Float(bits: Int32Array, from: number, to: number, out: ByteWriter): void {
  let prev = floatBits(from < to ? bits[from]! : CANONICAL_NAN_FLOAT);
  out.writeInt32LE(prev);
  const w = new BitWriter(out, (to - from) * 6 + 8);
  let lead = Math.clz32(prev);
  let trail = ctz32OrAll(prev);
  for (let i = from + 1; i <= to; i++) {
    const v = i < to ? floatBits(bits[i]!) : CANONICAL_NAN_FLOAT;
    const xor = v ^ prev;
    if (xor === 0) {
      w.write(0, 1);
    } else {
      const l = Math.clz32(xor);
      const t = ctz32(xor);
      if (l >= lead && t >= trail) {
        w.write(2, 2);
        w.write(xor >>> trail, 32 - lead - trail);
      } else {
        w.write(3, 2);
        w.write(l, 5);
        w.write(32 - l - t, 6);
        w.write(xor >>> t, 32 - l - t);
      }
    }
    prev = v;
    lead = Math.clz32(prev);
    trail = ctz32OrAll(prev);
  }
  w.flush();
}

/**
 * Decodes floats (as bit patterns). With `count`, exactly that many; without it, up to the
 * first NaN reached through a new XOR, which is where the reference decoder stops.
 */
export function decodeGorillaV1Float(bytes: Uint8Array, start: number, end: number, count?: number): Int32Array {
  if (count === 0) return new Int32Array(0);
  if (end - start < 4) throw new CorruptDataError(`GORILLA_V1 page of ${end - start} bytes has no first value`);
  const values: number[] = [];
  let prev = bytes[start]! | (bytes[start + 1]! << 8) | (bytes[start + 2]! << 16) | (bytes[start + 3]! << 24);
  values.push(prev);
  let r = new BitReader(bytes, start + 4, end);
  let ended = false;
  const want = count ?? Number.POSITIVE_INFINITY;
  while (values.length < want) {
    // Only a page of NaNs ends without a NaN arriving through a new XOR: every later NaN,
    // the end marker included, repeats the first, so all but the first are padding.
    if (count === undefined && r.remaining === 0 && isNaN32(prev)) return Int32Array.of(values[0]!);
    if (r.readBit() === 1) {
      if (r.readBit() === 0) {
        const lead = Math.clz32(prev);
        const trail = ctz32OrAll(prev);
        const n = 32 - lead - trail;
        prev ^= n > 0 ? r.read(n) << trail : 0;
      } else {
        const lead = r.read(5);
        const n = r.read(6);
        if (n > 32) throw new CorruptDataError(`GORILLA_V1 float run of ${n} bits`);
        prev ^= r.read(n) << (32 - lead - n);
      }
      if (!ended && isNaN32(prev)) {
        if (count === undefined) break;
        r = afterEnd(bytes, start + 4, r, (count - values.length) * 45);
        ended = true;
      }
    }
    values.push(prev);
  }
  return Int32Array.from(values);
}

export function encodeGorillaV1Double(words: Int32Array, from: number, to: number, out: ByteWriter): void {
  let [prevHi, prevLo] = from < to ? doubleBits(words[2 * from + 1]!, words[2 * from]!) : [CANONICAL_NAN_DOUBLE_HI, 0];
  out.writeInt32LE(prevLo);
  out.writeInt32LE(prevHi);
  const w = new BitWriter(out, (to - from) * 10 + 16);
  let lead = clz64(prevHi, prevLo);
  let trail = ctz64(prevHi, prevLo);
  for (let i = from + 1; i <= to; i++) {
    const [hi, lo] = i < to ? doubleBits(words[2 * i + 1]!, words[2 * i]!) : [CANONICAL_NAN_DOUBLE_HI, 0];
    const xh = hi ^ prevHi;
    const xl = lo ^ prevLo;
    if ((xh | xl) === 0) {
      w.write(0, 1);
    } else {
      const l = clz64(xh, xl);
      const t = ctz64(xh, xl);
      if (l >= lead && t >= trail) {
        w.write(2, 2);
        writeShifted(w, xh, xl, trail, 64 - lead - trail);
      } else {
        w.write(3, 2);
        w.write(l, 6);
        w.write(64 - l - t, 7);
        writeShifted(w, xh, xl, t, 64 - l - t);
      }
    }
    prevHi = hi;
    prevLo = lo;
    lead = clz64(prevHi, prevLo);
    trail = ctz64(prevHi, prevLo);
  }
  w.flush();
}

/** Decodes doubles into little-endian word pairs (see `decodeGorillaV1Float` for `count`). */
export function decodeGorillaV1Double(bytes: Uint8Array, start: number, end: number, count?: number): Int32Array {
  if (count === 0) return new Int32Array(0);
  if (end - start < 8) throw new CorruptDataError(`GORILLA_V1 page of ${end - start} bytes has no first value`);
  const words: number[] = [];
  const le = (p: number): number => bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
  let lo = le(start);
  let hi = le(start + 4);
  words.push(lo, hi);
  let r = new BitReader(bytes, start + 8, end);
  let ended = false;
  const want = count ?? Number.POSITIVE_INFINITY;
  while (words.length / 2 < want) {
    if (count === undefined && r.remaining === 0 && isNaN64(hi, lo)) return Int32Array.of(words[0]!, words[1]!);
    if (r.readBit() === 1) {
      let shift: number;
      let n: number;
      if (r.readBit() === 0) {
        const lead = clz64(hi, lo);
        shift = ctz64(hi, lo);
        n = 64 - lead - shift;
      } else {
        const lead = r.read(6);
        n = r.read(7);
        if (n > 64) throw new CorruptDataError(`GORILLA_V1 double run of ${n} bits`);
        shift = (64 - lead - n) & 63;
      }
      if (n > 0) {
        const mh = n > 32 ? r.read(n - 32) : 0;
        const ml = r.read(Math.min(n, 32));
        if (shift === 0) {
          hi ^= mh;
          lo ^= ml;
        } else if (shift < 32) {
          hi ^= (mh << shift) | (ml >>> (32 - shift));
          lo ^= ml << shift;
        } else {
          hi ^= ml << (shift - 32);
        }
      }
      if (!ended && isNaN64(hi, lo)) {
        if (count === undefined) break;
        r = afterEnd(bytes, start + 8, r, (count - words.length / 2) * 79);
        ended = true;
      }
    }
    words.push(lo, hi);
  }
  return Int32Array.from(words);
}

/**
 * The bits the reference decoder reads once it has seen a NaN, which it takes for the end:
 * it stops loading bytes, finishes the byte in hand, and from then on its bit index runs
 * negative and Java's shift wraps, giving 24 zero bits then that byte again, repeating.
 * A page with a NaN in the middle therefore reads back like this in the reference, and a
 * compatible reader returns the same values.
 */
function afterEnd(bytes: Uint8Array, bitStart: number, r: BitReader, bitsNeeded: number): BitReader {
  const last = bytes[bitStart + ((r.pos - 1) >>> 3)]!;
  const cycles = Math.ceil(bitsNeeded / 32) + 1;
  const tail = new Uint8Array(1 + 4 * cycles);
  tail[0] = last;
  for (let i = 0; i < cycles; i++) tail[4 + 4 * i] = last;
  const next = new BitReader(tail, 0, tail.length);
  // A NaN that ended on a byte boundary leaves nothing of its byte to finish.
  next.pos = r.pos & 7 || 8;
  return next;
}

/** Java's doubleToLongBits as [hi, lo]: raw bits, every NaN made canonical. */
function doubleBits(hi: number, lo: number): [number, number] {
  return isNaN64(hi, lo) ? [CANONICAL_NAN_DOUBLE_HI, 0] : [hi, lo];
}

/** Writes `n` bits of the 64-bit `xh:xl` shifted right by `shift`. */
function writeShifted(w: BitWriter, xh: number, xl: number, shift: number, n: number): void {
  let hi: number;
  let lo: number;
  if (shift === 0) {
    hi = xh;
    lo = xl;
  } else if (shift < 32) {
    hi = xh >>> shift;
    lo = (xl >>> shift) | (xh << (32 - shift));
  } else {
    hi = 0;
    lo = xh >>> (shift - 32);
  }
  w.write64(hi, lo, n);
}

export const gorillaV1FloatCodec: ValueCodec<Float32Array> = {
  encode(values, from, to, out) {
    encodeGorillaV1Float(new Int32Array(values.buffer, values.byteOffset, values.length), from, to, out);
  },
  decode(bytes, start, end, count) {
    const bits = decodeGorillaV1Float(bytes, start, end, count);
    return new Float32Array(bits.buffer, bits.byteOffset, bits.length);
  },
};

export const gorillaV1DoubleCodec: ValueCodec<Float64Array> = {
  encode(values, from, to, out) {
    encodeGorillaV1Double(new Int32Array(values.buffer, values.byteOffset, values.length * 2), from, to, out);
  },
  decode(bytes, start, end, count) {
    const words = decodeGorillaV1Double(bytes, start, end, count);
    return new Float64Array(words.buffer, words.byteOffset, words.length >>> 1);
  },
};

/** GORILLA_V1 (TSEncoding 6): float and double only, as in the reference. */
export function gorillaV1Codecs(_options: EncodingOptions): EncodingCodecs {
  return { float: gorillaV1FloatCodec, double: gorillaV1DoubleCodec };
}
