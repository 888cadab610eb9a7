import { describe, expect, it } from 'vitest';
import { PathPrefixFilter } from '../../pipe/path-prefix-filter.js';
import { DataType } from '../../tsfile/data-type.js';

describe("extractor.pattern (IoTDB 1.2's string prefix)", () => {
  const filter = new PathPrefixFilter('root.aligned.1');

  it('matches by the text of the full path, backquotes included', () => {
    expect(filter.matchesSeries('root.aligned.1TS', 's')).toBe(true);
    expect(filter.matchesSeries('root.aligned.1TS', '1')).toBe(true);
    expect(filter.matchesSeries('root.aligned.100TS', 's')).toBe(true);
    expect(filter.matchesSeries('root.aligned.`1`', 's')).toBe(false);
    expect(filter.matchesSeries('root.aligned.`123`', 's')).toBe(false);
    expect(filter.matchesSeries('root.aligned', '`1`')).toBe(false);
    expect(new PathPrefixFilter('root').matchesAll).toBe(true);
  });

  it('tells whole devices from devices with some matching series', () => {
    const f = new PathPrefixFilter('root.sg.d1.s1');
    expect(f.coversDevice('root.sg.d1')).toBe(false);
    expect(f.mayMatchDevice('root.sg.d1')).toBe(true);
    expect(f.mayMatchDevice('root.sg.d2')).toBe(false);
    const tablet = f.filterTablet({
      device: 'root.sg.d1',
      measurements: ['s1', 's2', 's10'],
      dataTypes: [DataType.INT32, DataType.INT32, DataType.INT32],
      times: BigInt64Array.of(1n),
      columns: [Int32Array.of(1), Int32Array.of(2), Int32Array.of(10)],
      nulls: [null, null, null],
      rowCount: 1,
      aligned: false,
    });
    expect(tablet!.measurements).toEqual(['s1', 's10']);
    expect(tablet!.columns).toEqual([Int32Array.of(1), Int32Array.of(10)]);
    expect(f.filterTablet({ ...tablet!, device: 'root.sg.d2' })).toBeNull();
  });
});
