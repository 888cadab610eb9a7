// Format: tsfile/FORMAT.md § Encodings / PLAIN
import type { BinaryColumn, BooleanColumn, DoubleColumn, FloatColumn, Int32Column, Int64Column } from '../data-type.js';
import { CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import type { EncodingCodecs, EncodingOptions, ValueCodec } from './value-codec.js';

/**
 * Values one after another: BOOLEAN one byte (0 or 1), INT32 a zigzag varint (not four
 * bytes), INT64 / FLOAT / DOUBLE big-endian, binary a zigzag varint length then the bytes.
 * NaN is written in Java's canonical form, as `floatToIntBits` / `doubleToLongBits` do.
 */

const FLOAT_NAN_BITS = 0x7fc00000;
const DOUBLE_NAN_HIGH_BITS = 0x7ff80000;

/** A fresh, aligned copy of `bytes[start, end)` as a Buffer over its own ArrayBuffer. */
function copyOut(bytes: Uint8Array, start: number, end: number): Buffer {
  const copy = Buffer.from(new ArrayBuffer(end - start));
  copy.set(bytes.subarray(start, end));
  return copy;
}

/** Copies the native (little-endian) bytes of `view` into `out`, for a byte swap in place. */
function writeNativeBytes(view: Uint8Array, out: ByteWriter): Buffer {
  out.ensure(view.length);
  const at = out.position();
  const raw = out.raw();
  raw.set(view, at);
  out.advance(view.length);
  return raw.subarray(at, at + view.length);
}

function checkMultiple(start: number, end: number, size: number, what: string): number {
  if ((end - start) % size !== 0) {
    throw new CorruptDataError(`PLAIN ${what} page of ${end - start} bytes is not a multiple of ${size}`);
  }
  return (end - start) / size;
}

export const plainBooleanCodec: ValueCodec<BooleanColumn> = {
  encode(values, from, to, out) {
    out.ensure(to - from);
    const raw = out.raw();
    let p = out.position();
    for (let i = from; i < to; i++) raw[p++] = values[i] !== 0 ? 1 : 0;
    out.advance(to - from);
  },
  decode(bytes, start, end) {
    const out = new Uint8Array(end - start);
    for (let i = start; i < end; i++) out[i - start] = bytes[i] !== 0 ? 1 : 0;
    return out;
  },
};

export const plainInt32Codec: ValueCodec<Int32Column> = {
  encode(values, from, to, out) {
    out.ensure(5 * (to - from));
    const raw = out.raw();
    const start = out.position();
    let p = start;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      let u = ((v << 1) ^ (v >> 31)) >>> 0;
      while (u > 0x7f) {
        raw[p++] = (u & 0x7f) | 0x80;
        u >>>= 7;
      }
      raw[p++] = u;
    }
    out.advance(p - start);
  },
  decode(bytes, start, end) {
    // Every varint takes at least one byte: the range bounds the count.
    const out = new Int32Array(end - start);
    let n = 0;
    let p = start;
    while (p < end) {
      let u = 0;
      let shift = 0;
      for (;;) {
        if (p >= end) throw new CorruptDataError(`PLAIN INT32 varint truncated at offset ${p}`);
        const b = bytes[p++]!;
        if (shift === 28 && b > 0x0f) throw new CorruptDataError(`PLAIN INT32 varint too long at offset ${p - 1}`);
        u |= (b & 0x7f) << shift;
        if ((b & 0x80) === 0) break;
        shift += 7;
      }
      out[n++] = (u >>> 1) ^ -(u & 1);
    }
    return n === out.length ? out : out.slice(0, n);
  },
};

export const plainInt64Codec: ValueCodec<Int64Column> = {
  encode(values, from, to, out) {
    const view = new Uint8Array(values.buffer, values.byteOffset + 8 * from, 8 * (to - from));
    writeNativeBytes(view, out).swap64();
  },
  decode(bytes, start, end) {
    checkMultiple(start, end, 8, 'INT64');
    const copy = copyOut(bytes, start, end).swap64();
    return new BigInt64Array(copy.buffer, copy.byteOffset, copy.length / 8);
  },
};

export const plainFloatCodec: ValueCodec<FloatColumn> = {
  encode(values, from, to, out) {
    const view = new Uint8Array(values.buffer, values.byteOffset + 4 * from, 4 * (to - from));
    const written = writeNativeBytes(view, out).swap32();
    for (let i = from; i < to; i++) {
      if (Number.isNaN(values[i]!)) written.writeInt32BE(FLOAT_NAN_BITS, 4 * (i - from));
    }
  },
  decode(bytes, start, end) {
    checkMultiple(start, end, 4, 'FLOAT');
    const copy = copyOut(bytes, start, end).swap32();
    return new Float32Array(copy.buffer, copy.byteOffset, copy.length / 4);
  },
};

export const plainDoubleCodec: ValueCodec<DoubleColumn> = {
  encode(values, from, to, out) {
    const view = new Uint8Array(values.buffer, values.byteOffset + 8 * from, 8 * (to - from));
    const written = writeNativeBytes(view, out).swap64();
    for (let i = from; i < to; i++) {
      if (Number.isNaN(values[i]!)) {
        written.writeInt32BE(DOUBLE_NAN_HIGH_BITS, 8 * (i - from));
        written.writeInt32BE(0, 8 * (i - from) + 4);
      }
    }
  },
  decode(bytes, start, end) {
    checkMultiple(start, end, 8, 'DOUBLE');
    const copy = copyOut(bytes, start, end).swap64();
    return new Float64Array(copy.buffer, copy.byteOffset, copy.length / 8);
  },
};

/**
 * Reads the zigzag varint length at `p` into `span` as [value start, value end]; the value
 * must fit before `end`.
 */
function readSpan(bytes: Uint8Array, p: number, end: number, span: Int32Array): void {
  let u = 0;
  for (let shift = 0; ; shift += 7) {
    if (p >= end) throw new CorruptDataError(`PLAIN binary length truncated at offset ${p}`);
    const b = bytes[p++]!;
    if (shift === 28 && b > 0x0f) throw new CorruptDataError(`PLAIN binary length too long at offset ${p - 1}`);
    u |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
  }
  const length = (u >>> 1) ^ -(u & 1);
  if (length < 0 || length > end - p) {
    throw new CorruptDataError(`PLAIN binary length ${length} at offset ${p} exceeds the page`);
  }
  span[0] = p;
  span[1] = p + length;
}

const span = new Int32Array(2);

export const plainBinaryCodec: ValueCodec<BinaryColumn> = {
  encode(values, from, to, out) {
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      const n = v.length;
      if (n > 32) {
        out.writeVarInt(n);
        out.writeBytes(v);
        continue;
      }
      // Short values: a byte loop beats the native copy's call overhead.
      out.ensure(1 + n);
      const raw = out.raw();
      let p = out.position();
      raw[p++] = n << 1;
      for (let k = 0; k < n; k++) raw[p++] = v[k]!;
      out.advance(1 + n);
    }
  },
  decode(bytes, start, end) {
    let count = 0;
    for (let p = start; p < end; count++) {
      readSpan(bytes, p, end, span);
      p = span[1]!;
    }
    // One copy of the page; the values are views into it, so they outlive the page buffer.
    const copy = new Uint8Array(end - start);
    copy.set(bytes.subarray(start, end));
    const out = new Array<Uint8Array>(count);
    for (let p = 0, i = 0; i < count; i++) {
      readSpan(copy, p, copy.length, span);
      out[i] = copy.subarray(span[0]!, span[1]!);
      p = span[1]!;
    }
    return out;
  },
};

export function plainCodecs(_options: EncodingOptions): EncodingCodecs {
  return {
    boolean: plainBooleanCodec,
    int32: plainInt32Codec,
    int64: plainInt64Codec,
    float: plainFloatCodec,
    double: plainDoubleCodec,
    binary: plainBinaryCodec,
  };
}
