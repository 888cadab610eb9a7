import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Compression } from '../../../tsfile/compression-type.js';
import { DataType } from '../../../tsfile/data-type.js';
import { Encoding } from '../../../tsfile/encoding-type.js';
import { TsFileWriter } from '../../../tsfile/write/tsfile-writer.js';
import { NOW_MS, openSqlSession, type SqlSession } from './sql-harness.js';

let s: SqlSession;
afterEach(async () => s.close());

describe('INSERT', () => {
  it('infers the types of new series from literals as IoTDB does', async () => {
    s = openSqlSession();
    await s.sql("insert into root.sg.n(time, i, f, b, t, x) values (1, 1, 1.5, true, 'x', null)");
    expect((await s.rows('show timeseries root.sg.n.*')).map((r) => [r[0], r[3]])).toEqual([
      ['root.sg.n.b', 'BOOLEAN'],
      ['root.sg.n.f', 'DOUBLE'],
      ['root.sg.n.i', 'DOUBLE'],
      ['root.sg.n.t', 'TEXT'],
    ]);
    expect(await s.rows('select * from root.sg.n')).toEqual([[1n, true, 1.5, 1, 'x']]);
  });

  it('converts literals to the registered types of existing series', async () => {
    s = openSqlSession();
    await s.sql('create timeseries root.sg.d.i with datatype=INT32');
    await s.sql('create timeseries root.sg.d.l with datatype=INT64');
    await s.sql('create timeseries root.sg.d.f with datatype=FLOAT');
    await s.sql('create timeseries root.sg.d.b with datatype=BOOLEAN');
    await s.sql('create timeseries root.sg.d.t with datatype=TEXT');
    await s.sql('create timeseries root.sg.d.dt with datatype=DATE');
    await s.sql(
      "insert into root.sg.d(timestamp, i, l, f, b, t, dt) values (1, 7, 9223372036854775807, 0.1, 1, 12.50, '2024-02-29')",
    );
    expect(await s.rows('select i, l, f, b, t, dt from root.sg.d')).toEqual([
      [1n, 7, 9223372036854775807n, Math.fround(0.1), true, '12.50', 20240229],
    ]);
  });

  it('writes what fits and fails with 507 naming the values that do not, as IoTDB partial insert', async () => {
    s = openSqlSession();
    await s.sql('create timeseries root.sg.d.c with datatype=INT32');
    await expect(s.sql("insert into root.sg.d(time, c, ok) values (3, 'seven', 1), (4, 2.5, 2)")).rejects.toMatchObject(
      {
        code: 507,
        message:
          "Fail to insert measurements [c, c] caused by [data type is not consistent, input 'seven', registered INT32, data type is not consistent, input 2.5, registered INT32]",
      },
    );
    expect(await s.rows('select c, ok from root.sg.d')).toEqual([
      [3n, null, 1],
      [4n, null, 2],
    ]);
  });

  it("writes IoTDB's X'..' binary literal to BLOB series and compares with it", async () => {
    s = openSqlSession();
    await s.sql("insert into root.sg.bl(time, b) values (1, X'4869'), (2, x''), (3, X'4A4b')");
    expect((await s.rows('show timeseries root.sg.bl.*')).map((r) => [r[0], r[3]])).toEqual([['root.sg.bl.b', 'BLOB']]);
    expect(await s.rows('select b from root.sg.bl')).toEqual([
      [1n, 'Hi'],
      [2n, ''],
      [3n, 'JK'],
    ]);
    expect(await s.rows("select b from root.sg.bl where b = X'4869'")).toEqual([[1n, 'Hi']]);
    expect(await s.rows("select b from root.sg.bl where b > X'49'")).toEqual([[3n, 'JK']]);
    await expect(s.sql("insert into root.sg.bl(time, b) values (4, X'123')")).rejects.toThrow(
      "X'123' is not a binary literal: it needs an even number of hex digits",
    );
    await s.sql("insert into root.sg.t(time, t) values (1, 'x')");
    await expect(s.sql("insert into root.sg.t(time, t) values (2, X'41')")).rejects.toMatchObject({
      code: 507,
      message: expect.stringContaining("input X'41', registered TEXT"),
    });
  });

  it('stamps rows with the statement clock and reads datetimes in the session zone', async () => {
    s = openSqlSession();
    await s.sql('insert into root.sg.d(s) values (1)');
    await s.sql('insert into root.sg.d(time, s) values (now() - 1s, 2)');
    await s.sql('insert into root.sg.d(time, s) values (1970-01-01T08:00:00.005, 3), (2024-01-01T00:00:00Z, 4)');
    expect(await s.rows('select s from root.sg.d')).toEqual([
      [5n, 3],
      [BigInt(NOW_MS - 1000), 2],
      [BigInt(NOW_MS), 1],
      [1704067200000n, 4],
    ]);
  });

  it('writes aligned devices and refuses mixing alignment', async () => {
    s = openSqlSession();
    await s.sql('insert into root.sg.a(time, x, y) aligned values (1, 1, null), (2, null, 2)');
    expect((await s.rows('show devices root.sg.a'))[0]![1]).toBe('true');
    expect(await s.rows('select x, y from root.sg.a')).toEqual([
      [1n, 1, null],
      [2n, null, 2],
    ]);
    await expect(s.sql('insert into root.sg.a(time, x) values (3, 3)')).rejects.toMatchObject({ code: 609 });
  });

  it('needs the series when automatic schema creation is off', async () => {
    s = openSqlSession({ autoCreateSchema: false });
    await expect(s.sql('insert into root.sg.d(time, s) values (1, 1)')).rejects.toMatchObject({ code: 508 });
    await expect(s.sql('create timeseries root.sg.d.s with datatype=INT64')).rejects.toMatchObject({
      code: 500,
      message: 'Database is not set for current seriesPath: [root.sg.d]',
    });
    await s.sql('create database root.sg');
    await s.sql('create timeseries root.sg.d.s with datatype=INT64');
    await s.sql('insert into root.sg.d(time, s) values (1, 1)');
    expect(await s.rows('select s from root.sg.d')).toEqual([[1n, 1n]]);
  });
});

describe('DELETE, FLUSH, LOAD', () => {
  it('deletes points in a time range and keeps the series', async () => {
    s = openSqlSession();
    await s.sql('insert into root.sg.d1(time, s1, s2) values (1, 10, 1.5), (2, 20, 2.5), (3, 30, null), (5, 50, 5.5)');
    await s.sql('delete from root.sg.d1.* where time <= 2');
    expect(await s.rows('select s1 from root.sg.d1')).toEqual([
      [3n, 30],
      [5n, 50],
    ]);
    await s.sql('flush');
    await s.sql('delete from root.sg.d1.s1 where time > 4');
    expect(await s.rows('select s1 from root.sg.d1')).toEqual([[3n, 30]]);
    await s.sql('delete from root.sg.**');
    expect(await s.rows('select * from root.sg.d1')).toEqual([]);
    expect((await s.rows('count timeseries'))[0]).toEqual([2n]);
    await expect(s.sql('delete from root.sg.d1.s1 where s1 > 4')).rejects.toMatchObject({
      code: 701,
      message:
        'For delete statement, where clause can only contain time expressions, value filter is not currently supported.',
    });
  });

  it('flushes all or named databases', async () => {
    s = openSqlSession();
    await s.sql('insert into root.sg.d(time, s) values (1, 1)');
    await s.sql('flush root.sg');
    expect(s.engine.sealedFiles()).toHaveLength(1);
    await expect(s.sql('flush root.none')).rejects.toMatchObject({ code: 500 });
  });

  it('loads a sealed TsFile and refuses a missing one', async () => {
    s = openSqlSession();
    const file = join(s.dir, 'import.tsfile');
    const writer = TsFileWriter.create(file);
    writer.registerDevice({
      device: 'root.imp.d1',
      aligned: false,
      measurements: [
        { name: 's1', dataType: DataType.INT64, encoding: Encoding.TS_2DIFF, compression: Compression.LZ4 },
      ],
    });
    writer.write({
      device: 'root.imp.d1',
      measurements: ['s1'],
      dataTypes: [DataType.INT64],
      aligned: false,
      times: BigInt64Array.of(1n, 2n),
      columns: [BigInt64Array.of(10n, 20n)],
      nulls: [null],
      rowCount: 2,
    });
    writer.close();
    await s.sql(`load '${file}'`);
    expect(await s.rows('select s1 from root.imp.d1')).toEqual([
      [1n, 10n],
      [2n, 20n],
    ]);
    await expect(s.sql(`load '${join(s.dir, 'missing.tsfile')}'`)).rejects.toMatchObject({ code: 1100 });
  });
});

describe('delegated statements', () => {
  it('hands users, privileges and pipes to the context delegate unchanged', async () => {
    s = openSqlSession();
    for (const [sql, kind] of [
      ['list user', 'list-user'],
      ["create user u 'pw123456'", 'create-user'],
      ['show pipes', 'show-pipes'],
      ['drop pipe p', 'drop-pipe'],
    ] as const) {
      expect(await s.run(sql)).toEqual({ kind: 'done', message: `delegated ${kind}` });
    }
  });
});
