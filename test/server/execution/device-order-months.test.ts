import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlSession, type SqlSession } from './sql-harness.js';

let s: SqlSession;
beforeEach(async () => {
  s = openSqlSession();
});
afterEach(async () => s.close());

describe('ORDER BY with ALIGN BY DEVICE (IoTDB documentation example)', () => {
  beforeEach(async () => {
    for (const sql of [
      "insert into root.ln.wf02.wt02(time, hardware, status) values (1, 'v1', true), (2, 'v2', false), (1000, 'v2', true), (2000, 'v2', true)",
      'insert into root.ln.wf01.wt01(time, status, temperature) values (1000, true, 25.96), (2000, true, 24.36)',
    ]) {
      await s.sql(sql);
    }
  });

  const rowsOf = (order: string) => s.rows(`select * from root.ln.** ${order} align by device`);
  const W1 = 'root.ln.wf01.wt01';
  const W2 = 'root.ln.wf02.wt02';

  it('defaults to ORDER BY DEVICE, TIME; DEVICE DESC reverses the devices', async () => {
    expect((await rowsOf('')).map((r) => [r[0], r[1]])).toEqual([
      [1000n, W1],
      [2000n, W1],
      [1n, W2],
      [2n, W2],
      [1000n, W2],
      [2000n, W2],
    ]);
    expect((await rowsOf('order by device desc, time asc')).map((r) => [r[0], r[1]])).toEqual([
      [1n, W2],
      [2n, W2],
      [1000n, W2],
      [2000n, W2],
      [1000n, W1],
      [2000n, W1],
    ]);
  });

  it('ORDER BY TIME interleaves devices; equal times follow the device order', async () => {
    expect(await rowsOf('order by time asc, device desc')).toEqual([
      // Columns in first-appearance order over the sorted devices: status, temperature, hardware.
      [1n, W2, true, null, 'v1'],
      [2n, W2, false, null, 'v2'],
      [1000n, W2, true, null, 'v2'],
      [1000n, W1, true, 25.96, null],
      [2000n, W2, true, null, 'v2'],
      [2000n, W1, true, 24.36, null],
    ]);
    expect((await rowsOf('order by time desc')).map((r) => [r[0], r[1]])).toEqual([
      [2000n, W1],
      [2000n, W2],
      [1000n, W1],
      [1000n, W2],
      [2n, W2],
      [1n, W2],
    ]);
    expect(
      (await s.rows(`select status from root.ln.** order by time limit 2 offset 2 align by device`, 1)).map((r) => [
        r[0],
        r[1],
      ]),
    ).toEqual([
      [1000n, W1],
      [1000n, W2],
    ]);
  });

  it('applies to aggregations by device (documentation example, left-open windows)', async () => {
    expect(
      await s.rows(
        'select count(status) from root.ln.** group by ((0, 3000], 1000ms) order by time, device align by device',
      ),
    ).toEqual([
      [1000n, W1, 1n],
      [1000n, W2, 3n],
      [2000n, W1, 1n],
      [2000n, W2, 1n],
      [3000n, W1, 0n],
      [3000n, W2, 0n],
    ]);
  });
});

describe('GROUP BY calendar months (IoTDB documentation: natural month)', () => {
  // The session zone is +08:00; wall times there as epoch milliseconds.
  const at = (y: number, m: number, d: number, h = 0) => BigInt(Date.UTC(y, m - 1, d, h) - 8 * 3_600_000);

  it('steps from the start day, the 31st landing on each month end, windows a month long', async () => {
    const points: [number, number, number, number][] = [
      [2017, 11, 15, 0],
      [2017, 11, 29, 23],
      [2017, 11, 30, 0], // the first window ends on 11-30 (10-31 + 1mo)
      [2017, 12, 15, 0], // between windows
      [2018, 1, 15, 0],
      [2018, 3, 30, 0], // window 3 is [02-28, 03-31): counted from 10-31 + 5mo
      [2018, 4, 30, 12],
    ];
    const values = points.map(([y, m, d, h], i) => `(${at(y, m, d, h)}, ${i})`).join(', ');
    await s.sql(`insert into root.m.d(time, s) values ${values}`);
    expect(
      await s.rows('select count(s) from root.m.d group by ([2017-10-31T00:00:00, 2018-05-01T00:00:00), 1mo, 2mo)'),
    ).toEqual([
      [at(2017, 10, 31), 2n],
      [at(2017, 12, 31), 1n],
      [at(2018, 2, 28), 1n],
      [at(2018, 4, 30), 1n],
    ]);
    expect(
      await s.rows('select count(s) from root.m.d group by ([2017-11-01T00:00:00, 2018-02-01T00:00:00), 1mo)'),
    ).toEqual([
      [at(2017, 11, 1), 3n],
      [at(2017, 12, 1), 1n],
      [at(2018, 1, 1), 1n],
    ]);
  });
});
