// Format: tsfile/FORMAT.md § Encodings / GORILLA
import { CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { int64Words } from '../io/int64.js';
import { BitWriter, borrowBigEndianWords, ctz32, peek32 } from './bit-stream.js';
import type { EncodingCodecs, EncodingOptions, ValueCodec } from './value-codec.js';

/**
 * The value each GORILLA page ends with. The float and double markers are the canonical
 * NaN bit patterns, so a NaN in the data looks like the end of the page to anything that
 * reads without knowing the value count (see `decode`'s `count`).
 */
export const GORILLA_END_INT32 = 0x80000000 | 0;
export const GORILLA_END_FLOAT = 0x7fc00000;
export const GORILLA_END_INT64_HI = 0x80000000 | 0;
export const GORILLA_END_DOUBLE_HI = 0x7ff80000;

/** Larger than any leading-zero count: forces the first non-zero XOR to carry its window. */
const NO_WINDOW = 1 << 20;

/**
 * Encodes `words[from, to)` (int32 bit patterns) followed by `end`, then the flush byte.
 * Control codes: `0` same value, `10` XOR inside the previous window, `11` + 5-bit leading
 * zeros + 5-bit (meaningful bits - 1) + the bits.
 */
export function encodeGorilla32(words: Int32Array, from: number, to: number, end: number, out: ByteWriter): void {
  const bits = new BitWriter(out, Math.max(16, (to - from) * 4 + 8));
  let prev = from < to ? words[from]! : end;
  bits.write(prev, 32);
  let lead = NO_WINDOW;
  let trail = 0;
  for (let i = from + 1; i <= to; i++) {
    const v = i < to ? words[i]! : end;
    const xor = v ^ prev;
    prev = v;
    if (xor === 0) {
      bits.write(0, 1);
      continue;
    }
    const l = Math.clz32(xor);
    const t = ctz32(xor);
    if (l >= lead && t >= trail) {
      bits.write(2, 2);
      bits.write(xor >>> trail, 32 - lead - trail);
    } else {
      const sig = 32 - l - t;
      bits.write((3 << 10) | (l << 5) | (sig - 1), 12);
      bits.write(xor >>> t, sig);
      lead = l;
      trail = t;
    }
  }
  bits.flush(true);
}

/**
 * Decodes int32 bit patterns. With `count` it decodes exactly that many values, as the
 * reference reader does (it reads one value per timestamp). Without it, it stops at the
 * end marker that closes the stream (see `isClosingMarker`).
 */
export function decodeGorilla32(
  bytes: Uint8Array,
  start: number,
  end: number,
  endMarker: number,
  count?: number,
): Int32Array {
  if (count === 0) return new Int32Array(0);
  const byteLength = end - start;
  if (byteLength < 4) throw new CorruptDataError(`GORILLA page of ${byteLength} bytes has no first value`);
  const words = borrowBigEndianWords(bytes, start, end);
  const limit = byteLength * 8;
  let out =
    count === undefined ? borrowOutput(Math.min(byteLength + 8, OUTPUT_SCRATCH_WORDS_MAX)) : new Int32Array(count);
  let cap = out.length;
  let value = words[0]! | 0;
  out[0] = value;
  let n = 1;
  let pos = 32;
  let lead = NO_WINDOW;
  let trail = 0;
  // With a count, one value more is read than returned: the reference decoder always reads
  // ahead one value, so a page cut short there fails in both.
  const want = count === undefined ? Number.POSITIVE_INFINITY : count + 1;
  while (n < want) {
    if (pos >= limit) throw truncated(n, limit);
    const win = peek32(words, pos);
    if (win >= 0) {
      pos += 1;
    } else {
      if ((win & 0x40000000) === 0) {
        pos += 2;
      } else {
        lead = (win >>> 25) & 31;
        trail = 32 - (((win >>> 20) & 31) + 1) - lead;
        pos += 12;
      }
      const sig = 32 - lead - trail;
      if (sig > 0) {
        const m = peek32(words, pos) >>> (32 - sig);
        pos += sig;
        value ^= m << trail;
      }
    }
    if (pos > limit) throw truncated(n, limit);
    if (value === endMarker && count === undefined && isClosingMarker(words, pos, limit)) break;
    if (n === cap) {
      if (count !== undefined) break;
      out = growOutput(out);
      cap = out.length;
    }
    out[n++] = value;
  }
  if (count !== undefined && pos >= limit) throw truncated(n, limit);
  return count === undefined ? out.slice(0, n) : out;
}

/**
 * Encodes 64-bit patterns given as little-endian word pairs (`words[2i]` low,
 * `words[2i + 1]` high), followed by the end marker `endHi:0`. Same control codes as the
 * 32-bit form with 6-bit fields.
 */
export function encodeGorilla64(words: Int32Array, from: number, to: number, endHi: number, out: ByteWriter): void {
  const bits = new BitWriter(out, Math.max(16, (to - from) * 8 + 16));
  let prevLo = from < to ? words[2 * from]! : 0;
  let prevHi = from < to ? words[2 * from + 1]! : endHi;
  bits.write(prevHi, 32);
  bits.write(prevLo, 32);
  let lead = NO_WINDOW;
  let trail = 0;
  for (let i = from + 1; i <= to; i++) {
    let lo = 0;
    let hi = endHi;
    if (i < to) {
      lo = words[2 * i]!;
      hi = words[2 * i + 1]!;
    }
    const xl = lo ^ prevLo;
    const xh = hi ^ prevHi;
    prevLo = lo;
    prevHi = hi;
    if ((xl | xh) === 0) {
      bits.write(0, 1);
      continue;
    }
    const l = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    const t = xl !== 0 ? ctz32(xl) : 32 + ctz32(xh);
    let sig: number;
    let shift: number;
    if (l >= lead && t >= trail) {
      bits.write(2, 2);
      sig = 64 - lead - trail;
      shift = trail;
    } else {
      sig = 64 - l - t;
      bits.write((3 << 12) | (l << 6) | (sig - 1), 14);
      lead = l;
      trail = t;
      shift = t;
    }
    // The meaningful bits are the XOR shifted right by `shift`.
    if (shift >= 32) {
      bits.write(xh >>> (shift - 32), sig);
    } else if (sig > 32) {
      bits.write(shift === 0 ? xh : xh >>> shift, sig - 32);
      bits.write(shift === 0 ? xl : (xl >>> shift) | (xh << (32 - shift)), 32);
    } else {
      bits.write(shift === 0 ? xl : (xl >>> shift) | (xh << (32 - shift)), sig);
    }
  }
  bits.flush(true);
}

/**
 * Decodes 64-bit patterns into little-endian word pairs (see `decodeGorilla32` for `count`).
 * The returned array has exactly two words per value.
 */
export function decodeGorilla64(
  bytes: Uint8Array,
  start: number,
  end: number,
  endHi: number,
  count?: number,
): Int32Array {
  if (count === 0) return new Int32Array(0);
  const byteLength = end - start;
  if (byteLength < 8) throw new CorruptDataError(`GORILLA page of ${byteLength} bytes has no first value`);
  const words = borrowBigEndianWords(bytes, start, end);
  const limit = byteLength * 8;
  let out =
    count === undefined ? borrowOutput(Math.min(byteLength + 16, OUTPUT_SCRATCH_WORDS_MAX)) : new Int32Array(2 * count);
  let cap = out.length >>> 1;
  let hi = words[0]! | 0;
  let lo = words[1]! | 0;
  out[0] = lo;
  out[1] = hi;
  let n = 1;
  let pos = 64;
  let lead = NO_WINDOW;
  let trail = 0;
  // The XOR of a well-formed window is the 64 bits at `pos` shifted right by `lead`, with
  // the low `trail` bits cleared; these masks change only when the window does.
  let maskHi = 0;
  let maskLo = 0;
  let wellFormed = false;
  // With a count, one value more is read than returned: the reference decoder always reads
  // ahead one value, so a page cut short there fails in both.
  const want = count === undefined ? Number.POSITIVE_INFINITY : count + 1;
  while (n < want) {
    // No check before reading: the padding words read as zeros, and the check after the
    // value catches a position past the end.
    const o = pos & 31;
    const w = pos >>> 5;
    const win = o === 0 ? words[w]! : (words[w]! << o) | (words[w + 1]! >>> (32 - o));
    if (win >= 0) {
      pos += 1;
    } else {
      if ((win & 0x40000000) === 0) {
        pos += 2;
      } else {
        lead = (win >>> 24) & 63;
        trail = 64 - (((win >>> 18) & 63) + 1) - lead;
        pos += 14;
        wellFormed = trail >= 0;
        maskHi = trail >= 32 ? -1 << (trail - 32) : -1;
        maskLo = trail >= 32 ? 0 : -1 << trail;
      }
      const sig = 64 - lead - trail;
      if (wellFormed) {
        const p = pos & 31;
        const q = pos >>> 5;
        let wh = words[q]!;
        let wl = words[q + 1]!;
        if (p !== 0) {
          wh = (wh << p) | (wl >>> (32 - p));
          wl = (wl << p) | (words[q + 2]! >>> (32 - p));
        }
        if (lead === 0) {
          hi ^= wh & maskHi;
          lo ^= wl & maskLo;
        } else if (lead < 32) {
          hi ^= (wh >>> lead) & maskHi;
          lo ^= ((wl >>> lead) | (wh << (32 - lead))) & maskLo;
        } else {
          lo ^= (wh >>> (lead - 32)) & maskLo;
        }
        pos += sig;
      } else if (sig > 0) {
        // A malformed window (leading zeros plus length beyond 64): read the bits, then
        // shift them left by `trail` mod 64, as the reference's long shift does.
        let mh = 0;
        let ml: number;
        if (sig > 32) {
          mh = peek32(words, pos) >>> (64 - sig);
          ml = peek32(words, pos + sig - 32);
        } else {
          ml = peek32(words, pos) >>> (32 - sig);
        }
        pos += sig;
        const s = trail & 63;
        if (s === 0) {
          hi ^= mh;
          lo ^= ml;
        } else if (s < 32) {
          hi ^= (mh << s) | (ml >>> (32 - s));
          lo ^= ml << s;
        } else {
          hi ^= ml << (s - 32);
        }
      }
    }
    if (pos > limit) throw truncated(n, limit);
    if (lo === 0 && hi === endHi && count === undefined && isClosingMarker(words, pos, limit)) break;
    if (n === cap) {
      if (count !== undefined) break;
      out = growOutput(out);
      cap = out.length >>> 1;
    }
    out[2 * n] = lo;
    out[2 * n + 1] = hi;
    n++;
  }
  if (count !== undefined && pos >= limit) throw truncated(n, limit);
  return count === undefined ? out.slice(0, 2 * n) : out;
}

/**
 * Whether an end marker that finished at bit `pos` is the one the encoder's flush wrote:
 * the flush pads with zero bits and then writes exactly one more byte boundary, so the
 * stream must stop at the byte after `pos` and carry nothing but zeros past `pos`.
 * An equal value anywhere else is data. (A page whose last values equal the marker is
 * ambiguous without the value count; this reading keeps the fewest values.)
 */
export function isClosingMarker(words: Int32Array, pos: number, limit: number): boolean {
  if ((pos >>> 3) + 1 !== limit >>> 3) return false;
  const rest = limit - pos;
  return rest === 0 || peek32(words, pos) >>> (32 - rest) === 0;
}

/**
 * Without a count the number of values is unknown until the end, so they are decoded into
 * a shared buffer and copied out once at their exact size.
 */
let outputScratch = new Int32Array(4096);
const OUTPUT_SCRATCH_WORDS_MAX = 1 << 21;

function borrowOutput(words: number): Int32Array {
  if (words > outputScratch.length) {
    const next = new Int32Array(words);
    if (words <= OUTPUT_SCRATCH_WORDS_MAX) outputScratch = next;
    return next;
  }
  return outputScratch;
}

function growOutput(out: Int32Array): Int32Array {
  const next = new Int32Array(out.length * 2);
  next.set(out);
  if (out === outputScratch && next.length <= OUTPUT_SCRATCH_WORDS_MAX) outputScratch = next;
  return next;
}

function truncated(decoded: number, limit: number): CorruptDataError {
  return new CorruptDataError(`GORILLA stream of ${limit} bits ends inside value ${decoded}`);
}

export const gorillaInt32Codec: ValueCodec<Int32Array> = {
  encode(values, from, to, out) {
    encodeGorilla32(values, from, to, GORILLA_END_INT32, out);
  },
  decode(bytes, start, end, count) {
    return decodeGorilla32(bytes, start, end, GORILLA_END_INT32, count);
  },
};

export const gorillaFloatCodec: ValueCodec<Float32Array> = {
  encode(values, from, to, out) {
    const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
    encodeGorilla32(bits, from, to, GORILLA_END_FLOAT, out);
  },
  decode(bytes, start, end, count) {
    const bits = decodeGorilla32(bytes, start, end, GORILLA_END_FLOAT, count);
    return new Float32Array(bits.buffer, bits.byteOffset, bits.length);
  },
};

export const gorillaInt64Codec: ValueCodec<BigInt64Array> = {
  encode(values, from, to, out) {
    encodeGorilla64(int64Words(values), from, to, GORILLA_END_INT64_HI, out);
  },
  decode(bytes, start, end, count) {
    const words = decodeGorilla64(bytes, start, end, GORILLA_END_INT64_HI, count);
    return new BigInt64Array(words.buffer, words.byteOffset, words.length >>> 1);
  },
};

export const gorillaDoubleCodec: ValueCodec<Float64Array> = {
  encode(values, from, to, out) {
    const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    encodeGorilla64(words, from, to, GORILLA_END_DOUBLE_HI, out);
  },
  decode(bytes, start, end, count) {
    const words = decodeGorilla64(bytes, start, end, GORILLA_END_DOUBLE_HI, count);
    return new Float64Array(words.buffer, words.byteOffset, words.length >>> 1);
  },
};

/** GORILLA (TSEncoding 8): IoTDB's second Gorilla layout, for int32, int64, float and double. */
export function gorillaCodecs(_options: EncodingOptions): EncodingCodecs {
  return { int32: gorillaInt32Codec, int64: gorillaInt64Codec, float: gorillaFloatCodec, double: gorillaDoubleCodec };
}
