// Format: tsfile/FORMAT.md § Bloom filter
import { type ByteReader, CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { murmur128 } from './murmur128.js';

const MINIMAL_SIZE = 256;
const MAXIMAL_HASH_FUNCTIONS = 8;
const SEEDS = [5, 7, 11, 19, 31, 37, 43, 59];
const MIN_ERROR_RATE = 0.01;
const MAX_ERROR_RATE = 0.1;

/** The file-level bloom filter over full series paths (`device.measurement`). */
export class BloomFilter {
  private constructor(
    readonly size: number,
    readonly hashFunctions: number,
    private readonly bits: Uint8Array,
  ) {}

  static forPaths(errorRate: number, pathCount: number): BloomFilter {
    const rate = Math.min(MAX_ERROR_RATE, Math.max(MIN_ERROR_RATE, errorRate));
    const ln2 = Math.LN2;
    const size = Math.trunc((-pathCount * Math.log(rate)) / ln2 / ln2) + 1;
    const hashFunctions = Math.trunc(-Math.log(rate) / ln2) + 1;
    const bitCount = Math.max(MINIMAL_SIZE, size);
    return new BloomFilter(
      bitCount,
      Math.min(MAXIMAL_HASH_FUNCTIONS, hashFunctions),
      new Uint8Array((bitCount + 7) >> 3),
    );
  }

  add(path: string): void {
    for (let i = 0; i < this.hashFunctions; i++) {
      const bit = this.position(path, SEEDS[i]!);
      this.bits[bit >> 3]! |= 1 << (bit & 7);
    }
  }

  mightContain(path: string): boolean {
    for (let i = 0; i < this.hashFunctions; i++) {
      const bit = this.position(path, SEEDS[i]!);
      if (bit >> 3 >= this.bits.length || (this.bits[bit >> 3]! & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }

  private position(path: string, seed: number): number {
    let h = Number(BigInt.asIntN(32, murmur128(Buffer.from(path, 'utf8'), seed)));
    if (h === -2147483648) h = 0;
    return Math.abs(h) % this.size;
  }

  /** Java's BitSet.toByteArray: little-endian bytes with trailing zero bytes dropped. */
  write(out: ByteWriter): void {
    let n = this.bits.length;
    while (n > 0 && this.bits[n - 1] === 0) n--;
    out.writeVarUInt(n);
    out.writeBytes(this.bits.subarray(0, n));
    out.writeVarUInt(this.size);
    out.writeVarUInt(this.hashFunctions);
  }

  static read(r: ByteReader): BloomFilter {
    const n = r.readVarUInt();
    const bytes = r.readBytes(n);
    const size = r.readVarUInt();
    const hashFunctions = Math.min(MAXIMAL_HASH_FUNCTIONS, r.readVarUInt());
    if (size <= 0 || n > ((size + 7) >> 3) + 8)
      throw new CorruptDataError(`bloom filter of ${n} bytes for ${size} bits`);
    const bits = new Uint8Array(Math.max((size + 7) >> 3, n));
    bits.set(bytes);
    return new BloomFilter(size, hashFunctions, bits);
  }
}
