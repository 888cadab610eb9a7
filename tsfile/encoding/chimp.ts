// Format: tsfile/FORMAT.md § Encodings / CHIMP
import { CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { int64Words } from '../io/int64.js';
import { BitWriter, borrowBigEndianWords, clz64, ctz32, ctz64, peek32 } from './bit-stream.js';
import { GORILLA_END_DOUBLE_HI, GORILLA_END_FLOAT, isClosingMarker } from './gorilla.js';
import type { EncodingCodecs, EncodingOptions, ValueCodec } from './value-codec.js';

/**
 * CHIMP (TSEncoding 11) XORs each value with the previous one, or with one of the last
 * 64 (int32/float) or 128 (int64/double) values that shares its low bits when that XOR
 * has many trailing zeros. Leading zeros are rounded down to one of eight counts. Codes:
 *
 *   00 + index                          equal to the value `index` in the ring
 *   01 + index + lead code + length     XOR with ring[index]: lead code (3 bits), meaningful
 *                                       bit count (5 or 6 bits, 0 meaning all), the bits
 *   10 + bits                           XOR with the previous value, same leading zeros as
 *                                       the last `11`, all bits below them
 *   11 + lead code + bits               XOR with the previous value, new leading zeros
 *
 * Pages end like GORILLA pages: an end marker (MIN_VALUE for integers, the canonical NaN
 * for floats), then the bits padded to a byte, always followed by one more byte boundary.
 */

/** Leading-zero count -> the rounded count kept, and its 3-bit code. */
const LEADING_ROUND = new Int8Array(65);
const LEADING_CODE = new Int8Array(65);
/** 3-bit code -> rounded leading-zero count. */
const LEADING_OF_CODE = Int8Array.from([0, 8, 12, 16, 18, 20, 22, 24]);
for (let i = 0; i <= 64; i++) {
  let code = 7;
  while (LEADING_OF_CODE[code]! > i) code--;
  LEADING_ROUND[i] = LEADING_OF_CODE[code]!;
  LEADING_CODE[i] = code;
}

/** Beyond any leading-zero count: the next XOR must state its leading zeros. */
const NO_LEAD = 1 << 20;

const CHIMP_END_INT32 = 0x80000000 | 0;
const CHIMP_END_INT64_HI = 0x80000000 | 0;

export function encodeChimp32(values: Int32Array, from: number, to: number, end: number, out: ByteWriter): void {
  const w = new BitWriter(out, (to - from) * 5 + 8);
  const ring = new Int32Array(64);
  const lastIndexOfKey = new Int32Array(4096);
  const first = from < to ? values[from]! : end;
  w.write(first, 32);
  ring[0] = first;
  let index = 0;
  let storedLead = NO_LEAD;
  for (let i = from + 1; i <= to; i++) {
    const v = i < to ? values[i]! : end;
    const key = v & 4095;
    const candidate = lastIndexOfKey[key]!;
    let ref = index & 63;
    let xor = ring[ref]! ^ v;
    let trail = 0;
    if (index - candidate < 64) {
      const candidateXor = v ^ ring[candidate & 63]!;
      trail = candidateXor === 0 ? 32 : ctz32(candidateXor);
      if (trail > 11) {
        ref = candidate & 63;
        xor = candidateXor;
      }
    }
    if (xor === 0) {
      w.write(ref, 8);
      storedLead = NO_LEAD;
    } else {
      const lead = LEADING_ROUND[Math.clz32(xor)]!;
      if (trail > 11) {
        const sig = 32 - lead - trail;
        w.write(((64 + ref) << 8) | (LEADING_CODE[lead]! << 5) | sig, 16);
        w.write(xor >>> trail, sig);
        storedLead = NO_LEAD;
      } else if (lead === storedLead) {
        w.write(2, 2);
        w.write(xor, 32 - lead);
      } else {
        storedLead = lead;
        w.write(24 + LEADING_CODE[lead]!, 5);
        w.write(xor, 32 - lead);
      }
    }
    index++;
    ring[index & 63] = v;
    lastIndexOfKey[key] = index;
  }
  w.flush(true);
}

/** Decodes int32 bit patterns; `count` as for `decodeGorilla32`. */
export function decodeChimp32(
  bytes: Uint8Array,
  start: number,
  end: number,
  endMarker: number,
  count?: number,
): Int32Array {
  if (count === 0) return new Int32Array(0);
  const byteLength = end - start;
  if (byteLength < 4) throw new CorruptDataError(`CHIMP page of ${byteLength} bytes has no first value`);
  const words = borrowBigEndianWords(bytes, start, end);
  const limit = byteLength * 8;
  let out: Int32Array = new Int32Array(count ?? Math.max(16, byteLength >>> 1));
  const ring = new Int32Array(64);
  let value = words[0]!;
  ring[0] = value;
  out[0] = value;
  let n = 1;
  let current = 0;
  let pos = 32;
  let lead = NO_LEAD;
  // With a count, one value more is read than returned, as the reference decoder does.
  const want = count === undefined ? Number.POSITIVE_INFINITY : count + 1;
  while (n < want) {
    const win = peek32(words, pos);
    switch (win >>> 30) {
      case 3: {
        lead = LEADING_OF_CODE[(win >>> 27) & 7]!;
        pos += 5;
        const bits = 32 - lead;
        value ^= peek32(words, pos) >>> lead;
        pos += bits;
        break;
      }
      case 2: {
        pos += 2;
        const bits = 32 - lead;
        if (bits > 0) {
          value ^= peek32(words, pos) >>> (32 - bits);
          pos += bits;
        }
        break;
      }
      case 1: {
        lead = LEADING_OF_CODE[(win >>> 21) & 7]!;
        const sig = (win >>> 16) & 31 || 32;
        value = ring[(win >>> 24) & 63]!;
        pos += 16;
        value ^= (peek32(words, pos) >>> (32 - sig)) << (32 - sig - lead);
        pos += sig;
        break;
      }
      default:
        value = ring[(win >>> 24) & 63]!;
        pos += 8;
    }
    current = (current + 1) & 63;
    ring[current] = value;
    if (pos > limit) throw new CorruptDataError(`CHIMP stream of ${limit} bits ends inside value ${n}`);
    if (value === endMarker && count === undefined && isClosingMarker(words, pos, limit)) break;
    if (n === out.length) {
      if (count !== undefined) break;
      out = grow(out);
    }
    out[n++] = value;
  }
  if (count !== undefined && pos >= limit)
    throw new CorruptDataError(`CHIMP stream of ${limit} bits ends inside value ${n}`);
  return n === out.length ? out : out.slice(0, n);
}

/** Encodes 64-bit patterns given as little-endian word pairs (see `encodeGorilla64`). */
export function encodeChimp64(words: Int32Array, from: number, to: number, endHi: number, out: ByteWriter): void {
  const w = new BitWriter(out, (to - from) * 9 + 16);
  const ringHi = new Int32Array(128);
  const ringLo = new Int32Array(128);
  const lastIndexOfKey = new Int32Array(16384);
  let lo = from < to ? words[2 * from]! : 0;
  let hi = from < to ? words[2 * from + 1]! : endHi;
  w.write(hi, 32);
  w.write(lo, 32);
  ringHi[0] = hi;
  ringLo[0] = lo;
  let index = 0;
  let storedLead = NO_LEAD;
  for (let i = from + 1; i <= to; i++) {
    lo = 0;
    hi = endHi;
    if (i < to) {
      lo = words[2 * i]!;
      hi = words[2 * i + 1]!;
    }
    const key = lo & 16383;
    const candidate = lastIndexOfKey[key]!;
    let ref = index & 127;
    let xh = ringHi[ref]! ^ hi;
    let xl = ringLo[ref]! ^ lo;
    let trail = 0;
    if (index - candidate < 128) {
      const c = candidate & 127;
      const ch = hi ^ ringHi[c]!;
      const cl = lo ^ ringLo[c]!;
      trail = ctz64(ch, cl);
      if (trail > 13) {
        ref = c;
        xh = ch;
        xl = cl;
      }
    }
    if ((xh | xl) === 0) {
      w.write(ref, 9);
      storedLead = NO_LEAD;
    } else {
      const lead = LEADING_ROUND[clz64(xh, xl)]!;
      if (trail > 13) {
        const sig = 64 - lead - trail;
        w.write(((128 + ref) << 9) | (LEADING_CODE[lead]! << 6) | sig, 18);
        writeShifted(w, xh, xl, trail, sig);
        storedLead = NO_LEAD;
      } else {
        if (lead === storedLead) {
          w.write(2, 2);
        } else {
          storedLead = lead;
          w.write(24 + LEADING_CODE[lead]!, 5);
        }
        w.write64(xh, xl, 64 - lead);
      }
    }
    index++;
    ringHi[index & 127] = hi;
    ringLo[index & 127] = lo;
    lastIndexOfKey[key] = index;
  }
  w.flush(true);
}

/** Decodes 64-bit patterns into little-endian word pairs; `count` as for `decodeGorilla32`. */
export function decodeChimp64(
  bytes: Uint8Array,
  start: number,
  end: number,
  endHi: number,
  count?: number,
): Int32Array {
  if (count === 0) return new Int32Array(0);
  const byteLength = end - start;
  if (byteLength < 8) throw new CorruptDataError(`CHIMP page of ${byteLength} bytes has no first value`);
  const words = borrowBigEndianWords(bytes, start, end);
  const limit = byteLength * 8;
  let out: Int32Array = new Int32Array(2 * (count ?? Math.max(16, byteLength >>> 2)));
  const ringHi = new Int32Array(128);
  const ringLo = new Int32Array(128);
  let hi = words[0]!;
  let lo = words[1]!;
  ringHi[0] = hi;
  ringLo[0] = lo;
  out[0] = lo;
  out[1] = hi;
  let n = 1;
  let current = 0;
  let pos = 64;
  let lead = NO_LEAD;
  // With a count, one value more is read than returned, as the reference decoder does.
  const want = count === undefined ? Number.POSITIVE_INFINITY : count + 1;
  while (n < want) {
    const win = peek32(words, pos);
    let bits = 0;
    let shift = 0;
    switch (win >>> 30) {
      case 3:
        lead = LEADING_OF_CODE[(win >>> 27) & 7]!;
        pos += 5;
        bits = 64 - lead;
        break;
      case 2:
        pos += 2;
        bits = 64 - lead;
        break;
      case 1: {
        const ref = (win >>> 23) & 127;
        lead = LEADING_OF_CODE[(win >>> 20) & 7]!;
        bits = (win >>> 14) & 63 || 64;
        // A malformed length can leave a negative trailing count; Java shifts by it mod 64.
        shift = (64 - bits - lead) & 63;
        hi = ringHi[ref]!;
        lo = ringLo[ref]!;
        pos += 18;
        break;
      }
      default:
        hi = ringHi[(win >>> 23) & 127]!;
        lo = ringLo[(win >>> 23) & 127]!;
        pos += 9;
    }
    if (bits > 0) {
      let mh = 0;
      let ml: number;
      if (bits > 32) {
        mh = peek32(words, pos) >>> (64 - bits);
        ml = peek32(words, pos + bits - 32);
      } else {
        ml = peek32(words, pos) >>> (32 - bits);
      }
      pos += bits;
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
    current = (current + 1) & 127;
    ringHi[current] = hi;
    ringLo[current] = lo;
    if (pos > limit) throw new CorruptDataError(`CHIMP stream of ${limit} bits ends inside value ${n}`);
    if (lo === 0 && hi === endHi && count === undefined && isClosingMarker(words, pos, limit)) break;
    if (2 * n === out.length) {
      if (count !== undefined) break;
      out = grow(out);
    }
    out[2 * n] = lo;
    out[2 * n + 1] = hi;
    n++;
  }
  if (count !== undefined && pos >= limit)
    throw new CorruptDataError(`CHIMP stream of ${limit} bits ends inside value ${n}`);
  return 2 * n === out.length ? out : out.slice(0, 2 * n);
}

function grow(out: Int32Array): Int32Array {
  const next = new Int32Array(out.length * 2);
  next.set(out);
  return next;
}

/** Writes `n` bits of the 64-bit `xh:xl` shifted right by `shift` (0 < shift < 64). */
function writeShifted(w: BitWriter, xh: number, xl: number, shift: number, n: number): void {
  if (shift >= 32) w.write(xh >>> (shift - 32), n);
  else w.write64(xh >>> shift, (xl >>> shift) | (xh << (32 - shift)), n);
}

export const chimpInt32Codec: ValueCodec<Int32Array> = {
  encode(values, from, to, out) {
    encodeChimp32(values, from, to, CHIMP_END_INT32, out);
  },
  decode(bytes, start, end, count) {
    return decodeChimp32(bytes, start, end, CHIMP_END_INT32, count);
  },
};

export const chimpFloatCodec: ValueCodec<Float32Array> = {
  encode(values, from, to, out) {
    encodeChimp32(new Int32Array(values.buffer, values.byteOffset, values.length), from, to, GORILLA_END_FLOAT, out);
  },
  decode(bytes, start, end, count) {
    const bits = decodeChimp32(bytes, start, end, GORILLA_END_FLOAT, count);
    return new Float32Array(bits.buffer, bits.byteOffset, bits.length);
  },
};

export const chimpInt64Codec: ValueCodec<BigInt64Array> = {
  encode(values, from, to, out) {
    encodeChimp64(int64Words(values), from, to, CHIMP_END_INT64_HI, out);
  },
  decode(bytes, start, end, count) {
    const words = decodeChimp64(bytes, start, end, CHIMP_END_INT64_HI, count);
    return new BigInt64Array(words.buffer, words.byteOffset, words.length >>> 1);
  },
};

export const chimpDoubleCodec: ValueCodec<Float64Array> = {
  encode(values, from, to, out) {
    const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    encodeChimp64(words, from, to, GORILLA_END_DOUBLE_HI, out);
  },
  decode(bytes, start, end, count) {
    const words = decodeChimp64(bytes, start, end, GORILLA_END_DOUBLE_HI, count);
    return new Float64Array(words.buffer, words.byteOffset, words.length >>> 1);
  },
};

/** CHIMP (TSEncoding 11) for int32, int64, float and double. */
export function chimpCodecs(_options: EncodingOptions): EncodingCodecs {
  return { int32: chimpInt32Codec, int64: chimpInt64Codec, float: chimpFloatCodec, double: chimpDoubleCodec };
}
