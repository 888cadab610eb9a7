import { describe, expect, it } from 'vitest';
import { type SqlSession, withSampleRows } from './sql-harness.js';

let s: SqlSession;
withSampleRows((session) => {
  s = session;
});

describe('SELECT LAST', () => {
  it('answers Time, Timeseries, Value and DataType per series, values as IoTDB prints them', async () => {
    expect(await s.sql('select last s1, s2 from root.sg.d1')).toEqual({
      columns: ['Timeseries', 'Value', 'DataType'],
      types: ['TEXT', 'TEXT', 'TEXT'],
      ignoreTimeStamp: false,
      rows: [
        [5n, 'root.sg.d1.s1', '50.0', 'DOUBLE'],
        [5n, 'root.sg.d1.s2', '5.5', 'DOUBLE'],
      ],
    });
    await s.sql('create timeseries root.sg.t.f with datatype=FLOAT');
    await s.sql('create timeseries root.sg.t.i with datatype=INT32');
    await s.sql("insert into root.sg.t(time, f, i, b, x) values (7, 0.1, -3, false, 'hi there')");
    expect(await s.rows('select last * from root.sg.t')).toEqual([
      [7n, 'root.sg.t.b', 'false', 'BOOLEAN'],
      [7n, 'root.sg.t.f', '0.1', 'FLOAT'],
      [7n, 'root.sg.t.i', '-3', 'INT32'],
      [7n, 'root.sg.t.x', 'hi there', 'TEXT'],
    ]);
  });

  it('keeps the leading byte-order mark (U+FEFF) of a value, in raw and last queries', async () => {
    await s.sql("insert into root.sg.bom(time, t) values (1, '\ufeffbom')");
    expect(await s.rows('select t from root.sg.bom')).toEqual([[1n, '\ufeffbom']]);
    expect(await s.rows('select last t from root.sg.bom')).toEqual([[1n, 'root.sg.bom.t', '\ufeffbom', 'TEXT']]);
  });

  it('skips series without a point in range, and unknown series', async () => {
    expect(await s.rows('select last * from root.sg.d2 where time >= 5')).toEqual([]);
    expect(await s.rows('select last s1 from root.sg.* where time >= 3')).toEqual([
      [5n, 'root.sg.d1.s1', '50.0', 'DOUBLE'],
      [4n, 'root.sg.d2.s1', '400.0', 'DOUBLE'],
    ]);
    expect(await s.rows('select last s1 from root.sg.d2 where time < 3')).toEqual([
      [2n, 'root.sg.d2.s1', '200.0', 'DOUBLE'],
    ]);
    expect(await s.rows('select last nothing from root.sg.d1')).toEqual([]);
  });

  it('orders by timeseries or time on request and pages', async () => {
    expect(await s.rows('select last s1 from root.sg.* order by timeseries desc')).toEqual([
      [4n, 'root.sg.d2.s1', '400.0', 'DOUBLE'],
      [5n, 'root.sg.d1.s1', '50.0', 'DOUBLE'],
    ]);
    expect((await s.rows('select last s1 from root.sg.* order by time asc')).map((r) => r[0])).toEqual([4n, 5n]);
    expect((await s.rows('select last s1, s2 from root.sg.* limit 1 offset 1')).map((r) => r[1])).toEqual([
      'root.sg.d1.s2',
    ]);
  });

  it('accepts time conditions only', async () => {
    await expect(s.sql('select last s1 from root.sg.d1 where s1 > 3')).rejects.toMatchObject({ code: 701 });
  });
});
