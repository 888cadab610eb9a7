// Spec: protocol/FORMAT.md, section "Pipe transfer" (its primitives: string, binary, flag, map).

import type { ByteReader } from '../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../tsfile/io/byte-writer.js';
import { PayloadError } from '../payload-error.js';

const encoder = new TextEncoder();

/** `string := length:int32be utf8{length}` (IoTDB's ReadWriteIOUtils string). */
export function writeString(out: ByteWriter, text: string): void {
  const bytes = encoder.encode(text);
  out.writeInt32(bytes.length);
  out.writeBytes(bytes);
}

/** A string; a negative length (Java's null) or one past the end is a PayloadError. */
export function readString(r: ByteReader, what: string): string {
  return readBinaryView(r, what).toString('utf8');
}

/** `binary := length:int32be bytes{length}`. */
export function writeBinary(out: ByteWriter, bytes: Uint8Array): void {
  out.writeInt32(bytes.length);
  out.writeBytes(bytes);
}

/** A binary as a copy that does not share memory with the request. */
export function readBinary(r: ByteReader, what: string): Uint8Array {
  return new Uint8Array(readBinaryView(r, what));
}

/** A binary as a view of the request's bytes (valid as long as the request is). */
export function readBinaryView(r: ByteReader, what: string): Buffer {
  const at = r.pos;
  if (r.remaining < 4) throw new PayloadError(`${what}: length needs 4 bytes at offset ${at}, ${r.remaining} left`);
  const n = r.readInt32();
  if (n < 0 || n > r.remaining) {
    throw new PayloadError(`${what}: length ${n} at offset ${at} but ${r.remaining} bytes follow`);
  }
  return r.readBytes(n);
}

/** A flag byte: 1 = present / true, 0 = absent / false; anything else is a PayloadError. */
export function readFlag(r: ByteReader, what: string): boolean {
  if (r.remaining < 1) throw new PayloadError(`${what}: flag byte missing at offset ${r.pos}`);
  const b = r.readUInt8();
  if (b > 1) throw new PayloadError(`${what}: flag byte ${b} at offset ${r.pos - 1}, expected 0 or 1`);
  return b === 1;
}

/**
 * A count of items each at least `minItemBytes` long. Checking it against the bytes left
 * keeps a lying count from allocating more than the body could hold.
 */
export function readCount(r: ByteReader, what: string, minItemBytes: number): number {
  const at = r.pos;
  if (r.remaining < 4) throw new PayloadError(`${what}: count needs 4 bytes at offset ${at}, ${r.remaining} left`);
  const n = r.readInt32();
  if (n < 0 || n * minItemBytes > r.remaining) {
    throw new PayloadError(`${what}: count ${n} at offset ${at} cannot fit in the ${r.remaining} bytes left`);
  }
  return n;
}

/** An int64be; bigint so that file offsets and lengths are exact. */
export function readInt64(r: ByteReader, what: string): bigint {
  if (r.remaining < 8) throw new PayloadError(`${what}: needs 8 bytes at offset ${r.pos}, ${r.remaining} left`);
  return r.readBigInt64();
}

/** `map := count:int32be (key:string value:string){count}`, in insertion order. */
export function writeStringMap(out: ByteWriter, map: ReadonlyMap<string, string>): void {
  out.writeInt32(map.size);
  for (const [key, value] of map) {
    writeString(out, key);
    writeString(out, value);
  }
}

export function readStringMap(r: ByteReader, what: string): Map<string, string> {
  const count = readCount(r, what, 8);
  const map = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const key = readString(r, `${what} key ${i}`);
    map.set(key, readString(r, `${what} value of '${key}'`));
  }
  return map;
}

/**
 * IoTDB's null bitmap (bit i of byte i/8, least significant first, 1 = null) as one byte
 * per row; null when no row is null.
 */
export function unpackNullBitmap(bits: Uint8Array, rows: number): Uint8Array | null {
  const mask = new Uint8Array(rows);
  let any = 0;
  for (let i = 0; i < rows; i++) {
    const bit = (bits[i >> 3]! >> (i & 7)) & 1;
    mask[i] = bit;
    any |= bit;
  }
  return any === 0 ? null : mask;
}
