// Format: tsfile/FORMAT.md § Encodings (bit order shared by GORILLA, CHIMP and RLBE)
import { CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';

/**
 * Bits written most significant first, packed into bytes in order, the way every TsFile
 * bit-level encoder lays them out. Bits gather in a 32-bit accumulator and leave it a whole
 * word at a time, straight into the output's buffer, which keeps the per-value cost to a
 * few integer operations. Nothing else may write to `out` until `flush`.
 */
export class BitWriter {
  private buf: Uint8Array;
  /** Where `out`'s committed bytes end: bytes from here to `pos` are written, not yet committed. */
  private base: number;
  private pos: number;
  /** Pending bits, right-aligned; only the low `accBits` bits are ever set. */
  private acc = 0;
  private accBits = 0;

  /** `expectedBytes` sizes the output once, up front (it may still grow). */
  constructor(
    private readonly out: ByteWriter,
    expectedBytes = 64,
  ) {
    out.ensure(Math.max(16, expectedBytes));
    this.buf = out.raw();
    this.base = out.position();
    this.pos = this.base;
  }

  /** Appends the low `n` bits of `v` (1 <= n <= 32). */
  write(v: number, n: number): void {
    v = (v << (32 - n)) >>> (32 - n);
    const free = 32 - this.accBits;
    if (n < free) {
      this.acc = (this.acc << n) | v;
      this.accBits += n;
      return;
    }
    const rem = n - free;
    // When the accumulator is empty `free` is 32, a shift JS reduces to 0; acc is 0 then.
    this.putWord((this.acc << free) | (v >>> rem));
    this.acc = v & ((1 << rem) - 1);
    this.accBits = rem;
  }

  /** Appends a 64-bit value given as halves, its low `n` bits (1 <= n <= 64). */
  write64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.write(hi, n - 32);
      this.write(lo, 32);
    } else {
      this.write(lo, n);
    }
  }

  /**
   * Pads the last byte with zero bits and commits every byte to the output. With
   * `byteEvenIfAligned` a zero byte is written even when the bits end on a byte boundary,
   * as the GORILLA and CHIMP encoders do (their decoders fetch one byte ahead). The writer
   * may go on writing afterwards, from the next byte.
   */
  flush(byteEvenIfAligned = false): void {
    const bits = this.accBits;
    this.reserve(5);
    const buf = this.buf;
    if (bits > 0) {
      const word = this.acc << (32 - bits);
      const bytes = (bits + 7) >>> 3;
      for (let i = 0; i < bytes; i++) buf[this.pos++] = (word >>> (24 - 8 * i)) & 0xff;
    }
    if (byteEvenIfAligned && (bits & 7) === 0) buf[this.pos++] = 0;
    this.out.advance(this.pos - this.base);
    this.base = this.pos;
    this.acc = 0;
    this.accBits = 0;
  }

  private putWord(word: number): void {
    if (this.pos + 4 > this.buf.length) this.reserve(4);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = word >>> 24;
    buf[p + 1] = (word >>> 16) & 0xff;
    buf[p + 2] = (word >>> 8) & 0xff;
    buf[p + 3] = word & 0xff;
    this.pos = p + 4;
  }

  /**
   * Room for `n` more bytes. The output may move to a larger buffer and copies only what
   * it holds, so the whole bytes written so far are committed first.
   */
  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.out.advance(this.pos - this.base);
    this.base = this.pos;
    this.out.ensure(n);
    this.buf = this.out.raw();
  }
}

/** Zero words past the data so a read that starts before the end never leaves the array. */
const PADDING_WORDS = 4;

/**
 * The bytes `[start, end)` as big-endian 32-bit words, followed by zero padding. Readers
 * peek 32-bit windows anywhere in it and check their position against the bit count.
 */
export function toBigEndianWords(bytes: Uint8Array, start: number, end: number): Int32Array {
  checkRange(bytes, start, end);
  const words = new Int32Array(((end - start + 3) >>> 2) + PADDING_WORDS);
  fillWords(words, bytes, start, end);
  return words;
}

let scratch = new Int32Array(1024);
/** Pages up to this size reuse one word buffer; a larger one is not kept alive afterwards. */
const SCRATCH_WORDS_MAX = 1 << 21;

/**
 * Like `toBigEndianWords`, but the result is a shared buffer that the next call reuses:
 * only for a decoder that reads it to the end before it returns or calls anything else
 * that may decode. It saves allocating and zeroing a buffer the size of every page.
 */
export function borrowBigEndianWords(bytes: Uint8Array, start: number, end: number): Int32Array {
  checkRange(bytes, start, end);
  const need = ((end - start + 3) >>> 2) + PADDING_WORDS;
  let words = scratch;
  if (need > words.length) {
    words = new Int32Array(Math.max(need, 2 * words.length));
    if (words.length <= SCRATCH_WORDS_MAX) scratch = words;
  }
  fillWords(words, bytes, start, end);
  return words;
}

function checkRange(bytes: Uint8Array, start: number, end: number): void {
  if (start < 0 || end > bytes.length || start > end) throw new CorruptDataError(`bad range ${start}..${end}`);
}

function fillWords(words: Int32Array, bytes: Uint8Array, start: number, end: number): void {
  const n = end - start;
  const count = (n + 3) >>> 2;
  words.fill(0, Math.max(count - 1, 0), count + PADDING_WORDS);
  // A byte copy then an in-place swap beats assembling words from single bytes by about 2x.
  new Uint8Array(words.buffer, 0, n).set(bytes.subarray(start, end));
  if (LITTLE_ENDIAN) {
    for (let i = 0; i < count; i++) {
      const x = words[i]!;
      words[i] = (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
    }
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The 32 bits starting at bit `pos` of a word array (bit 0 is the top bit of word 0). */
export function peek32(words: Int32Array, pos: number): number {
  const o = pos & 31;
  const w = pos >>> 5;
  return o === 0 ? words[w]! : (words[w]! << o) | (words[w + 1]! >>> (32 - o));
}

/**
 * A bounds-checked cursor over bits, most significant first. Reading past the end throws
 * `CorruptDataError`; a read never loops, so malformed input cannot hang a decoder.
 */
export class BitReader {
  readonly words: Int32Array;
  pos = 0;
  readonly limit: number;

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.words = toBigEndianWords(bytes, start, end);
    this.limit = (end - start) * 8;
  }

  get remaining(): number {
    return this.limit - this.pos;
  }

  /** Reads `n` bits (0 <= n <= 32) as an unsigned number. */
  read(n: number): number {
    if (n === 0) return 0;
    const pos = this.pos;
    if (pos + n > this.limit) throw this.truncated(n);
    this.pos = pos + n;
    return peek32(this.words, pos) >>> (32 - n);
  }

  readBit(): number {
    const pos = this.pos;
    if (pos >= this.limit) throw this.truncated(1);
    this.pos = pos + 1;
    return (this.words[pos >>> 5]! >>> (31 - (pos & 31))) & 1;
  }

  /** Skips to the next byte boundary. */
  alignToByte(): void {
    this.pos = Math.min(this.limit, (this.pos + 7) & ~7);
  }

  truncated(n: number): CorruptDataError {
    return new CorruptDataError(`bit stream ends after ${this.limit} bits, ${n} more needed at bit ${this.pos}`);
  }
}

/** Number of trailing zero bits of a non-zero int32. */
export function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Leading zeros of the 64-bit value `hi:lo` (64 for zero). */
export function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

/** Trailing zeros of the 64-bit value `hi:lo` (64 for zero). */
export function ctz64(hi: number, lo: number): number {
  if (lo !== 0) return ctz32(lo);
  return hi !== 0 ? 32 + ctz32(hi) : 64;
}
