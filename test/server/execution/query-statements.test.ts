import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlSession, type SqlSession } from './sql-harness.js';

let s: SqlSession;
beforeEach(async () => {
  s = openSqlSession();
  await s.sql('insert into root.sg.d1(time, s1, s2) values (1, 10, 1.5), (2, 20, 2.5), (3, 30, null), (5, 50, 5.5)');
  await s.sql('insert into root.sg.d2(time, s1) values (2, 200), (4, 400)');
});
afterEach(async () => s.close());

describe('SELECT of raw series', () => {
  it('joins series on time with full paths as headers, in select order', async () => {
    expect(await s.sql('select s2, s1 from root.sg.d1')).toEqual({
      columns: ['root.sg.d1.s2', 'root.sg.d1.s1'],
      types: ['DOUBLE', 'DOUBLE'],
      ignoreTimeStamp: false,
      rows: [
        [1n, 1.5, 10],
        [2n, 2.5, 20],
        [3n, null, 30],
        [5n, 5.5, 50],
      ],
    });
  });

  it('expands * and ** in path order and joins devices by time', async () => {
    const table = await s.sql('select s1 from root.sg.*');
    expect(table!.columns).toEqual(['root.sg.d1.s1', 'root.sg.d2.s1']);
    expect(table!.rows).toEqual([
      [1n, 10, null],
      [2n, 20, 200],
      [3n, 30, null],
      [4n, null, 400],
      [5n, 50, null],
    ]);
    expect((await s.sql('select * from root.**'))!.columns).toEqual([
      'root.sg.d1.s1',
      'root.sg.d1.s2',
      'root.sg.d2.s1',
    ]);
    expect((await s.sql('select root.sg.d2.s1 from root.sg.d1'))!.columns).toEqual(['root.sg.d2.s1']);
  });

  it('filters by time ranges and values, orders descending, pages with LIMIT/OFFSET and SLIMIT', async () => {
    expect((await s.sql('select s1 from root.sg.d1 where time >= 2 and time < 5'))!.rows).toEqual([
      [2n, 20],
      [3n, 30],
    ]);
    expect((await s.sql('select s1 from root.sg.d1 where s2 > 2 or time = 1'))!.rows).toEqual([
      [1n, 10],
      [2n, 20],
      [5n, 50],
    ]);
    expect((await s.sql('select s2 from root.sg.d1 where s1 between 20 and 30'))!.rows).toEqual([[2n, 2.5]]);
    expect((await s.sql('select s1 from root.sg.d1 where s2 is null'))!.rows).toEqual([[3n, 30]]);
    expect((await s.sql('select s1 from root.sg.d1 order by time desc limit 2 offset 1'))!.rows).toEqual([
      [3n, 30],
      [2n, 20],
    ]);
    expect((await s.sql('select * from root.sg.d1 slimit 1 soffset 1'))!.columns).toEqual(['root.sg.d1.s2']);
    expect((await s.sql('select s1 from root.sg.d1 where time < 1970-01-01T08:00:00.003+08:00'))!.rows).toHaveLength(2);
  });

  it('pages large results in blocks of the fetch size, the same rows whatever the size', async () => {
    const values = Array.from({ length: 100 }, (_, i) => `(${i + 10}, ${i}, ${i % 3 === 0 ? 'null' : i * 2})`).join(
      ', ',
    );
    await s.sql(`insert into root.sg.d3(time, a, b) values ${values}`);
    const small = await s.sql('select a, b from root.sg.d3', 7);
    const large = await s.sql('select a, b from root.sg.d3', 1000);
    expect(small!.rows).toEqual(large!.rows);
    expect(small!.rows).toHaveLength(100);
    expect(small!.rows[99]).toEqual([109n, 99, null]);
  });

  it('is empty for unknown series, as IoTDB', async () => {
    expect(await s.sql('select nothing from root.sg.d1')).toEqual({
      columns: [],
      types: [],
      ignoreTimeStamp: false,
      rows: [],
    });
  });

  it('aligns by device', async () => {
    expect(await s.sql('select s1, s2 from root.sg.* align by device')).toEqual({
      columns: ['Device', 's1', 's2'],
      types: ['TEXT', 'DOUBLE', 'DOUBLE'],
      ignoreTimeStamp: false,
      rows: [
        [1n, 'root.sg.d1', 10, 1.5],
        [2n, 'root.sg.d1', 20, 2.5],
        [3n, 'root.sg.d1', 30, null],
        [5n, 'root.sg.d1', 50, 5.5],
        [2n, 'root.sg.d2', 200, null],
        [4n, 'root.sg.d2', 400, null],
      ],
    });
    expect((await s.sql('select s1 from root.sg.* where s1 > 25 align by device'))!.rows).toEqual([
      [3n, 'root.sg.d1', 30],
      [5n, 'root.sg.d1', 50],
      [2n, 'root.sg.d2', 200],
      [4n, 'root.sg.d2', 400],
    ]);
  });
});

describe('aggregations', () => {
  it('answer one row without GROUP BY, with IoTDB names and types', async () => {
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
    expect((await s.sql('select count(*) from root.sg.** where time > 1'))!.rows).toEqual([[3n, 2n, 2n]]);
  });

  it('answer one row per GROUP BY window, stamped with its start', async () => {
    expect(await s.sql('select count(s1), max_value(s1) from root.sg.d1 group by ([1, 7), 2ms)')).toEqual({
      columns: ['count(root.sg.d1.s1)', 'max_value(root.sg.d1.s1)'],
      types: ['INT64', 'DOUBLE'],
      ignoreTimeStamp: false,
      rows: [
        [1n, 2n, 20],
        [3n, 1n, 30],
        [5n, 1n, 50],
      ],
    });
    expect(
      (await s.sql('select count(s1) from root.sg.d1 group by ([1, 7), 3ms, 2ms) order by time desc'))!.rows,
    ).toEqual([
      [5n, 1n],
      [3n, 2n],
      [1n, 3n],
    ]);
  });

  it('refuse sums of text, as IoTDB', async () => {
    await s.sql("insert into root.sg.t(time, x) values (1, 'a')");
    await expect(s.sql('select sum(x) from root.sg.t')).rejects.toMatchObject({ code: 701 });
  });
});

describe('SELECT LAST', () => {
  it('answers Timeseries, Value and DataType per series', async () => {
    expect(await s.sql('select last s1, s2 from root.sg.d1')).toEqual({
      columns: ['Timeseries', 'Value', 'DataType'],
      types: ['TEXT', 'TEXT', 'TEXT'],
      ignoreTimeStamp: false,
      rows: [
        [5n, 'root.sg.d1.s1', '50.0', 'DOUBLE'],
        [5n, 'root.sg.d1.s2', '5.5', 'DOUBLE'],
      ],
    });
    expect((await s.sql('select last * from root.sg.d2 where time >= 5'))!.rows).toEqual([]);
  });
});

describe('INSERT and DELETE', () => {
  it('infers types of new series from literals and converts literals to registered types', async () => {
    await s.sql("insert into root.sg.n(time, i, f, b, t) values (1, 1, 1.5, true, 'x')");
    expect((await s.sql('show timeseries root.sg.n.*'))!.rows.map((r) => [r[0], r[3]])).toEqual([
      ['root.sg.n.b', 'BOOLEAN'],
      ['root.sg.n.f', 'DOUBLE'],
      ['root.sg.n.i', 'DOUBLE'],
      ['root.sg.n.t', 'TEXT'],
    ]);
    await s.sql('create timeseries root.sg.n.c with datatype=INT32');
    await s.sql('insert into root.sg.n(timestamp, c) values (2, 7)');
    expect((await s.sql('select c from root.sg.n'))!.rows).toEqual([[2n, 7]]);
    await expect(s.sql("insert into root.sg.n(time, c) values (3, 'seven')")).rejects.toMatchObject({ code: 614 });
    await s.sql('insert into root.sg.a(time, x) aligned values (1, 1)');
    expect((await s.sql('show devices root.sg.a'))!.rows[0]![1]).toBe('true');
  });

  it('deletes points in a time range and keeps the series', async () => {
    await s.sql('delete from root.sg.d1.* where time <= 2');
    expect((await s.sql('select s1 from root.sg.d1'))!.rows).toEqual([
      [3n, 30],
      [5n, 50],
    ]);
    await s.sql('flush');
    await s.sql('delete from root.sg.d1.s1 where time > 4');
    expect((await s.sql('select s1 from root.sg.d1'))!.rows).toEqual([[3n, 30]]);
    await expect(s.sql('delete from root.sg.d1.s1 where s1 > 4')).rejects.toMatchObject({ code: 701 });
    await expect(s.sql('flush root.none')).rejects.toMatchObject({ code: 500 });
  });
});
