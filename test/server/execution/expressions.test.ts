import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlSession, type SqlSession } from './sql-harness.js';

// Data and expected results of IoTDB 1.3's "Operator and Expression" and "Function and
// Expression" pages: root.sg1 a and b (here root.db.sg1) (INT32, a null at 50, b null at 40), root.sg.d1 s1..s6.
let s: SqlSession;
beforeEach(async () => {
  s = openSqlSession();
  for (const sql of [
    'create timeseries root.db.sg1.a with datatype=INT32',
    'create timeseries root.db.sg1.b with datatype=INT32',
    'insert into root.db.sg1(time, a, b) values (10, 1, 1), (20, 2, 2), (30, 3, 3), (60, 6, 6)',
    'insert into root.db.sg1(time, a) values (40, 4)',
    'insert into root.db.sg1(time, b) values (50, 5)',
    'create timeseries root.sg.d1.s1 with datatype=DOUBLE',
    'create timeseries root.sg.d1.s2 with datatype=DOUBLE',
    'create timeseries root.sg.d1.s3 with datatype=FLOAT',
    'create timeseries root.sg.d1.s5 with datatype=BOOLEAN',
    'create timeseries root.sg.d1.s6 with datatype=TEXT',
    'create timeseries root.sg.d1.s7 with datatype=INT64',
    'insert into root.sg.d1(time, s1, s2) values (1, 1, 1), (2, 2, 2), (3, 3, 3)',
    "insert into root.sg.d1(time, s3, s5, s6, s7) values (100, 2.7, false, '10000', -5), (101, 3.33, true, 'TRue', 7)",
  ]) {
    await s.sql(sql);
  }
});
afterEach(async () => s.close());

describe('arithmetic in SELECT', () => {
  it('unary and binary operators: headers, DOUBLE results (documentation example)', async () => {
    expect(
      await s.sql(
        'select s1, - s1, s2, + s2, s1 + s2, s1 - s2, s1 * s2, s1 / s2, s1 % s2 from root.sg.d1 where time < 10',
      ),
    ).toEqual({
      columns: [
        'root.sg.d1.s1',
        '-root.sg.d1.s1',
        'root.sg.d1.s2',
        'root.sg.d1.s2',
        'root.sg.d1.s1 + root.sg.d1.s2',
        'root.sg.d1.s1 - root.sg.d1.s2',
        'root.sg.d1.s1 * root.sg.d1.s2',
        'root.sg.d1.s1 / root.sg.d1.s2',
        'root.sg.d1.s1 % root.sg.d1.s2',
      ],
      types: ['DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE'],
      ignoreTimeStamp: false,
      rows: [
        [1n, 1, -1, 1, 1, 2, 0, 1, 1, 0],
        [2n, 2, -2, 2, 2, 4, 0, 4, 1, 0],
        [3n, 3, -3, 3, 3, 6, 0, 9, 1, 0],
      ],
    });
  });

  it('nested expressions: parenthesized headers, null operands, rows kept while a cell has a value', async () => {
    const t = await s.sql(
      'select a, b, ((a + 1) * 2 - 1) % 2 + 1.5, sin(a + sin(a + sin(b))), -(a + b) * (sin(a + b) * sin(a + b) + cos(a + b) * cos(a + b)) + 1 from root.db.sg1',
    );
    expect(t!.columns).toEqual([
      'root.db.sg1.a',
      'root.db.sg1.b',
      '((((root.db.sg1.a + 1) * 2) - 1) % 2) + 1.5',
      'sin(root.db.sg1.a + sin(root.db.sg1.a + sin(root.db.sg1.b)))',
      '(-root.db.sg1.a + root.db.sg1.b * ((sin(root.db.sg1.a + root.db.sg1.b) * sin(root.db.sg1.a + root.db.sg1.b)) + (cos(root.db.sg1.a + root.db.sg1.b) * cos(root.db.sg1.a + root.db.sg1.b)))) + 1',
    ]);
    expect(t!.types).toEqual(['INT32', 'INT32', 'DOUBLE', 'DOUBLE', 'DOUBLE']);
    const rows = t!.rows;
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      [10n, 1, 1, 2.5],
      [20n, 2, 2, 2.5],
      [30n, 3, 3, 2.5],
      [40n, 4, null, 2.5],
      [50n, null, 5, null],
      [60n, 6, 6, 2.5],
    ]);
    expect(rows[0]![4]).toBeCloseTo(0.9238430524420609, 15);
    expect(rows[5]![4]).toBeCloseTo(-0.7288037411970916, 15);
    expect(rows.map((r) => (r[5] === null ? null : Math.round(r[5] as number)))).toEqual([-1, -3, -5, null, null, -11]);
  });

  it('a wildcard in an expression gives the cartesian product; all-null rows are left out', async () => {
    expect(await s.sql('select (a + *) / 2 from root.db.sg1')).toEqual({
      columns: ['(root.db.sg1.a + root.db.sg1.a) / 2', '(root.db.sg1.a + root.db.sg1.b) / 2'],
      types: ['DOUBLE', 'DOUBLE'],
      ignoreTimeStamp: false,
      rows: [
        [10n, 1, 1],
        [20n, 2, 2],
        [30n, 3, 3],
        [40n, 4, null],
        [60n, 6, 6],
      ],
    });
    expect((await s.sql('select a + b as total from root.db.sg1 limit 1'))!.columns).toEqual(['total']);
  });

  it('math functions: DOUBLE, abs keeps the type, round with places as Math.rint', async () => {
    const t = await s.sql('select abs(s7), abs(s3), sign(s7), sqrt(s3), round(s3, 1), round(s3) from root.sg.d1');
    expect(t!.columns).toEqual([
      'abs(root.sg.d1.s7)',
      'abs(root.sg.d1.s3)',
      'sign(root.sg.d1.s7)',
      'sqrt(root.sg.d1.s3)',
      'round(root.sg.d1.s3, 1)',
      'round(root.sg.d1.s3)',
    ]);
    expect(t!.types).toEqual(['INT64', 'FLOAT', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE']);
    expect(t!.rows).toEqual([
      [100n, 5n, Math.fround(2.7), -1, Math.sqrt(Math.fround(2.7)), 2.7, 3],
      [101n, 7n, Math.fround(3.33), 1, Math.sqrt(Math.fround(3.33)), 3.3, 3],
    ]);
  });

  it('CAST follows the conversion table', async () => {
    expect(
      await s.rows(
        'select cast(s5 as INT32), cast(s5 as INT64), cast(s5 as FLOAT), cast(s5 as DOUBLE), cast(s5 as TEXT) from root.sg.d1',
      ),
    ).toEqual([
      [100n, 0, 0n, 0, 0, 'false'],
      [101n, 1, 1n, 1, 1, 'true'],
    ]);
    const t = await s.sql(
      'select cast(s6 as INT32), cast(s3 as INT64), cast(s3 as TEXT) from root.sg.d1 where time = 100',
    );
    expect(t).toMatchObject({
      columns: ['CAST(root.sg.d1.s6 AS INT32)', 'CAST(root.sg.d1.s3 AS INT64)', 'CAST(root.sg.d1.s3 AS TEXT)'],
      types: ['INT32', 'INT64', 'TEXT'],
      rows: [[100n, 10000, 3n, '2.7']],
    });
    expect(await s.rows('select cast(s6 as BOOLEAN) from root.sg.d1 where time = 101')).toEqual([[101n, true]]);
    await expect(s.rows('select cast(s6 as BOOLEAN) from root.sg.d1')).rejects.toThrow(/cannot cast 10000 to BOOLEAN/);
  });

  it('refuses what IoTDB refuses: text in arithmetic, aggregations mixed in, unknown functions', async () => {
    await expect(s.sql('select s6 + 1 from root.sg.d1')).rejects.toThrow(
      /Invalid input expression data type. expression: root.sg.d1.s6, actual data type: TEXT/,
    );
    await expect(s.sql('select count(s1) + 1 from root.sg.d1')).rejects.toThrow(/expressions of aggregations/);
    await expect(s.sql('select sin(s1), count(s1) from root.sg.d1')).rejects.toThrow(/hybrid/);
    await expect(s.sql('select foo(s1) from root.sg.d1')).rejects.toThrow(/unknown function foo/);
  });
});

describe('expressions in WHERE', () => {
  it('compare computed values; a null operand keeps no row', async () => {
    expect(await s.rows('select a, b from root.db.sg1 where a + b > 5')).toEqual([
      [30n, 3, 3],
      [60n, 6, 6],
    ]);
    expect(await s.rows('select a from root.db.sg1 where -a < -3 and abs(a - 5) <= 1')).toEqual([
      [40n, 4],
      [60n, 6],
    ]);
    expect(await s.rows('select s7 from root.sg.d1 where time = 100 and cast(s6 as INT32) > 100')).toEqual([
      [100n, -5n],
    ]);
    expect(await s.rows('select a from root.db.sg1 where (a + b) / 2 >= 3 or (a < 2 and b < 2)')).toEqual([
      [10n, 1],
      [30n, 3],
      [60n, 6],
    ]);
    expect(await s.rows('select a from root.db.sg1 where time > 10 and a * 2 between 4 and 6')).toEqual([
      [20n, 2],
      [30n, 3],
    ]);
  });
});
