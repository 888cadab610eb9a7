import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';

/** A tablet of one INT64 series `s` on `device`: the shape most engine tests write. */
export function int64Tablet(
  device: string,
  times: readonly number[],
  values: readonly number[],
  aligned = false,
): Tablet {
  return {
    device,
    aligned,
    measurements: ['s'],
    dataTypes: [DataType.INT64],
    times: BigInt64Array.from(times, BigInt),
    columns: [BigInt64Array.from(values, BigInt)],
    nulls: [null],
    rowCount: times.length,
  };
}

/** `count` points of `device`'s `s` from time `from` on, each value equal to its time. */
export function int64Run(device: string, from: number, count: number): Tablet {
  const times = Array.from({ length: count }, (_, i) => from + i);
  return int64Tablet(device, times, times);
}
