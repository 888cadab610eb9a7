import { viewColumn } from '../../tsfile/column-ops.js';
import { allocateColumn, type ColumnValues, type DataType, valueKind } from '../../tsfile/data-type.js';
import { int64Words } from '../../tsfile/io/int64.js';
import type { ColumnBlock } from '../../tsfile/tablet.js';

/** Rows per merged output block. */
export const MERGE_BLOCK_ROWS = 4096;

/**
 * Merges sorted, duplicate-free block streams of one series. Sources are given lowest
 * precedence first; when several hold the same time, the value of the last one wins (the
 * latest arrival). One source passes through untouched.
 */
export function* mergeSeries(dataType: DataType, sources: Iterator<ColumnBlock>[]): Generator<ColumnBlock> {
  if (sources.length === 1) {
    const only = sources[0]!;
    for (let r = only.next(); !r.done; r = only.next()) if (r.value.length > 0) yield r.value;
    return;
  }
  const heads: (ColumnBlock | null)[] = [];
  const words: (Int32Array | null)[] = [];
  const valueWords: (Int32Array | null)[] = [];
  const pos: number[] = [];
  const int64 = valueKind(dataType) === 'int64';
  const advance = (s: number) => {
    for (;;) {
      const r = sources[s]!.next();
      if (r.done) {
        heads[s] = null;
        words[s] = null;
        valueWords[s] = null;
        return;
      }
      if (r.value.length > 0) {
        heads[s] = r.value;
        words[s] = int64Words(r.value.times);
        valueWords[s] = int64 ? int64Words(r.value.values as BigInt64Array) : null;
        pos[s] = 0;
        return;
      }
    }
  };
  for (let s = 0; s < sources.length; s++) advance(s);
  let outTimes = new BigInt64Array(MERGE_BLOCK_ROWS);
  let outWords = int64Words(outTimes);
  let outValues = allocateColumn(dataType, MERGE_BLOCK_ROWS);
  let outValueWords = int64 ? int64Words(outValues as BigInt64Array) : null;
  let n = 0;
  for (;;) {
    let best = -1;
    let bestHi = 0;
    let bestLo = 0;
    for (let s = 0; s < heads.length; s++) {
      const w = words[s];
      if (w === null || w === undefined) continue;
      const i = pos[s]!;
      const hi = w[2 * i + 1]!;
      const lo = w[2 * i]! >>> 0;
      if (best < 0 || hi < bestHi || (hi === bestHi && lo <= bestLo)) {
        // `<=` lets a later source with the same time take over: it has precedence.
        best = s;
        bestHi = hi;
        bestLo = lo;
      }
    }
    if (best < 0) break;
    // Fast path: when the rest of the best block ends before any other source's next time,
    // it passes through as a slice (non-overlapping files and memtables cost no per-point work).
    const run = passThroughLength(best, words, pos, heads);
    if (run > 0) {
      if (n > 0) {
        yield finish(outTimes, outValues, n);
        outTimes = new BigInt64Array(MERGE_BLOCK_ROWS);
        outWords = int64Words(outTimes);
        outValues = allocateColumn(dataType, MERGE_BLOCK_ROWS);
        outValueWords = int64 ? int64Words(outValues as BigInt64Array) : null;
        n = 0;
      }
      const head = heads[best]!;
      const from = pos[best]!;
      yield from === 0 && run === head.length ? head : slice(head, from, from + run);
      pos[best] = from + run;
      if (pos[best]! >= head.length) advance(best);
      continue;
    }
    outWords[2 * n] = bestLo;
    outWords[2 * n + 1] = bestHi;
    const at = pos[best]!;
    if (outValueWords !== null) {
      const vw = valueWords[best]!;
      outValueWords[2 * n] = vw[2 * at]!;
      outValueWords[2 * n + 1] = vw[2 * at + 1]!;
    } else {
      (outValues as unknown as unknown[])[n] = (heads[best]!.values as unknown as unknown[])[at];
    }
    n++;
    for (let s = 0; s < heads.length; s++) {
      const w = words[s];
      if (w === null || w === undefined) continue;
      const i = pos[s]!;
      if (w[2 * i + 1] === bestHi && w[2 * i]! >>> 0 === bestLo) {
        pos[s] = i + 1;
        if (i + 1 >= heads[s]!.length) advance(s);
      }
    }
    if (n === MERGE_BLOCK_ROWS) {
      yield { times: outTimes, values: outValues, nulls: null, length: n };
      outTimes = new BigInt64Array(MERGE_BLOCK_ROWS);
      outWords = int64Words(outTimes);
      outValues = allocateColumn(dataType, MERGE_BLOCK_ROWS);
      outValueWords = int64 ? int64Words(outValues as BigInt64Array) : null;
      n = 0;
    }
  }
  if (n > 0) yield finish(outTimes, outValues, n);
}

function finish(times: BigInt64Array, values: ColumnValues, n: number): ColumnBlock {
  return { times: times.subarray(0, n), values: viewColumn(values, 0, n), nulls: null, length: n };
}

function slice(block: ColumnBlock, from: number, to: number): ColumnBlock {
  return {
    times: block.times.subarray(from, to),
    values: viewColumn(block.values, from, to),
    nulls: null,
    length: to - from,
  };
}

/**
 * How many rows of source `best` (from its position) come strictly before the next time of
 * every other source; 0 when fewer than two rows qualify (the per-point path handles it).
 */
function passThroughLength(
  best: number,
  words: readonly (Int32Array | null | undefined)[],
  pos: readonly number[],
  heads: readonly (ColumnBlock | null)[],
): number {
  let limitHi = 0x7fffffff;
  let limitLo = 0xffffffff;
  let bounded = false;
  for (let s = 0; s < words.length; s++) {
    const w = words[s];
    if (s === best || w === null || w === undefined) continue;
    const i = pos[s]!;
    const hi = w[2 * i + 1]!;
    const lo = w[2 * i]! >>> 0;
    if (!bounded || hi < limitHi || (hi === limitHi && lo < limitLo)) {
      limitHi = hi;
      limitLo = lo;
      bounded = true;
    }
  }
  const w = words[best]!;
  const head = heads[best]!;
  const from = pos[best]!;
  if (!bounded) return head.length - from;
  // Binary search for the first row not strictly before the limit.
  let lo = from;
  let hi = head.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const h = w[2 * mid + 1]!;
    const l = w[2 * mid]! >>> 0;
    if (h < limitHi || (h === limitHi && l < limitLo)) lo = mid + 1;
    else hi = mid;
  }
  const run = lo - from;
  return run >= 2 ? run : 0;
}
