import type {
  BinaryColumn,
  BooleanColumn,
  DoubleColumn,
  FloatColumn,
  Int32Column,
  Int64Column,
  ValueKind,
} from '../data-type.js';
import type { ByteWriter } from '../io/byte-writer.js';

/**
 * One encoding for one value kind. Both directions work on a whole page: TsFile flushes an
 * encoder at the end of every page, so an encoder's state never crosses a page boundary.
 *
 * - `encode(values, from, to, out)` appends the encoding of `values[from, to)` to `out`,
 *   including whatever the reference encoder's `flush` writes at the end of a page.
 * - `decode(bytes, start, end, count?)` decodes the values stored in `bytes[start, end)`;
 *   `count`, when known (a page has one value per time), is how many there are, which
 *   matters to encodings that end a page with a marker value (GORILLA, CHIMP). Without it (a page
 *   does not record its value count for single-page chunks, so decoders read until the
 *   range is exhausted, as the reference decoders' `hasNext` does). Malformed input throws
 *   `CorruptDataError`, never loops forever.
 */
export interface ValueCodec<C> {
  encode(values: C, from: number, to: number, out: ByteWriter): void;
  decode(bytes: Uint8Array, start: number, end: number, count?: number): C;
  /** How the reference writer sizes a page being filled with this encoding, where it is modelled. */
  readonly referenceSize?: ReferencePageSize;
}

/**
 * What the reference writer counts as a page's size while it fills the page (its size
 * check): the bytes its encoder has already written out, plus the encoder's own bound on
 * what it still holds (Java's `getMaxByteSize`). Where a page ends changes the values read
 * back for encodings that carry state across a page (RLBE sums rounded differences, SPRINTZ
 * predicts within blocks), so for those the writer cuts pages exactly where the reference
 * does.
 */
export interface ReferencePageSize {
  /**
   * Whether the values read back depend on where pages end. Only then does the writer
   * follow the reference's decisions exactly: doing so costs encoding work at every check.
   */
  readonly readBackDependsOnPages: boolean;
  /** How many of a page's first `count` values the reference encoder has written out. */
  flushedValues(count: number): number;
  /** The encoder's bound on the bytes it still holds after `count` values of a page. */
  heldBytesMax(count: number): number;
}

export interface ColumnByKind {
  boolean: BooleanColumn;
  int32: Int32Column;
  int64: Int64Column;
  float: FloatColumn;
  double: DoubleColumn;
  binary: BinaryColumn;
}

/** The codecs one encoding offers, by value kind; a missing kind is unsupported. */
export type EncodingCodecs = { readonly [K in ValueKind]?: ValueCodec<ColumnByKind[K]> };

/** Encoder settings TsFile takes from its configuration. */
export interface EncodingOptions {
  /** Decimal places kept by RLE and TS_2DIFF for FLOAT/DOUBLE (IoTDB's `max_point_number`, default 2). */
  readonly maxPointNumber: number;
}

export const DEFAULT_ENCODING_OPTIONS: EncodingOptions = { maxPointNumber: 2 };
