import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlSession, type SqlSession } from './sql-harness.js';

// The layout of IoTDB's GROUP BY LEVEL documentation: `status` under two databases, and
// devices named wt01 in both. Expected names follow its examples: level 0 is root, every
// node between root and the measurement that is not a listed level prints as `*`.
let s: SqlSession;
beforeEach(async () => {
  s = openSqlSession();
  for (const sql of [
    'insert into root.ln.wf01.wt01(time, status, temperature) values (1, true, 20.5), (2, false, 21.0), (3, true, 22.0)',
    'insert into root.ln.wf02.wt02(time, status, temperature) values (2, true, 25.0), (4, true, 26.0)',
    'insert into root.sgcc.wf03.wt01(time, status, temperature) values (1, false, 10.0), (5, false, 12.0)',
  ]) {
    await s.sql(sql);
  }
});
afterEach(async () => s.close());

describe('GROUP BY LEVEL', () => {
  it('level = 1 groups by database (example 1)', async () => {
    expect(await s.sql('select count(status) from root.** group by level = 1')).toEqual({
      columns: ['count(root.ln.*.*.status)', 'count(root.sgcc.*.*.status)'],
      types: ['INT64', 'INT64'],
      ignoreTimeStamp: true,
      rows: [[5n, 2n]],
    });
  });

  it('level = 3 groups devices of one name across databases (example 2)', async () => {
    expect(await s.sql('select count(status) from root.** group by level = 3')).toMatchObject({
      columns: ['count(root.*.*.wt01.status)', 'count(root.*.*.wt02.status)'],
      rows: [[5n, 2n]],
    });
  });

  it('level = 1, 3 keeps both levels (example 3)', async () => {
    expect(await s.sql('select count(status) from root.** group by level = 1, 3')).toMatchObject({
      columns: ['count(root.ln.*.wt01.status)', 'count(root.ln.*.wt02.status)', 'count(root.sgcc.*.wt01.status)'],
      rows: [[3n, 2n, 2n]],
    });
  });

  it('level = 0 folds everything; sum, avg, extremes, first/last and times combine', async () => {
    expect(
      await s.sql(
        'select max_value(temperature), min_value(temperature), sum(temperature), avg(temperature), first_value(temperature), last_value(temperature), min_time(temperature), max_time(temperature) from root.** group by level = 0',
      ),
    ).toEqual({
      columns: [
        'max_value(root.*.*.*.temperature)',
        'min_value(root.*.*.*.temperature)',
        'sum(root.*.*.*.temperature)',
        'avg(root.*.*.*.temperature)',
        'first_value(root.*.*.*.temperature)',
        'last_value(root.*.*.*.temperature)',
        'min_time(root.*.*.*.temperature)',
        'max_time(root.*.*.*.temperature)',
      ],
      types: ['DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'INT64', 'INT64'],
      ignoreTimeStamp: true,
      // first: time 1 is held by wt01 of ln (20.5) and of sgcc (10.0): the first listed wins.
      rows: [[26, 10, 136.5, 19.5, 20.5, 12, 1n, 5n]],
    });
  });

  it('count(*) at level 2 (example 5)', async () => {
    expect(await s.sql('select count(*) from root.ln.** group by level = 2')).toMatchObject({
      columns: ['count(root.*.wf01.*.*)', 'count(root.*.wf02.*.*)'],
      rows: [[6n, 4n]],
    });
  });

  it('with GROUP BY time: one row per window', async () => {
    expect(await s.sql('select count(status) from root.** group by ([1, 7), 2ms), level = 1')).toEqual({
      columns: ['count(root.ln.*.*.status)', 'count(root.sgcc.*.*.status)'],
      types: ['INT64', 'INT64'],
      ignoreTimeStamp: false,
      rows: [
        [1n, 3n, 1n],
        [3n, 2n, 0n],
        [5n, 0n, 1n],
      ],
    });
  });

  it('with a value filter, an alias on one group, and SLIMIT over the grouped columns', async () => {
    expect(
      await s.sql('select count(temperature) from root.ln.wf01.wt01 where temperature > 20.9 group by level = 1'),
    ).toMatchObject({ columns: ['count(root.ln.*.*.temperature)'], rows: [[2n]] });
    expect((await s.sql('select count(status) as c from root.ln.** group by level = 1'))!.columns).toEqual(['c']);
    await expect(s.sql('select count(status) as c from root.** group by level = 1')).rejects.toThrow(
      /alias 'c' can only be matched with one time series/,
    );
    expect(
      (await s.sql('select count(status) from root.** group by level = 1, 3 slimit 1 soffset 1'))!.columns,
    ).toEqual(['count(root.ln.*.wt02.status)']);
  });

  it('refuses series of different types for value aggregations, and ALIGN BY DEVICE', async () => {
    await s.sql('create timeseries root.sgcc.wf03.wt09.temperature with datatype=INT64');
    await s.sql('insert into root.sgcc.wf03.wt09(time, temperature) values (1, 7)');
    await expect(s.sql('select max_value(temperature) from root.** group by level = 1')).rejects.toThrow(
      /one data type, not DOUBLE and INT64/,
    );
    expect(await s.rows('select count(temperature) from root.** group by level = 1')).toEqual([[5n, 3n]]);
    await expect(s.sql('select count(status) from root.** group by level = 1 align by device')).rejects.toThrow(
      /GROUP BY LEVEL does not support align by device/,
    );
  });
});
