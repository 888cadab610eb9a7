import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStatement } from '../../../server/sql/index.js';
import { openSqlSession, type SqlSession } from './sql-harness.js';

// The rows of IoTDB's FILL documentation (root.sgcc.wf03.wt01, four minutes) at times
// 1..4, and its GROUP BY example (avg over 1-minute windows, values at minutes 1, 6 and 8)
// scaled to 10 ms windows.
let s: SqlSession;
beforeEach(async () => {
  s = openSqlSession();
  for (const sql of [
    'create timeseries root.sgcc.wf03.wt01.temperature with datatype=DOUBLE',
    'create timeseries root.sgcc.wf03.wt01.status with datatype=BOOLEAN',
    'create timeseries root.sgcc.wf03.wt01.code with datatype=INT32',
    'create timeseries root.sgcc.wf03.wt01.note with datatype=TEXT',
    "insert into root.sgcc.wf03.wt01(time, temperature, status, code, note) values (1, 21.93, true, 10, 'a')",
    'insert into root.sgcc.wf03.wt01(time, status) values (2, false)',
    'insert into root.sgcc.wf03.wt01(time, temperature, code) values (3, 22.23, 15)',
    'insert into root.sgcc.wf03.wt01(time, temperature) values (4, 23.43)',
    'insert into root.db.d1(time, s1) values (18, 1.0), (68, 2.0), (88, 3.0)',
  ]) {
    await s.sql(sql);
  }
});
afterEach(async () => s.close());

const RAW = 'select temperature, status from root.sgcc.wf03.wt01';
const WINDOWS = 'select avg(s1) from root.db.d1 group by ([0, 100), 10ms)';

describe('FILL', () => {
  it('parses IoTDB 1.3 forms and refuses an interval on LINEAR and constants', () => {
    const fill = (sql: string) => (parseStatement(sql) as { fill: unknown }).fill;
    expect(fill(`${RAW} fill(previous)`)).toEqual({ kind: 'previous', interval: null });
    expect(fill(`${RAW} fill(PREVIOUS, 2m)`)).toMatchObject({ kind: 'previous', interval: { text: '2m' } });
    expect(fill(`${RAW} fill(linear) limit 2`)).toEqual({ kind: 'linear' });
    expect(fill(`${RAW} fill(-2.5)`)).toMatchObject({ kind: 'constant', value: { kind: 'float', value: -2.5 } });
    expect(() => parseStatement(`${RAW} fill(linear, 2m)`)).toThrow(/takes no time interval/);
    expect(() => parseStatement(`${RAW} fill(1, 2m)`)).toThrow(/takes no time interval/);
  });

  it('without FILL, the documented nulls', async () => {
    expect(await s.rows(RAW)).toEqual([
      [1n, 21.93, true],
      [2n, null, false],
      [3n, 22.23, null],
      [4n, 23.43, null],
    ]);
  });

  it('PREVIOUS carries the last non-null value; a leading null stays', async () => {
    expect(await s.rows(`${RAW} fill(previous)`)).toEqual([
      [1n, 21.93, true],
      [2n, 21.93, false],
      [3n, 22.23, false],
      [4n, 23.43, false],
    ]);
    expect(await s.rows(`${WINDOWS} fill(previous)`)).toEqual([
      [0n, null],
      [10n, 1],
      [20n, 1],
      [30n, 1],
      [40n, 1],
      [50n, 1],
      [60n, 2],
      [70n, 2],
      [80n, 3],
      [90n, 3],
    ]);
  });

  it('PREVIOUS with an interval fills only within it (inclusive)', async () => {
    expect(await s.rows(`${WINDOWS} fill(previous, 20ms)`)).toEqual([
      [0n, null],
      [10n, 1],
      [20n, 1],
      [30n, 1],
      [40n, null],
      [50n, null],
      [60n, 2],
      [70n, 2],
      [80n, 3],
      [90n, 3],
    ]);
    // An integer interval is in the timestamp precision (ms here).
    expect(await s.rows(`${WINDOWS} fill(previous, 10) limit 3 offset 1`)).toEqual([
      [10n, 1],
      [20n, 1],
      [30n, null],
    ]);
  });

  it('LINEAR interpolates by time between neighbours; booleans and ends stay null', async () => {
    expect(await s.rows(`${RAW} fill(linear)`)).toEqual([
      [1n, 21.93, true],
      [2n, 21.93 + (22.23 - 21.93) * 0.5, false],
      [3n, 22.23, null],
      [4n, 23.43, null],
    ]);
    // INT32: 10 + (15 - 10) * 1/2 = 12.5, truncated.
    expect(await s.rows('select code, status from root.sgcc.wf03.wt01 fill(linear)')).toEqual([
      [1n, 10, true],
      [2n, 12, false],
      [3n, 15, null],
    ]);
    expect(await s.rows(`${WINDOWS} fill(linear)`)).toEqual([
      [0n, null],
      [10n, 1],
      [20n, 1.2],
      [30n, 1.4],
      [40n, 1.6],
      [50n, 1.8],
      [60n, 2],
      [70n, 2.5],
      [80n, 3],
      [90n, null],
    ]);
  });

  it('LINEAR gives the same rows whatever the block size', async () => {
    const whole = await s.rows(`${WINDOWS} fill(linear)`, 1000);
    expect(await s.rows(`${WINDOWS} fill(linear)`, 1)).toEqual(whole);
    expect(await s.rows(`${WINDOWS} fill(linear)`, 3)).toEqual(whole);
  });

  it('a constant fills the columns whose type takes it (IoTDB documentation table)', async () => {
    expect(await s.rows(`${RAW} fill(2.0)`)).toEqual([
      [1n, 21.93, true],
      [2n, 2, false],
      [3n, 22.23, null],
      [4n, 23.43, null],
    ]);
    expect(await s.rows(`${RAW} fill(true)`)).toEqual([
      [1n, 21.93, true],
      [2n, null, false],
      [3n, 22.23, true],
      [4n, 23.43, true],
    ]);
    expect(await s.rows('select code, note, temperature from root.sgcc.wf03.wt01 fill(7)')).toEqual([
      [1n, 10, 'a', 21.93],
      [3n, 15, '7', 22.23],
      [4n, 7, '7', 23.43],
    ]);
    expect(await s.rows("select code, note, temperature from root.sgcc.wf03.wt01 where time > 2 fill('z')")).toEqual([
      [3n, 15, 'z', 22.23],
      [4n, null, 'z', 23.43],
    ]);
    // Too large for INT32: the INT32 column is left as it is.
    expect(await s.rows('select code, status from root.sgcc.wf03.wt01 where time > 1 fill(3000000000)')).toEqual([
      [2n, null, false],
      [3n, 15, null],
    ]);
  });

  it('ALIGN BY DEVICE fills within each device, ORDER BY TIME DESC in output order', async () => {
    expect(await s.rows('select s1 from root.db.d1 where time > 60 order by time desc fill(previous)')).toEqual([
      [88n, 3],
      [68n, 2],
    ]);
    expect(await s.rows('select temperature from root.sgcc.** fill(previous) align by device')).toEqual([
      [1n, 'root.sgcc.wf03.wt01', 21.93],
      [3n, 'root.sgcc.wf03.wt01', 22.23],
      [4n, 'root.sgcc.wf03.wt01', 23.43],
    ]);
  });
});
