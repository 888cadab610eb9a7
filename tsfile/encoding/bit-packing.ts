// Format: tsfile/FORMAT.md § Encodings / Bit packing
/**
 * Fixed-width bit packing as TsFile lays it out (IoTDB's IntPacker / LongPacker, and the
 * block bodies of TS_2DIFF): values of `width` bits are written one after another, most
 * significant bit first, into a big-endian bit stream that starts on a byte boundary. Eight
 * values of `width` bits fill exactly `width` bytes, which is why RLE and SPRINTZ pack in
 * groups of eight; TS_2DIFF packs any count and pads the last byte with zero bits.
 *
 * 32-bit values are plain numbers (their low `width` bits are used). 64-bit values travel as
 * Int32Array word pairs, low word first, the layout `int64Words` gives a BigInt64Array:
 * value i is `words[2i]` (low) and `words[2i + 1]` (high).
 *
 * Callers guarantee that every value fits in `width` bits; bits above `width` are ignored.
 */

/** Values in one packed group: eight values of `width` bits occupy `width` bytes. */
export const PACK_GROUP_VALUES = 8;

/**
 * The most values one page may decode to. Run-length and delta pages can describe far more
 * values than they have bytes, so a corrupt count would otherwise ask for gigabytes; no
 * TsFile writer puts more than a few hundred thousand points in a page.
 */
export const PAGE_VALUES_MAX = 1 << 24;

/** Bytes that `count` values of `width` bits occupy once packed. */
export function packedByteLength(count: number, width: number): number {
  return Math.ceil((count * width) / 8);
}

/** The number of significant bits of an int32 read as unsigned (0 for 0, 32 for negatives). */
export function bitWidth32(v: number): number {
  return 32 - Math.clz32(v);
}

/** The number of significant bits of a 64-bit value given as halves, read as unsigned. */
export function bitWidth64(hi: number, lo: number): number {
  return hi !== 0 ? 64 - Math.clz32(hi) : 32 - Math.clz32(lo);
}

/**
 * Packs `values[from, from + count)` at `width` bits each (0..32) into `out` from byte
 * `outOffset`; returns the bytes written, `ceil(count * width / 8)`. The pad bits of the last
 * byte are zero.
 */
export function packBits32(
  values: ArrayLike<number>,
  from: number,
  count: number,
  width: number,
  out: Uint8Array,
  outOffset: number,
): number {
  if (width === 0 || count === 0) return 0;
  let p = outOffset;
  // `acc` holds `bits` (< 8 between values) pending bits in its low end; higher bits are
  // stale and never read, because bytes are taken with `>>>` from the pending window.
  let acc = 0;
  let bits = 0;
  const end = from + count;
  if (width <= 24) {
    const mask = (1 << width) - 1;
    for (let i = from; i < end; i++) {
      acc = (acc << width) | (values[i]! & mask);
      bits += width;
      while (bits >= 8) {
        bits -= 8;
        out[p++] = acc >>> bits;
      }
    }
  } else {
    // A 25..32-bit value plus up to 7 pending bits overflows 32 bits: push it in two parts.
    const hiBits = width - 16;
    const hiMask = (1 << hiBits) - 1;
    for (let i = from; i < end; i++) {
      const v = values[i]!;
      acc = (acc << hiBits) | ((v >>> 16) & hiMask);
      bits += hiBits;
      while (bits >= 8) {
        bits -= 8;
        out[p++] = acc >>> bits;
      }
      acc = (acc << 16) | (v & 0xffff);
      bits += 16;
      while (bits >= 8) {
        bits -= 8;
        out[p++] = acc >>> bits;
      }
    }
  }
  if (bits > 0) out[p++] = acc << (8 - bits);
  return p - outOffset;
}

/**
 * Unpacks `count` values of `width` bits (0..32) from `bytes` at byte `offset` into
 * `out[outOffset, outOffset + count)`. Values are unsigned except at width 32, where the
 * int32 bit pattern is stored. Reads exactly `ceil(count * width / 8)` bytes; the caller
 * checks they exist.
 */
export function unpackBits32(
  bytes: Uint8Array,
  offset: number,
  count: number,
  width: number,
  out: Int32Array,
  outOffset: number,
): void {
  const end = outOffset + count;
  if (width === 0) {
    out.fill(0, outOffset, end);
    return;
  }
  let p = offset;
  let acc = 0;
  let bits = 0;
  if (width <= 24) {
    // At most width + 7 <= 31 pending bits, so one int32 holds them.
    const mask = (1 << width) - 1;
    for (let i = outOffset; i < end; i++) {
      while (bits < width) {
        acc = (acc << 8) | bytes[p++]!;
        bits += 8;
      }
      bits -= width;
      out[i] = (acc >>> bits) & mask;
    }
    return;
  }
  const hiBits = width - 16;
  const hiMask = (1 << hiBits) - 1;
  for (let i = outOffset; i < end; i++) {
    while (bits < hiBits) {
      acc = (acc << 8) | bytes[p++]!;
      bits += 8;
    }
    bits -= hiBits;
    const hi = (acc >>> bits) & hiMask;
    while (bits < 16) {
      acc = (acc << 8) | bytes[p++]!;
      bits += 8;
    }
    bits -= 16;
    out[i] = (hi << 16) | ((acc >>> bits) & 0xffff);
  }
}

/**
 * Packs the 64-bit values `from .. from + count - 1` of a word view (see the file comment) at
 * `width` bits each (0..64) into `out` from byte `outOffset`; returns the bytes written.
 */
export function packBits64(
  words: Int32Array,
  from: number,
  count: number,
  width: number,
  out: Uint8Array,
  outOffset: number,
): number {
  if (width === 0 || count === 0) return 0;
  if (width <= 32) return packBits32(lowWords(words, from, count), 0, count, width, out, outOffset);
  const w = new BitSink(out, outOffset);
  const hiBits = width - 32;
  for (let i = from; i < from + count; i++) {
    w.put(words[2 * i + 1]!, hiBits);
    w.put(words[2 * i]!, 32);
  }
  return w.finish() - outOffset;
}

/**
 * Unpacks `count` values of `width` bits (0..64) from `bytes` at byte `offset` into value
 * slots `outIndex ..` of a word view. Values narrower than 64 bits are zero-extended.
 */
export function unpackBits64(
  bytes: Uint8Array,
  offset: number,
  count: number,
  width: number,
  outWords: Int32Array,
  outIndex: number,
): void {
  if (width <= 32) {
    const lows = scratch32(count);
    unpackBits32(bytes, offset, count, width, lows, 0);
    for (let i = 0; i < count; i++) {
      outWords[2 * (outIndex + i)] = lows[i]!;
      outWords[2 * (outIndex + i) + 1] = 0;
    }
    return;
  }
  const r = new BitSource(bytes, offset);
  const hiBits = width - 32;
  for (let i = outIndex; i < outIndex + count; i++) {
    outWords[2 * i + 1] = r.take(hiBits);
    outWords[2 * i] = r.take(32);
  }
}

/** Packs eight int32 values (IoTDB's `IntPacker.pack8Values`): writes `width` bytes. */
export function pack8Int32(
  values: ArrayLike<number>,
  from: number,
  width: number,
  out: Uint8Array,
  outOffset: number,
): void {
  packBits32(values, from, PACK_GROUP_VALUES, width, out, outOffset);
}

/** Unpacks eight int32 values (IoTDB's `IntPacker.unpack8Values`): reads `width` bytes. */
export function unpack8Int32(
  bytes: Uint8Array,
  offset: number,
  width: number,
  out: Int32Array,
  outOffset: number,
): void {
  unpackBits32(bytes, offset, PACK_GROUP_VALUES, width, out, outOffset);
}

/** Packs eight 64-bit values of a word view (IoTDB's `LongPacker.pack8Values`): writes `width` bytes. */
export function pack8Int64(words: Int32Array, from: number, width: number, out: Uint8Array, outOffset: number): void {
  packBits64(words, from, PACK_GROUP_VALUES, width, out, outOffset);
}

/** Unpacks eight 64-bit values into a word view (IoTDB's `LongPacker.unpack8Values`): reads `width` bytes. */
export function unpack8Int64(
  bytes: Uint8Array,
  offset: number,
  width: number,
  outWords: Int32Array,
  outIndex: number,
): void {
  unpackBits64(bytes, offset, PACK_GROUP_VALUES, width, outWords, outIndex);
}

let scratch = new Int32Array(256);

function scratch32(count: number): Int32Array {
  if (scratch.length < count) scratch = new Int32Array(Math.max(count, scratch.length * 2));
  return scratch;
}

function lowWords(words: Int32Array, from: number, count: number): Int32Array {
  const lows = scratch32(count);
  for (let i = 0; i < count; i++) lows[i] = words[2 * (from + i)]!;
  return lows;
}

/** A most-significant-first bit writer over a byte array, for the rare wide (> 32 bit) values. */
class BitSink {
  private acc = 0;
  private bits = 0;

  constructor(
    private readonly out: Uint8Array,
    private p: number,
  ) {}

  /** Appends the low `n` bits of `v` (1 <= n <= 32), 16 bits at a time so `acc` never overflows. */
  put(v: number, n: number): void {
    if (n > 16) {
      this.put16(v >>> 16, n - 16);
      this.put16(v & 0xffff, 16);
    } else {
      this.put16(v, n);
    }
  }

  finish(): number {
    if (this.bits > 0) this.out[this.p++] = this.acc << (8 - this.bits);
    this.bits = 0;
    return this.p;
  }

  private put16(v: number, n: number): void {
    this.acc = (this.acc << n) | (v & ((1 << n) - 1));
    this.bits += n;
    while (this.bits >= 8) {
      this.bits -= 8;
      this.out[this.p++] = this.acc >>> this.bits;
    }
  }
}

/** The reading counterpart of BitSink. */
class BitSource {
  private acc = 0;
  private bits = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private p: number,
  ) {}

  /** Reads `n` bits (1 <= n <= 32) as an int32 bit pattern. */
  take(n: number): number {
    if (n > 16) {
      const hi = this.take16(n - 16);
      return (hi << 16) | this.take16(16);
    }
    return this.take16(n);
  }

  private take16(n: number): number {
    while (this.bits < n) {
      this.acc = (this.acc << 8) | this.bytes[this.p++]!;
      this.bits += 8;
    }
    this.bits -= n;
    return (this.acc >>> this.bits) & ((1 << n) - 1);
  }
}
