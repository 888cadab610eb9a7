import { describe, expect, it } from 'vitest';
import {
  type Literal,
  type Predicate,
  parsePath,
  parseStatement,
  type SelectStatement,
  type Statement,
} from '../../../server/sql/index.js';

const one = (sql: string): Statement => parseStatement(sql, { timeZone: 'UTC' });
const pattern = (text: string) => parsePath(text, { wildcards: true });
const suffix = (text: string) => parsePath(text, { wildcards: true, relative: true });
const int = (n: number | bigint): Literal => ({ kind: 'integer', text: String(n), value: BigInt(n) });
const whereOf = (condition: string): Predicate =>
  (one(`select * from root.sg.d where ${condition}`) as SelectStatement).where!;
const series = (text: string) => ({ kind: 'path', path: suffix(text), absolute: false }) as const;
const time = { kind: 'time' } as const;

describe('INSERT', () => {
  it('reads rows with a time column and keeps the class of each literal', () => {
    expect(
      one(
        'INSERT INTO root.sg.d1(timestamp, s1, s2, s3, s4, s5) VALUES (1, 2, 2.5, \'text\', true, null), (-2, 1e10, NaN, "dq", FALSE, -.5)',
      ),
    ).toEqual({
      kind: 'insert',
      device: parsePath('root.sg.d1'),
      measurements: ['s1', 's2', 's3', 's4', 's5'],
      aligned: false,
      rows: [
        {
          time: int(1),
          values: [
            int(2),
            { kind: 'float', text: '2.5', value: 2.5 },
            { kind: 'string', value: 'text' },
            { kind: 'boolean', value: true },
            { kind: 'null' },
          ],
        },
        {
          time: int(-2),
          values: [
            { kind: 'float', text: '1e10', value: 1e10 },
            { kind: 'float', text: 'NaN', value: Number.NaN },
            { kind: 'string', value: 'dq' },
            { kind: 'boolean', value: false },
            { kind: 'float', text: '-.5', value: -0.5 },
          ],
        },
      ],
    });
  });

  it('leaves the time to the executor when there is no time column', () => {
    expect(one('insert into root.sg.d(s1, s2) values(1, 2)')).toMatchObject({
      measurements: ['s1', 's2'],
      rows: [{ time: null, values: [int(1), int(2)] }],
    });
  });

  it('reads ALIGNED and datetime / now() times', () => {
    const st = one(
      'insert into root.sg.d(time, s1) aligned values(2024-01-01 08:00:00, 1), (now(), 2), (2024-01-01T00:00:00.5+01:00, 3)',
    );
    expect(st).toMatchObject({
      aligned: true,
      rows: [
        { time: { kind: 'datetime', epochMillis: Date.UTC(2024, 0, 1, 8) } },
        { time: { kind: 'now', shifts: [] } },
        { time: { kind: 'datetime', epochMillis: Date.UTC(2023, 11, 31, 23, 0, 0, 500) } },
      ],
    });
  });

  it('keeps int64 values exact', () => {
    expect(one('insert into root.sg.d(time, s) values(1, -9223372036854775808)')).toMatchObject({
      rows: [{ values: [{ kind: 'integer', text: '-9223372036854775808', value: -9_223_372_036_854_775_808n }] }],
    });
  });

  it('reads quoted measurement names and keywords as names', () => {
    expect(one('insert into root.sg.d(time, `a.b`, select, device) values(1, 2, 3, 4)')).toMatchObject({
      measurements: ['a.b', 'select', 'device'],
    });
  });

  it('refuses rows of the wrong length, a late time column and a non-time time', () => {
    expect(() => one('insert into root.sg.d(time, s1) values(1, 2, 3)')).toThrow(
      expect.objectContaining({
        code: 701,
        message: 'line 1:38 the number of values (3) is not the number of columns (2)',
      }),
    );
    expect(() => one('insert into root.sg.d(s1, time) values(1, 2)')).toThrow(
      expect.objectContaining({ code: 701, message: 'line 1:26 the time column must come first' }),
    );
    expect(() => one("insert into root.sg.d(time, s1) values('a', 2)")).toThrow(
      expect.objectContaining({ code: 701, column: 39 }),
    );
  });
});

describe('SELECT', () => {
  it('reads a plain query with every default', () => {
    expect(one('SELECT s1, d2.s2, root.sg.d.s3 FROM root.sg.d, root.sg.e')).toEqual({
      kind: 'select',
      items: [
        { kind: 'series', path: suffix('s1'), absolute: false, alias: null },
        { kind: 'series', path: suffix('d2.s2'), absolute: false, alias: null },
        { kind: 'series', path: parsePath('root.sg.d.s3'), absolute: true, alias: null },
      ],
      from: [pattern('root.sg.d'), pattern('root.sg.e')],
      where: null,
      groupBy: null,
      orderBy: [],
      fill: null,
      limit: null,
      offset: null,
      slimit: null,
      soffset: null,
      alignBy: 'time',
    });
  });

  it('reads wildcards in the select list and in FROM', () => {
    expect(one('select *, **, d.* from root.**')).toMatchObject({
      items: [{ path: suffix('*') }, { path: suffix('**') }, { path: suffix('d.*') }],
      from: [pattern('root.**')],
    });
  });

  it('reads aggregations, lower-cased, of paths or *', () => {
    const st = one(
      'select COUNT(s1), sum(s1), avg(s1), min_value(s1), MAX_VALUE(*), first_value(s1), last_value(s1), min_time(s1), max_time(s1) as mt from root.sg.d',
    ) as SelectStatement;
    expect(st.items.map((i) => (i.kind === 'aggregation' ? i.function : i.kind))).toEqual([
      'count',
      'sum',
      'avg',
      'min_value',
      'max_value',
      'first_value',
      'last_value',
      'min_time',
      'max_time',
    ]);
    expect(st.items[4]).toEqual({
      kind: 'aggregation',
      function: 'max_value',
      path: suffix('*'),
      absolute: false,
      alias: null,
    });
    expect(st.items[8]!.alias).toBe('mt');
  });

  it('refuses unknown functions', () => {
    expect(() => one('select foo(s1) from root.sg.d')).toThrow(
      expect.objectContaining({ code: 701, message: 'line 1:7 unknown function foo' }),
    );
  });

  it('reads GROUP BY time with ranges, sliding steps and levels', () => {
    expect((one('select count(s1) from root.sg.d group by ([0, 100), 10ms, 5ms)') as SelectStatement).groupBy).toEqual({
      time: {
        start: int(0),
        end: int(100),
        leftOpen: false,
        interval: { text: '10ms', months: 0, nanos: 10_000_000n },
        sliding: { text: '5ms', months: 0, nanos: 5_000_000n },
      },
      levels: [],
    });
    expect(
      (
        one(
          'select count(s1) from root.** group by time((2024-01-01, 2024-02-01], 1d), level = 1, 2',
        ) as SelectStatement
      ).groupBy,
    ).toMatchObject({
      time: {
        start: { kind: 'datetime', epochMillis: Date.UTC(2024, 0, 1) },
        end: { kind: 'datetime', epochMillis: Date.UTC(2024, 1, 1) },
        leftOpen: true,
        interval: { text: '1d' },
        sliding: null,
      },
      levels: [1, 2],
    });
    expect((one('select count(s1) from root.** group by level=2') as SelectStatement).groupBy).toEqual({
      time: null,
      levels: [2],
    });
    expect((one('select count(s1) from root.sg.d group by (1h)') as SelectStatement).groupBy).toMatchObject({
      time: { start: null, end: null, interval: { text: '1h' } },
    });
  });

  it('reads ORDER BY, paging in any order and ALIGN BY DEVICE', () => {
    expect(
      one('select * from root.sg.* order by time desc soffset 1 limit 10 slimit 2 offset 3 align by device'),
    ).toMatchObject({
      orderBy: [{ key: 'time', direction: 'desc' }],
      limit: 10,
      offset: 3,
      slimit: 2,
      soffset: 1,
      alignBy: 'device',
    });
    expect(one('select * from root.sg.* order by device, time asc align by time')).toMatchObject({
      orderBy: [
        { key: 'device', direction: 'asc' },
        { key: 'time', direction: 'asc' },
      ],
      alignBy: 'time',
    });
  });

  it('reads SELECT LAST', () => {
    expect(one('select last s1, root.sg.d.s2 from root.sg.d where time > 10')).toEqual({
      kind: 'select-last',
      items: [
        { kind: 'series', path: suffix('s1'), absolute: false, alias: null },
        { kind: 'series', path: parsePath('root.sg.d.s2'), absolute: true, alias: null },
      ],
      from: [pattern('root.sg.d')],
      where: { kind: 'compare', op: '>', left: time, right: int(10) },
      orderBy: [],
      limit: null,
      offset: null,
      slimit: null,
      soffset: null,
    });
    expect(one('SELECT LAST * FROM root.**')).toMatchObject({ kind: 'select-last', items: [{ path: suffix('*') }] });
  });

  it('takes `last` as a series name where LAST cannot be meant', () => {
    expect(one('select last from root.sg.d')).toMatchObject({ kind: 'select', items: [{ path: suffix('last') }] });
  });

  it('refuses aggregations and grouping in SELECT LAST', () => {
    expect(() => one('select last count(s1) from root.sg.d')).toThrow(expect.objectContaining({ code: 701 }));
    expect(() => one('select last s1 from root.sg.d group by (1h)')).toThrow(expect.objectContaining({ code: 701 }));
  });
});

describe('WHERE', () => {
  it('reads time comparisons with every operator', () => {
    const ops = [
      ['>', '>'],
      ['>=', '>='],
      ['<', '<'],
      ['<=', '<='],
      ['=', '='],
      ['==', '='],
      ['!=', '!='],
      ['<>', '!='],
    ] as const;
    for (const [written, op] of ops) {
      expect(whereOf(`time ${written} 10`)).toEqual({ kind: 'compare', op, left: time, right: int(10) });
    }
  });

  it('reads datetimes and now() with shifts', () => {
    expect(whereOf('time >= 2024-01-01T00:00:00 and timestamp < now() - 1h')).toEqual({
      kind: 'and',
      left: {
        kind: 'compare',
        op: '>=',
        left: time,
        right: {
          kind: 'datetime',
          text: '2024-01-01T00:00:00',
          epochMillis: Date.UTC(2024, 0, 1),
          extraNanos: 0,
          shifts: [],
        },
      },
      right: {
        kind: 'compare',
        op: '<',
        left: time,
        right: { kind: 'now', shifts: [{ sign: -1, duration: { text: '1h', months: 0, nanos: 3_600_000_000_000n } }] },
      },
    });
  });

  it('binds AND tighter than OR, honours parentheses and NOT', () => {
    expect(whereOf('s1 > 1 or s2 < 2 and not s3 = 3')).toEqual({
      kind: 'or',
      left: { kind: 'compare', op: '>', left: series('s1'), right: int(1) },
      right: {
        kind: 'and',
        left: { kind: 'compare', op: '<', left: series('s2'), right: int(2) },
        right: { kind: 'not', operand: { kind: 'compare', op: '=', left: series('s3'), right: int(3) } },
      },
    });
    expect(whereOf('(s1 > 1 || s2 < 2) && !(time > 5)')).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
      right: { kind: 'not', operand: { kind: 'compare', left: time } },
    });
  });

  it('reads BETWEEN, IN and IS NULL', () => {
    expect(whereOf('time between 1 and 10')).toEqual({
      kind: 'between',
      operand: time,
      low: int(1),
      high: int(10),
      negated: false,
    });
    expect(whereOf('s1 not between -1 and 1 and s2 not in (1, 2) and s3 is not null')).toMatchObject({
      kind: 'and',
      left: {
        kind: 'and',
        left: { kind: 'between', negated: true },
        right: { kind: 'in', values: [int(1), int(2)], negated: true },
      },
      right: { kind: 'is-null', operand: series('s3'), negated: true },
    });
  });

  it('reads value predicates on full and suffix paths', () => {
    expect(whereOf("root.sg.d.s1 = 'x' and d.s2 != true")).toEqual({
      kind: 'and',
      left: {
        kind: 'compare',
        op: '=',
        left: { kind: 'path', path: parsePath('root.sg.d.s1'), absolute: true },
        right: { kind: 'string', value: 'x' },
      },
      right: { kind: 'compare', op: '!=', left: series('d.s2'), right: { kind: 'boolean', value: true } },
    });
  });
});

describe('DELETE, FLUSH, LOAD and SHOW VERSION', () => {
  it('deletes data with and without a time condition', () => {
    expect(one('DELETE FROM root.sg.d.s1, root.sg.*.s2 WHERE time <= 100')).toEqual({
      kind: 'delete-data',
      patterns: [pattern('root.sg.d.s1'), pattern('root.sg.*.s2')],
      where: { kind: 'compare', op: '<=', left: time, right: int(100) },
    });
    expect(one('delete from root.sg.**')).toEqual({
      kind: 'delete-data',
      patterns: [pattern('root.sg.**')],
      where: null,
    });
  });

  it('flushes everything or named databases', () => {
    expect(one('FLUSH')).toEqual({ kind: 'flush', databases: [], sequence: null, scope: null });
    expect(one('flush root.sg1, root.sg2 false on cluster')).toEqual({
      kind: 'flush',
      databases: [parsePath('root.sg1'), parsePath('root.sg2')],
      sequence: false,
      scope: 'cluster',
    });
  });

  it('loads a file, keeping its attributes', () => {
    expect(one("LOAD '/data/a.tsfile'")).toEqual({ kind: 'load-tsfile', file: '/data/a.tsfile', attributes: [] });
    expect(one("load '/data/a.tsfile' sglevel=2 verify=false, onSuccess=delete")).toEqual({
      kind: 'load-tsfile',
      file: '/data/a.tsfile',
      attributes: [
        ['sglevel', '2'],
        ['verify', 'false'],
        ['onsuccess', 'delete'],
      ],
    });
    expect(one("load 'a.tsfile' with ('database-level'='2', 'on-success'='none',)")).toEqual({
      kind: 'load-tsfile',
      file: 'a.tsfile',
      attributes: [
        ['database-level', '2'],
        ['on-success', 'none'],
      ],
    });
  });

  it('shows the version', () => {
    expect(one('SHOW VERSION')).toEqual({ kind: 'show-version' });
  });
});
