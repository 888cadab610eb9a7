import { describe, expect, it } from 'vitest';
import { type SqlSession, withSampleRows } from './sql-harness.js';

let s: SqlSession;
withSampleRows((session) => {
  s = session;
});

describe('aggregations without GROUP BY', () => {
  it('answer one row with IoTDB names and types, ignoreTimeStamp set', async () => {
    expect(
      await s.sql(
        'select count(s1), sum(s1), avg(s1), min_value(s1), max_value(s1), first_value(s2), last_value(s2), min_time(s1), max_time(s1) from root.sg.d1',
      ),
    ).toEqual({
      columns: [
        'count(root.sg.d1.s1)',
        'sum(root.sg.d1.s1)',
        'avg(root.sg.d1.s1)',
        'min_value(root.sg.d1.s1)',
        'max_value(root.sg.d1.s1)',
        'first_value(root.sg.d1.s2)',
        'last_value(root.sg.d1.s2)',
        'min_time(root.sg.d1.s1)',
        'max_time(root.sg.d1.s1)',
      ],
      types: ['INT64', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'INT64', 'INT64'],
      ignoreTimeStamp: true,
      rows: [[4n, 110, 27.5, 10, 50, 1.5, 5.5, 1n, 5n]],
    });
  });

  it('expand wildcards, restrict time, and keep the series types for min/max/first/last', async () => {
    expect(await s.sql('select count(*) from root.sg.** where time > 1')).toMatchObject({
      columns: ['count(root.sg.d1.s1)', 'count(root.sg.d1.s2)', 'count(root.sg.d2.s1)'],
      rows: [[3n, 2n, 2n]],
    });
    await s.sql('create timeseries root.sg.i.a with datatype=INT32');
    await s.sql('create timeseries root.sg.i.b with datatype=INT64');
    await s.sql(
      "insert into root.sg.i(time, a, b, t, f) values (1, 7, -3, 'x', true), (2, -2, 9007199254740993, 'y', false)",
    );
    expect(
      await s.sql('select min_value(a), max_value(b), sum(b), first_value(t), last_value(f), avg(a) from root.sg.i'),
    ).toEqual({
      columns: [
        'min_value(root.sg.i.a)',
        'max_value(root.sg.i.b)',
        'sum(root.sg.i.b)',
        'first_value(root.sg.i.t)',
        'last_value(root.sg.i.f)',
        'avg(root.sg.i.a)',
      ],
      types: ['INT32', 'INT64', 'DOUBLE', 'TEXT', 'BOOLEAN', 'DOUBLE'],
      ignoreTimeStamp: true,
      rows: [[-2, 9007199254740993n, 9007199254740989, 'x', false, 2.5]],
    });
  });

  it('count 0 and nulls where a series has no points in range; nothing for unknown series', async () => {
    expect(await s.rows('select count(s1), max_value(s1), first_value(s1) from root.sg.d1 where time > 100')).toEqual([
      [0n, null, null],
    ]);
    expect(await s.rows('select count(s1) from root.sg.d1 where time > 3 and time < 2')).toEqual([[0n]]);
    expect(await s.sql('select count(nothing) from root.sg.d1')).toEqual({
      columns: [],
      types: [],
      ignoreTimeStamp: true,
      rows: [],
    });
  });

  it('aggregate only the rows a value filter keeps', async () => {
    expect(await s.rows('select count(s1), sum(s1), last_value(s2) from root.sg.d1 where s2 > 2')).toEqual([
      [2n, 70, 5.5],
    ]);
    expect(await s.rows('select count(s2) from root.sg.d1 where s1 >= 30')).toEqual([[1n]]);
  });

  it('refuse what IoTDB refuses', async () => {
    await s.sql("insert into root.sg.t(time, x) values (1, 'a')");
    await expect(s.sql('select sum(x) from root.sg.t')).rejects.toMatchObject({ code: 701 });
    await expect(s.sql('select max_value(x) from root.sg.t')).rejects.toMatchObject({ code: 701 });
    await expect(s.sql('select count(s1), s2 from root.sg.d1')).rejects.toMatchObject({
      code: 701,
      message: 'Raw data and aggregation hybrid query is not supported.',
    });
    await expect(s.sql('select count(s1) from root.sg.* group by level = 1 align by device')).rejects.toMatchObject({
      code: 701,
    });
    await expect(s.sql('select count(s1) as c from root.sg.*')).rejects.toMatchObject({ code: 701 });
  });
});

describe('aggregations with GROUP BY time', () => {
  it('answer a row per window stamped with its start, empty windows included', async () => {
    expect(await s.sql('select count(s1), max_value(s1) from root.sg.d1 group by ([1, 9), 2ms)')).toEqual({
      columns: ['count(root.sg.d1.s1)', 'max_value(root.sg.d1.s1)'],
      types: ['INT64', 'DOUBLE'],
      ignoreTimeStamp: false,
      rows: [
        [1n, 2n, 20],
        [3n, 1n, 30],
        [5n, 1n, 50],
        [7n, 0n, null],
      ],
    });
  });

  it('slide by a step, overlapping or leaving gaps, the last window cut at the end', async () => {
    expect(await s.rows('select count(s1) from root.sg.d1 group by ([1, 7), 3ms, 2ms)')).toEqual([
      [1n, 3n],
      [3n, 2n],
      [5n, 1n],
    ]);
    expect(await s.rows('select count(s1) from root.sg.d1 group by ([1, 7), 1ms, 2ms)')).toEqual([
      [1n, 1n],
      [3n, 1n],
      [5n, 1n],
    ]);
  });

  it('label a left-open window (start, end] with its right end', async () => {
    expect(await s.rows('select count(s1), sum(s1) from root.sg.d1 group by ((0, 6], 2ms)')).toEqual([
      [2n, 2n, 30],
      [4n, 1n, 30],
      [6n, 1n, 50],
    ]);
  });

  it('order windows descending and page them', async () => {
    expect(await s.rows('select count(s1) from root.sg.d1 group by ([1, 7), 3ms, 2ms) order by time desc')).toEqual([
      [5n, 1n],
      [3n, 2n],
      [1n, 3n],
    ]);
    expect(await s.rows('select count(s1) from root.sg.d1 group by ([1, 9), 2ms) limit 2 offset 1')).toEqual([
      [3n, 1n],
      [5n, 1n],
    ]);
  });

  it('combine windows with a time filter and a value filter', async () => {
    expect(await s.rows('select count(s1) from root.sg.d1 where time >= 2 group by ([0, 6), 3ms)')).toEqual([
      [0n, 1n],
      [3n, 2n],
    ]);
    expect(await s.rows('select count(s1) from root.sg.d1 where s2 > 2 group by ([0, 6), 3ms)')).toEqual([
      [0n, 1n],
      [3n, 1n],
    ]);
  });

  it('span the data when no range is given', async () => {
    expect(await s.rows('select count(s1) from root.sg.* group by (2ms)')).toEqual([
      [1n, 2n, 1n],
      [3n, 1n, 1n],
      [5n, 1n, 0n],
    ]);
  });

  it('stream many windows in fetch-size blocks with the same rows whatever the size', async () => {
    const values = Array.from({ length: 500 }, (_, i) => `(${i * 3}, ${i})`).join(', ');
    await s.sql(`insert into root.sg.w(time, v) values ${values}`);
    await s.sql('flush');
    const sql = 'select count(v), sum(v), min_time(v) from root.sg.w group by ([0, 1500), 10ms, 5ms)';
    const all = await s.rows(sql, 100_000);
    expect(all).toHaveLength(300);
    expect(all[0]).toEqual([0n, 4n, 6, 0n]);
    expect(all[1]).toEqual([5n, 3n, 9, 6n]);
    expect(all.at(-1)).toEqual([1495n, 1n, 499, 1497n]);
    expect(await s.rows(sql, 7)).toEqual(all);
  });
});

describe('aggregations ALIGN BY DEVICE', () => {
  it('answer a row per device with fn(measurement) headers', async () => {
    expect(await s.sql('select count(s1), max_value(s2) from root.sg.* align by device')).toEqual({
      columns: ['Device', 'count(s1)', 'max_value(s2)'],
      types: ['TEXT', 'INT64', 'DOUBLE'],
      ignoreTimeStamp: true,
      rows: [
        ['root.sg.d1', 4n, 5.5],
        ['root.sg.d2', 2n, null],
      ],
    });
  });

  it('answer rows per device and window', async () => {
    expect(await s.rows('select count(s1) from root.sg.* group by ([0, 6), 3ms) align by device')).toEqual([
      [0n, 'root.sg.d1', 2n],
      [3n, 'root.sg.d1', 2n],
      [0n, 'root.sg.d2', 1n],
      [3n, 'root.sg.d2', 1n],
    ]);
  });
});
