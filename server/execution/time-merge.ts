import type { ResultBlock, ResultColumn } from '../../protocol/result-block.js';
import { sliceColumn } from '../../tsfile/column-ops.js';
import { allocateColumn, type DataType, type ValueKind, valueKind } from '../../tsfile/data-type.js';
import { int64Words } from '../../tsfile/io/int64.js';
import type { ColumnBlock } from '../../tsfile/tablet.js';
import { scatterValues, upperBound } from './column-kernels.js';

/** One series to join: its type and its time-ordered, duplicate-free blocks. */
export interface MergeInput {
  readonly type: DataType;
  readonly blocks: Iterator<ColumnBlock>;
}

/** Below this many rows per series a block is not worth building (many series, sparse times). */
const MIN_SEGMENT_ROWS = 64;

/** Where one series stands: its current block, that block's times as 32-bit halves, a position. */
class Cursor {
  block: ColumnBlock | null = null;
  words: Int32Array<ArrayBufferLike> = new Int32Array(0);
  pos = 0;
  /** End (exclusive) of the rows this series gives to the block being built. */
  end = 0;
  private done = false;

  constructor(private readonly blocks: Iterator<ColumnBlock>) {}

  /** True when the cursor holds unread rows (pulling the next block if needed). */
  ready(): boolean {
    while (!this.done && (this.block === null || this.pos >= this.block.length)) {
      const step = this.blocks.next();
      if (step.done) {
        this.done = true;
        this.block = null;
      } else if (step.value.length > 0) {
        this.block = step.value;
        this.words = int64Words(step.value.times);
        this.pos = 0;
      }
    }
    return this.block !== null;
  }

  close(): void {
    if (!this.done) this.blocks.return?.(undefined);
    this.done = true;
    this.block = null;
  }
}

/**
 * Joins series on time (a full outer join, as IoTDB aligns a raw query by time) into
 * blocks of about `blockRows` rows, one column per input, null where a series has no
 * point at a row's time.
 *
 * Each block covers the times up to a horizon every series has in hand (the earliest
 * end of the series' current blocks), so the join works on whole arrays: when every
 * series holds the same timestamps up to the horizon (tablets written together, aligned
 * devices) the columns are copied as they are; otherwise the union of the timestamps is
 * built by pairwise merges of the time arrays and each column is scattered into it. No
 * per-row objects, no per-row calls.
 */
export function* mergeByTime(inputs: readonly MergeInput[], blockRows: number): Generator<ResultBlock> {
  const cursors = inputs.map((s) => new Cursor(s.blocks));
  const types = inputs.map((s) => s.type);
  const kinds = types.map(valueKind);
  try {
    for (;;) {
      const live: Cursor[] = [];
      for (const c of cursors) {
        c.end = c.pos;
        if (c.ready()) live.push(c);
      }
      if (live.length === 0) return;
      bound(live, blockRows);
      const block = sameTimes(live) ? copyBlock(cursors, types) : unionBlock(cursors, live, types, kinds, blockRows);
      for (const c of live) c.pos = c.end;
      yield block;
    }
  } finally {
    for (const c of cursors) c.close();
  }
}

/** Sets each live cursor's `end`: at most `limit` rows, none after the horizon. */
function bound(live: readonly Cursor[], limit: number): void {
  let hi = 0x7fffffff;
  let lo = 0xffffffff;
  for (const c of live) {
    const last = Math.min(c.block!.length, c.pos + limit) - 1;
    const h = c.words[2 * last + 1]!;
    const l = c.words[2 * last]! >>> 0;
    if (h < hi || (h === hi && l < lo)) {
      hi = h;
      lo = l;
    }
  }
  for (const c of live) c.end = upperBound(c.words, c.pos, Math.min(c.block!.length, c.pos + limit), hi, lo);
}

/** Whether every live cursor gives the same timestamps (and every input is live). */
function sameTimes(live: readonly Cursor[]): boolean {
  const first = live[0]!;
  const n = first.end - first.pos;
  if (n === 0) return false;
  const a = Buffer.from(first.words.buffer, first.words.byteOffset + first.pos * 8, n * 8);
  for (let j = 1; j < live.length; j++) {
    const c = live[j]!;
    if (c.end - c.pos !== n) return false;
    if (!a.equals(Buffer.from(c.words.buffer, c.words.byteOffset + c.pos * 8, n * 8))) return false;
  }
  return true;
}

/** The block when all series share their timestamps: times and columns copied as runs. */
function copyBlock(cursors: readonly Cursor[], types: readonly DataType[]): ResultBlock {
  let lead: Cursor | null = null;
  for (const c of cursors) if (c.end > c.pos) lead ??= c;
  const n = lead!.end - lead!.pos;
  const columns = cursors.map((c, j): ResultColumn => {
    if (c.end === c.pos) return allNull(types[j]!, n);
    const b = c.block!;
    return {
      type: types[j]!,
      values: sliceColumn(b.values, c.pos, c.end),
      nulls: b.nulls === null ? null : b.nulls.slice(c.pos, c.end),
    };
  });
  return { times: lead!.block!.times.slice(lead!.pos, lead!.end), rowCount: n, columns };
}

/** The block when timestamps differ: their union, each column scattered into it. */
function unionBlock(
  cursors: readonly Cursor[],
  live: readonly Cursor[],
  types: readonly DataType[],
  kinds: readonly ValueKind[],
  blockRows: number,
): ResultBlock {
  let given = live.filter((c) => c.end > c.pos);
  if (given.length > 1) {
    // Disjoint series would make the union as long as all runs together: keep it near blockRows.
    // The tighter bound only lowers the horizon, so series left out stay out.
    const total = given.reduce((sum, c) => sum + (c.end - c.pos), 0);
    const limit = Math.max(MIN_SEGMENT_ROWS, Math.ceil(blockRows / given.length));
    if (total > blockRows && limit < blockRows) {
      bound(given, limit);
      given = given.filter((c) => c.end > c.pos);
    }
  }
  const unionWords = union(given);
  const n = unionWords.length >> 1;
  const times = new BigInt64Array(unionWords.buffer, unionWords.byteOffset, n);
  const rows = new Int32Array(n);
  const columns = cursors.map((c, j): ResultColumn => {
    const count = c.end - c.pos;
    if (count === 0) return allNull(types[j]!, n);
    placeRows(c.words, c.pos, c.end, unionWords, rows);
    const values = allocateColumn(types[j]!, n);
    scatterValues(kinds[j]!, c.block!.values, c.pos, c.end, values, rows);
    const srcNulls = c.block!.nulls;
    if (count === n && srcNulls === null) return { type: types[j]!, values, nulls: null };
    const nulls = new Uint8Array(n).fill(1);
    if (srcNulls === null) for (let x = 0; x < count; x++) nulls[rows[x]!] = 0;
    else for (let x = 0; x < count; x++) nulls[rows[x]!] = srcNulls[c.pos + x]!;
    return { type: types[j]!, values, nulls };
  });
  return { times, rowCount: n, columns };
}

/** rows[x] = the row of the union holding time (from + x); the union contains every one. */
function placeRows(words: Int32Array, from: number, to: number, union: Int32Array, rows: Int32Array): void {
  let r = 0;
  for (let i = from; i < to; i++) {
    const hi = words[2 * i + 1]!;
    const lo = words[2 * i]!;
    while (union[2 * r + 1] !== hi || union[2 * r] !== lo) r++;
    rows[i - from] = r++;
  }
}

/** The sorted union of the cursors' [pos, end) times, as 32-bit halves in a fresh buffer. */
function union(given: readonly Cursor[]): Int32Array<ArrayBufferLike> {
  let runs: Int32Array<ArrayBufferLike>[] = given.map((c) => c.words.subarray(2 * c.pos, 2 * c.end));
  if (runs.length === 1) return runs[0]!.slice();
  while (runs.length > 1) {
    const next: Int32Array<ArrayBufferLike>[] = [];
    for (let i = 0; i + 1 < runs.length; i += 2) next.push(union2(runs[i]!, runs[i + 1]!));
    if (runs.length % 2 === 1) next.push(runs.at(-1)!);
    runs = next;
  }
  return runs[0]!;
}

/** The sorted union of two increasing time runs (32-bit halves), duplicates once. */
function union2(a: Int32Array<ArrayBufferLike>, b: Int32Array<ArrayBufferLike>): Int32Array<ArrayBufferLike> {
  const an = a.length >> 1;
  const bn = b.length >> 1;
  const out = new Int32Array(2 * (an + bn));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < an && j < bn) {
    const ah = a[2 * i + 1]!;
    const bh = b[2 * j + 1]!;
    const al = a[2 * i]!;
    const bl = b[2 * j]!;
    if (ah < bh || (ah === bh && al >>> 0 < bl >>> 0)) {
      out[2 * n] = al;
      out[2 * n + 1] = ah;
      i++;
    } else {
      out[2 * n] = bl;
      out[2 * n + 1] = bh;
      if (ah === bh && al === bl) i++;
      j++;
    }
    n++;
  }
  if (i < an) {
    out.set(a.subarray(2 * i), 2 * n);
    n += an - i;
  } else if (j < bn) {
    out.set(b.subarray(2 * j), 2 * n);
    n += bn - j;
  }
  // A view of exactly n times; the buffer may be longer (the BigInt64Array over it is sized n).
  return out.subarray(0, 2 * n);
}

function allNull(type: DataType, rows: number): ResultColumn {
  return { type, values: allocateColumn(type, rows), nulls: new Uint8Array(rows).fill(1) };
}
