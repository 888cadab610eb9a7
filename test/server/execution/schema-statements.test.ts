import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlSession, type SqlSession } from './sql-harness.js';

let s: SqlSession;
beforeEach(() => {
  s = openSqlSession();
});
afterEach(async () => s.close());

describe('schema statements', () => {
  it('create, show, count and delete databases with IoTDB 1.3 headers', async () => {
    await s.sql('create database root.sg');
    await s.sql('CREATE DATABASE root.other');
    expect(await s.sql('show databases')).toEqual({
      columns: [
        'Database',
        'SchemaReplicationFactor',
        'DataReplicationFactor',
        'TimePartitionOrigin',
        'TimePartitionInterval',
      ],
      types: ['TEXT', 'INT32', 'INT32', 'INT64', 'INT64'],
      ignoreTimeStamp: true,
      rows: [
        ['root.other', 1, 1, 0n, 604800000n],
        ['root.sg', 1, 1, 0n, 604800000n],
      ],
    });
    expect(await s.sql('count databases')).toEqual({
      columns: ['count(database)'],
      types: ['INT32'],
      ignoreTimeStamp: true,
      rows: [[2]],
    });
    expect(await s.rows('count databases root.sg')).toEqual([[1]]);
    expect((await s.sql('show databases details root.sg'))!).toMatchObject({
      columns: [
        'Database',
        'SchemaReplicationFactor',
        'DataReplicationFactor',
        'TimePartitionOrigin',
        'TimePartitionInterval',
        'SchemaRegionGroupNum',
        'MinSchemaRegionGroupNum',
        'MaxSchemaRegionGroupNum',
        'DataRegionGroupNum',
        'MinDataRegionGroupNum',
        'MaxDataRegionGroupNum',
      ],
      rows: [['root.sg', 1, 1, 0n, 604800000n, 1, 1, 1, 1, 1, 1]],
    });
    expect((await s.sql('show databases root.sg'))!.rows.map((r) => r[0])).toEqual(['root.sg']);
    await expect(s.sql('create database root.sg')).rejects.toMatchObject({ code: 501 });
    await s.sql('delete database root.other');
    expect((await s.sql('count databases'))!.rows).toEqual([[1]]);
    await expect(s.sql('delete database root.nothing')).rejects.toMatchObject({ code: 500 });
  });

  it('creates time series with type, encoding, compression, alias, tags and attributes', async () => {
    await s.sql(
      "create timeseries root.sg.d1.s1(temp) with datatype=FLOAT, encoding=RLE, compressor=SNAPPY tags('unit'='c') attributes('loc'='x')",
    );
    await s.sql('create aligned timeseries root.sg.d2(a INT32, b TEXT encoding=PLAIN)');
    const table = await s.sql('show timeseries root.sg.**');
    expect(table!.columns).toEqual([
      'Timeseries',
      'Alias',
      'Database',
      'DataType',
      'Encoding',
      'Compression',
      'Tags',
      'Attributes',
      'Deadband',
      'DeadbandParameters',
      'ViewType',
    ]);
    expect(table!.rows).toEqual([
      ['root.sg.d1.s1', 'temp', 'root.sg', 'FLOAT', 'RLE', 'SNAPPY', '{"unit":"c"}', '{"loc":"x"}', null, null, 'BASE'],
      ['root.sg.d2.a', null, 'root.sg', 'INT32', 'TS_2DIFF', 'LZ4', null, null, null, null, 'BASE'],
      ['root.sg.d2.b', null, 'root.sg', 'TEXT', 'PLAIN', 'LZ4', null, null, null, null, 'BASE'],
    ]);
    expect(await s.sql('show devices')).toEqual({
      columns: ['Device', 'IsAligned', 'Template', 'TTL(ms)'],
      types: ['TEXT', 'TEXT', 'TEXT', 'TEXT'],
      ignoreTimeStamp: true,
      rows: [
        ['root.sg.d1', 'false', null, 'INF'],
        ['root.sg.d2', 'true', null, 'INF'],
      ],
    });
    expect((await s.sql('show devices root.sg.d2 with database'))!.rows).toEqual([
      ['root.sg.d2', 'root.sg', 'true', null, 'INF'],
    ]);
    expect((await s.sql('count timeseries root.**'))!).toMatchObject({ columns: ['count(timeseries)'], rows: [[3n]] });
    expect((await s.sql('count timeseries root.** group by level=2'))!.rows).toEqual([
      ['root.sg.d1', 1n],
      ['root.sg.d2', 2n],
    ]);
    expect((await s.sql('count devices'))!).toMatchObject({
      columns: ['count(devices)'],
      types: ['INT64'],
      rows: [[2n]],
    });
    expect(await s.rows('count devices root.sg.d1')).toEqual([[1n]]);
    expect(await s.rows('count timeseries root.sg.d2.*')).toEqual([[2n]]);
    expect((await s.sql('show timeseries root.sg.** limit 1 offset 1'))!.rows.map((r) => r[0])).toEqual([
      'root.sg.d2.a',
    ]);
  });

  it('refuses what IoTDB refuses, with its status codes', async () => {
    await expect(
      s.sql('create timeseries root.sg.d1.s1 with datatype=BOOLEAN, encoding=GORILLA'),
    ).rejects.toMatchObject({
      code: 507,
    });
    await expect(s.sql('create timeseries root.sg.d1.s1 with datatype=WHAT')).rejects.toMatchObject({ code: 507 });
    await s.sql('create timeseries root.sg.d1.s1 with datatype=INT64');
    await expect(s.sql('create timeseries root.sg.d1.s1 with datatype=INT64')).rejects.toMatchObject({
      code: 503,
      message: 'Path [root.sg.d1.s1] already exist',
    });
    await expect(s.sql('create aligned timeseries root.sg.d1(s1 INT32)')).rejects.toMatchObject({ code: 503 });
    await expect(s.sql('create timeseries root.sg with datatype=INT64')).rejects.toMatchObject({ code: 509 });
    await expect(s.sql('delete timeseries root.sg.d9.*')).rejects.toMatchObject({ code: 508 });
  });

  it('deletes time series with their data, by pattern', async () => {
    await s.sql('insert into root.sg.d1(time, s1, s2) values (1, 1, 2)');
    await s.sql('delete timeseries root.sg.d1.*');
    expect((await s.sql('count timeseries'))!.rows).toEqual([[0n]]);
    await s.sql("insert into root.sg.d1(time, s1) values (2, 'x')");
    expect((await s.sql('select s1 from root.sg.d1'))!.rows).toEqual([[2n, 'x']]);
  });

  it('reports the version', async () => {
    expect(await s.sql('show version')).toMatchObject({
      columns: ['Version', 'BuildInfo'],
      rows: [['0.1.0', 'iotdb-lite 0.1.0']],
    });
  });
});
