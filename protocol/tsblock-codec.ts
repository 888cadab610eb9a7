// Spec: protocol/FORMAT.md, section "TsBlock".
//
//   tsblock    := valueColumnCount:int32be  wireType:u8{valueColumnCount}  positionCount:int32be
//                 encoding:u8{valueColumnCount + 1}  column(time)  column{valueColumnCount}
//   column     := mayHaveNull:u8  [nullBits when mayHaveNull != 0]  body
//   nullBits   := ceil(n / 8) bytes; position i is byte i >> 3, mask 0x80 >> (i & 7); 1 = null
//   body       := BYTE_ARRAY (0)   ceil(n / 8) bytes, one bit per position, same bit order
//               | INT32_ARRAY (1)  int32be per non-null position (FLOAT as its IEEE bits)
//               | INT64_ARRAY (2)  int64be per non-null position (DOUBLE as its IEEE bits)
//               | BINARY_ARRAY (3) (int32be length, bytes) per non-null position
//               | RLE (4)          innerEncoding:u8  column(1 position), repeated n times
//   wireType   := BOOLEAN 0 | INT32 1 (also DATE) | INT64 2 (also TIMESTAMP) | FLOAT 3
//               | DOUBLE 4 | TEXT 5 (also STRING, BLOB)
//
// The time column is INT64_ARRAY with mayHaveNull = 0. Each element of `queryResult` in
// the V2 responses is one tsblock; the server never sends one with zero positions (the
// clients read position 0 of every block they are given).

import type { DataType, ValueKind } from '../tsfile/data-type.js';
import { allocateColumn, DataType as DataTypes, isValueDataType, valueKind } from '../tsfile/data-type.js';
import type { FixedColumn } from './column-bytes.js';
import { gatherFixed, readLengthPrefixed, scatterFixed } from './column-bytes.js';
import { PayloadError } from './payload-error.js';
import type { ResultBlock, ResultColumn } from './result-block.js';

/** TsBlock column encodings, by wire byte. */
export const ColumnEncoding = {
  BYTE_ARRAY: 0,
  INT32_ARRAY: 1,
  INT64_ARRAY: 2,
  BINARY_ARRAY: 3,
  RLE: 4,
} as const;
export type ColumnEncoding = (typeof ColumnEncoding)[keyof typeof ColumnEncoding];

const WIRE_TYPE: Record<ValueKind, DataType> = {
  boolean: DataTypes.BOOLEAN,
  int32: DataTypes.INT32,
  int64: DataTypes.INT64,
  float: DataTypes.FLOAT,
  double: DataTypes.DOUBLE,
  binary: DataTypes.TEXT,
};

const ENCODING_OF: Record<ValueKind, ColumnEncoding> = {
  boolean: ColumnEncoding.BYTE_ARRAY,
  int32: ColumnEncoding.INT32_ARRAY,
  float: ColumnEncoding.INT32_ARRAY,
  int64: ColumnEncoding.INT64_ARRAY,
  double: ColumnEncoding.INT64_ARRAY,
  binary: ColumnEncoding.BINARY_ARRAY,
};

/**
 * The type code a column of `type` carries inside a TsBlock. Released clients accept
 * only these six: DATE travels as INT32, TIMESTAMP as INT64, STRING and BLOB as TEXT; the
 * logical type reaches the client through the response's dataTypeList.
 */
export function tsBlockWireType(type: DataType): DataType {
  return WIRE_TYPE[valueKind(type)];
}

/** Encodes rows [from, to) of a result block as one TsBlock; zero rows is a RangeError. */
export function encodeTsBlock(block: ResultBlock, from = 0, to = block.rowCount): Buffer {
  const n = to - from;
  if (from < 0 || to > block.rowCount || n <= 0) {
    throw new RangeError(`a TsBlock needs at least one row: rows ${from}..${to} of a ${block.rowCount}-row block`);
  }
  const columns = block.columns;
  const count = columns.length;
  const nullBytes = (n + 7) >> 3;

  // Pass 1: the bodies of fixed-width columns are built now (they also give the sizes).
  const bodies = new Array<Buffer | null>(count).fill(null);
  const hasNulls = new Array<boolean>(count).fill(false);
  let total = 4 + count + 4 + count + 1 + 1 + 8 * n;
  for (let j = 0; j < count; j++) {
    const column = columns[j]!;
    const kind = valueKind(column.type);
    let present = n;
    if (column.nulls !== null) for (let i = from; i < to; i++) present -= column.nulls[i] === 1 ? 1 : 0;
    hasNulls[j] = present !== n;
    total += 1 + (hasNulls[j] ? nullBytes : 0);
    if (kind === 'boolean') {
      total += nullBytes;
    } else if (kind === 'binary') {
      const texts = column.values as Uint8Array[];
      total += 4 * present;
      for (let i = from; i < to; i++) if (!isNull(column, i)) total += texts[i]!.length;
    } else {
      const width = kind === 'int32' || kind === 'float' ? 4 : 8;
      const body = gatherFixed(
        column.values as FixedColumn,
        from,
        n,
        width,
        hasNulls[j] ? column.nulls : null,
        present,
      );
      bodies[j] = body;
      total += body.length;
    }
  }

  const out = Buffer.alloc(total);
  let pos = out.writeInt32BE(count, 0);
  for (const column of columns) out[pos++] = tsBlockWireType(column.type);
  pos = out.writeInt32BE(n, pos);
  out[pos++] = ColumnEncoding.INT64_ARRAY;
  for (const column of columns) out[pos++] = ENCODING_OF[valueKind(column.type)];

  out[pos++] = 0;
  const timeBody = gatherFixed(block.times, from, n, 8, null, n);
  out.set(timeBody, pos);
  pos += timeBody.length;

  for (let j = 0; j < count; j++) {
    const column = columns[j]!;
    if (hasNulls[j]) {
      out[pos++] = 1;
      // `out` is zero-filled, so only the null bits are set.
      for (let i = 0; i < n; i++) if (column.nulls![from + i] === 1) out[pos + (i >> 3)]! |= 0x80 >> (i & 7);
      pos += nullBytes;
    } else {
      out[pos++] = 0;
    }
    const kind = valueKind(column.type);
    if (kind === 'boolean') {
      const flags = column.values as Uint8Array;
      for (let i = 0; i < n; i++)
        if (flags[from + i] && !isNull(column, from + i)) out[pos + (i >> 3)]! |= 0x80 >> (i & 7);
      pos += nullBytes;
    } else if (kind === 'binary') {
      const texts = column.values as Uint8Array[];
      for (let i = from; i < to; i++) {
        if (isNull(column, i)) continue;
        const text = texts[i]!;
        pos = out.writeInt32BE(text.length, pos);
        out.set(text, pos);
        pos += text.length;
      }
    } else {
      const body = bodies[j]!;
      out.set(body, pos);
      pos += body.length;
    }
  }
  return out;
}

/**
 * Decodes one TsBlock. `types`, when given (the response's dataTypeList for the block's
 * columns), relabels each column with its logical type, which must have the wire type's
 * value class (DATE for INT32, STRING or BLOB for TEXT, ...). RLE columns are expanded.
 */
export function decodeTsBlock(bytes: Uint8Array, types?: readonly DataType[]): ResultBlock {
  const reader = new BlockReader(bytes);
  const count = reader.int32();
  if (count < 0 || count > reader.remaining) throw new PayloadError(`TsBlock claims ${count} value columns`);
  const wireTypes: DataType[] = [];
  for (let j = 0; j < count; j++) wireTypes.push(checkWireType(reader.u8(), j));
  const n = reader.int32();
  if (n < 0) throw new PayloadError(`TsBlock claims ${n} positions`);
  const encodings: number[] = [];
  for (let j = 0; j <= count; j++) encodings.push(reader.u8());
  if (types !== undefined && types.length !== count) {
    throw new PayloadError(`TsBlock has ${count} value columns, ${types.length} types were expected`);
  }

  const time = readColumn(reader, encodings[0]!, DataTypes.INT64, n, TIME_COLUMN);
  const columns: ResultColumn[] = [];
  for (let j = 0; j < count; j++) {
    const wire = wireTypes[j]!;
    let type = wire;
    if (types !== undefined) {
      type = types[j]!;
      if (valueKind(type) !== valueKind(wire)) {
        throw new PayloadError(`TsBlock column ${j} has wire type ${wire}, which cannot hold type ${type}`);
      }
    }
    const column = readColumn(reader, encodings[j + 1]!, type, n, `column ${j}`);
    columns.push(column);
  }
  if (reader.remaining !== 0) throw new PayloadError(`TsBlock has ${reader.remaining} bytes after its last column`);
  return { times: time.values as BigInt64Array, columns, rowCount: n };
}

const TIME_COLUMN = 'time column';

function isNull(column: ResultColumn, row: number): boolean {
  return column.nulls !== null && column.nulls[row] === 1;
}

function checkWireType(code: number, j: number): DataType {
  if (isValueDataType(code)) return code;
  // IoTDB 1.3 sends only the six basic types; logical types are accepted from other servers.
  throw new PayloadError(`TsBlock column ${j} has unknown type code ${code}`);
}

function readColumn(reader: BlockReader, encoding: number, type: DataType, n: number, what: string): ResultColumn {
  const kind = valueKind(type);
  if (encoding === ColumnEncoding.RLE) {
    const inner = reader.u8();
    if (inner === ColumnEncoding.RLE) throw new PayloadError(`${what}: nested RLE`);
    return repeat(readColumn(reader, inner, type, 1, what), n);
  }
  if (encoding !== ENCODING_OF[kind]) {
    throw new PayloadError(`${what}: encoding ${encoding} cannot hold ${kind} values`);
  }
  const nullBytes = (n + 7) >> 3;
  let nulls: Uint8Array | null = null;
  let present = n;
  if (reader.u8() !== 0) {
    if (what === TIME_COLUMN) throw new PayloadError('TsBlock time column announces nulls');
    const bits = reader.bytes(nullBytes);
    for (let i = 0; i < n; i++) {
      if ((bits[i >> 3]! & (0x80 >> (i & 7))) === 0) continue;
      nulls ??= new Uint8Array(n);
      nulls[i] = 1;
      present--;
    }
  }
  const values = allocateColumn(type, n);
  const rowOf = nulls === null ? null : new Int32Array(present);
  if (nulls !== null) for (let i = 0, k = 0; i < n; i++) if (nulls[i] === 0) rowOf![k++] = i;

  if (kind === 'boolean') {
    const bits = reader.bytes(nullBytes);
    const out = values as Uint8Array;
    for (let i = 0; i < n; i++) out[i] = (bits[i >> 3]! >> (7 - (i & 7))) & 1;
  } else if (kind === 'binary') {
    const run = reader.lengthPrefixed(present, what);
    const out = values as Uint8Array[];
    for (let k = 0; k < present; k++) out[rowOf === null ? k : rowOf[k]!] = run[k]!;
  } else {
    const width = kind === 'int32' || kind === 'float' ? 4 : 8;
    scatterFixed(reader.bytes(present * width), values as FixedColumn, rowOf, present, width);
  }
  return { type, values, nulls };
}

/** Expands a one-position column to n positions. */
function repeat(single: ResultColumn, n: number): ResultColumn {
  const values = allocateColumn(single.type, n);
  if (Array.isArray(values)) values.fill((single.values as Uint8Array[])[0]!);
  else (values as Float64Array).fill((single.values as Float64Array)[0]!);
  const nulls = single.nulls !== null ? new Uint8Array(n).fill(1) : null;
  return { type: single.type, values, nulls };
}

/** A bounds-checked cursor whose failures are PayloadErrors. */
class BlockReader {
  private pos = 0;
  private readonly buf: Buffer;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (n > this.buf.length - this.pos) {
      throw new PayloadError(`TsBlock truncated: need ${n} bytes at offset ${this.pos}, ${this.remaining} left`);
    }
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** The next `count` (int32be length, bytes) values, copied out. */
  lengthPrefixed(count: number, what: string): Uint8Array[] {
    const run = readLengthPrefixed(this.buf, this.pos, count, what);
    this.pos = run.end;
    return run.values;
  }

  /** A view of the next n bytes. */
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}
