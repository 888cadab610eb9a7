import { describe, expect, it } from 'vitest';
import { type SqlSession, withSampleRows } from './sql-harness.js';

let s: SqlSession;
withSampleRows((session) => {
  s = session;
});

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

  it('expands * and ** sorted by path, per FROM prefix in order, items first', async () => {
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
    expect((await s.sql('select ** from root'))!.columns).toEqual(['root.sg.d1.s1', 'root.sg.d1.s2', 'root.sg.d2.s1']);
    expect((await s.sql('select s1, s2 from root.sg.d2, root.sg.d1'))!.columns).toEqual([
      'root.sg.d2.s1',
      'root.sg.d1.s1',
      'root.sg.d1.s2',
    ]);
    expect((await s.sql('select root.sg.d2.s1 from root.sg.d1'))!.columns).toEqual(['root.sg.d2.s1']);
    expect((await s.sql('select s1, s1 from root.sg.d2'))!.rows).toEqual([
      [2n, 200, 200],
      [4n, 400, 400],
    ]);
  });

  it('names a column by its alias, and refuses an alias for several series', async () => {
    expect(await s.sql('select s1 as speed from root.sg.d2')).toMatchObject({
      columns: ['speed'],
      rows: [
        [2n, 200],
        [4n, 400],
      ],
    });
    await expect(s.sql('select s1 as x from root.sg.*')).rejects.toMatchObject({
      code: 701,
      message: "alias 'x' can only be matched with one time series",
    });
  });

  it('is empty for unknown series, as IoTDB', async () => {
    expect(await s.sql('select nothing from root.sg.d1')).toEqual({
      columns: [],
      types: [],
      ignoreTimeStamp: false,
      rows: [],
    });
    expect(await s.sql('select s1 from root.none.*')).toMatchObject({ columns: [], rows: [] });
  });

  it('restricts time with ranges, BETWEEN, datetimes in the session zone and now()', async () => {
    expect(await s.rows('select s1 from root.sg.d1 where time >= 2 and time < 5')).toEqual([
      [2n, 20],
      [3n, 30],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 where time = 3')).toEqual([[3n, 30]]);
    expect(await s.rows('select s1 from root.sg.d1 where time between 2 and 3')).toEqual([
      [2n, 20],
      [3n, 30],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 where 3 <= time')).toEqual([
      [3n, 30],
      [5n, 50],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 where time < 1970-01-01T08:00:00.003')).toEqual([
      [1n, 10],
      [2n, 20],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 where time < 1970-01-01T00:00:00.002Z')).toEqual([[1n, 10]]);
    expect(await s.rows('select s1 from root.sg.d1 where time > now() - 1h')).toEqual([]);
    expect(await s.rows('select s1 from root.sg.d1 where time > 3 and time < 3')).toEqual([]);
    expect(await s.rows('select s1 from root.sg.d1 where time = 1 or time = 5')).toEqual([
      [1n, 10],
      [5n, 50],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 where time != 2 and time != 3')).toEqual([
      [1n, 10],
      [5n, 50],
    ]);
  });

  it('filters on values with three-valued logic, keeping a true row even when its selected values are null', async () => {
    expect(await s.rows('select s1 from root.sg.d1 where s2 > 2')).toEqual([
      [2n, 20],
      [5n, 50],
    ]);
    expect(await s.rows('select s2 from root.sg.d1 where s1 between 20 and 30')).toEqual([
      [2n, 2.5],
      [3n, null],
    ]);
    expect(await s.rows('select s2 from root.sg.d1 where s1 not between 20 and 30')).toEqual([
      [1n, 1.5],
      [5n, 5.5],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 where s2 is null')).toEqual([[3n, 30]]);
    expect(await s.rows('select s1 from root.sg.d1 where s2 is not null')).toEqual([
      [1n, 10],
      [2n, 20],
      [5n, 50],
    ]);
    // s2 is null at 3: NOT (unknown) is unknown, so the row is dropped.
    expect(await s.rows('select s1 from root.sg.d1 where not (s2 > 2)')).toEqual([[1n, 10]]);
    expect(await s.rows('select s1 from root.sg.d1 where s2 > 2 or s1 = 30')).toEqual([
      [2n, 20],
      [3n, 30],
      [5n, 50],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 where s1 in (10, 50)')).toEqual([
      [1n, 10],
      [5n, 50],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 where s1 not in (10, 50) and time < 5')).toEqual([
      [2n, 20],
      [3n, 30],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 where s1 != 20 and time < 5')).toEqual([
      [1n, 10],
      [3n, 30],
    ]);
  });

  it('compares two columns, and a WHERE series that is not selected still adds its rows', async () => {
    expect(await s.rows('select s1 from root.sg.d1 where s1 > s2')).toEqual([
      [1n, 10],
      [2n, 20],
      [5n, 50],
    ]);
    // d2.s1 has a point at 4 where d1.s1 has none: the row is kept with a null.
    expect(await s.rows('select s1 from root.sg.d1 where root.sg.d2.s1 > 300')).toEqual([[4n, null]]);
  });

  it('expands a wildcard in WHERE into one condition per series, all of which must hold', async () => {
    // d1.s1 > 15 AND d2.s1 > 15: only time 2 has both.
    expect(await s.rows('select s1 from root.sg.* where s1 > 15')).toEqual([[2n, 20, 200]]);
    // The whole clause is expanded per series: (d1.s1 IN ...) AND (d2.s1 IN ...), not per value.
    expect(await s.rows('select s1 from root.sg.* where s1 in (20, 200)')).toEqual([[2n, 20, 200]]);
    expect(await s.rows('select s1 from root.sg.* where s1 not between 100 and 300')).toEqual([]);
    expect(await s.rows('select s1 from root.sg.* where s1 > 300 or time = 1')).toEqual([[1n, 10, null]]);
    expect(await s.rows('select s1 from root.sg.* where not (s1 < 100)')).toEqual([]);
    expect(await s.rows('select s1 from root.sg.d1 where nothing > 1')).toEqual([]);
  });

  it('filters text, booleans and INT64 exactly, and refuses comparisons of unlike types', async () => {
    await s.sql(
      "insert into root.sg.t(time, name, ok) values (1, 'apple', true), (2, 'banana', false), (3, 'cherry', true)",
    );
    await s.sql('create timeseries root.sg.big.v with datatype=INT64');
    await s.sql('insert into root.sg.big(time, v) values (1, 9007199254740993), (2, 9007199254740992)');
    expect(await s.rows("select name from root.sg.t where name = 'banana'")).toEqual([[2n, 'banana']]);
    expect(await s.rows("select name from root.sg.t where name > 'b'")).toEqual([
      [2n, 'banana'],
      [3n, 'cherry'],
    ]);
    expect(await s.rows('select name from root.sg.t where ok = true')).toEqual([
      [1n, 'apple'],
      [3n, 'cherry'],
    ]);
    expect(await s.rows('select v from root.sg.big where v = 9007199254740993')).toEqual([[1n, 9007199254740993n]]);
    await expect(s.sql('select name from root.sg.t where name > 5')).rejects.toMatchObject({ code: 701 });
    await expect(s.sql("select s1 from root.sg.d1 where s1 > 'x'")).rejects.toMatchObject({ code: 701 });
  });

  it('orders by time descending and pages rows with LIMIT/OFFSET and columns with SLIMIT/SOFFSET', async () => {
    expect(await s.rows('select s1 from root.sg.d1 order by time desc')).toEqual([
      [5n, 50],
      [3n, 30],
      [2n, 20],
      [1n, 10],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 order by time desc limit 2 offset 1')).toEqual([
      [3n, 30],
      [2n, 20],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 limit 2 offset 1')).toEqual([
      [2n, 20],
      [3n, 30],
    ]);
    expect(await s.rows('select s1 from root.sg.d1 offset 10')).toEqual([]);
    expect((await s.sql('select * from root.sg.d1 slimit 1 soffset 1'))!.columns).toEqual(['root.sg.d1.s2']);
    expect((await s.sql('select * from root.sg.** slimit 2'))!.columns).toEqual(['root.sg.d1.s1', 'root.sg.d1.s2']);
  });

  it('gives the same rows whatever the fetch size, in blocks no longer than it', async () => {
    const values = Array.from({ length: 300 }, (_, i) => `(${i + 10}, ${i}, ${i % 3 === 0 ? 'null' : i * 2})`).join(
      ', ',
    );
    await s.sql(`insert into root.sg.d3(time, a, b) values ${values}`);
    await s.sql('flush');
    await s.sql('insert into root.sg.d3(time, a) values (15, -1), (400, 7)');
    const expected = await s.rows('select a, b from root.sg.d3', 100_000);
    expect(expected).toHaveLength(301);
    expect(expected[5]).toEqual([15n, -1, 10]);
    expect(expected.at(-1)).toEqual([400n, 7, null]);
    for (const size of [1, 7, 64]) {
      expect(await s.rows('select a, b from root.sg.d3', size)).toEqual(expected);
      const outcome = await s.run('select a, b from root.sg.d3 order by time desc', size);
      if (outcome.kind !== 'rows') throw new Error('rows expected');
      let total = 0;
      for (let b = outcome.result.next(); b !== null; b = outcome.result.next()) {
        expect(b.rowCount).toBeLessThanOrEqual(size);
        total += b.rowCount;
      }
      expect(total).toBe(301);
    }
  });

  it('merges files and memtables, the latest write winning for a time', async () => {
    await s.sql('flush');
    await s.sql('insert into root.sg.d1(time, s1) values (2, 21), (4, 40)');
    expect(await s.rows('select s1, s2 from root.sg.d1')).toEqual([
      [1n, 10, 1.5],
      [2n, 21, 2.5],
      [3n, 30, null],
      [4n, 40, null],
      [5n, 50, 5.5],
    ]);
  });
});

describe('SELECT ... ALIGN BY DEVICE', () => {
  it('lists devices one after the other with a Device column and measurement headers', async () => {
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
  });

  it('filters each device on its own measurements, orders each by time, and pages across devices', async () => {
    expect(await s.rows('select s1 from root.sg.* where s1 > 25 align by device')).toEqual([
      [3n, 'root.sg.d1', 30],
      [5n, 'root.sg.d1', 50],
      [2n, 'root.sg.d2', 200],
      [4n, 'root.sg.d2', 400],
    ]);
    expect(await s.rows('select s1 from root.sg.* where s2 > 2 align by device')).toEqual([
      [2n, 'root.sg.d1', 20],
      [5n, 'root.sg.d1', 50],
    ]);
    // ORDER BY TIME first interleaves the devices by time (IoTDB's documentation).
    expect(await s.rows('select s1 from root.sg.* order by time desc limit 3 offset 2 align by device')).toEqual([
      [3n, 'root.sg.d1', 30],
      [2n, 'root.sg.d1', 20],
      [2n, 'root.sg.d2', 200],
    ]);
    expect(
      await s.rows('select s1 from root.sg.* order by device, time desc limit 3 offset 2 align by device'),
    ).toEqual([
      [2n, 'root.sg.d1', 20],
      [1n, 'root.sg.d1', 10],
      [4n, 'root.sg.d2', 400],
    ]);
  });

  it('refuses a measurement whose type differs across devices', async () => {
    await s.sql("insert into root.sg.d3(time, s1) values (1, 'text')");
    await expect(s.sql('select s1 from root.sg.* align by device')).rejects.toMatchObject({ code: 701 });
  });
});
