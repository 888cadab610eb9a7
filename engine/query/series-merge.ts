import { allocateColumn, type DataType, valueKind } from '../../tsfile/data-type.js';
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
  if (n > 0) {
    yield {
      times: outTimes.subarray(0, n),
      values: Array.isArray(outValues) ? outValues.slice(0, n) : outValues.subarray(0, n),
      nulls: null,
      length: n,
    };
  }
}
