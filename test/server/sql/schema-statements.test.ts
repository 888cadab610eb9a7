import { describe, expect, it } from 'vitest';
import { parsePath, parseStatement, type Statement, type StatementKind } from '../../../server/sql/index.js';

const one = (sql: string): Statement => parseStatement(sql, { timeZone: 'UTC' });
const pattern = (text: string) => parsePath(text, { wildcards: true });
const kindOf = (sql: string): StatementKind => one(sql).kind;

describe('databases', () => {
  it('creates a database in all three spellings', () => {
    const expected = { kind: 'create-database', path: parsePath('root.sg') };
    expect(one('CREATE DATABASE root.sg')).toEqual(expected);
    expect(one('SET STORAGE GROUP TO root.sg')).toEqual(expected);
    expect(one('create storage group root.sg;')).toEqual(expected);
  });

  it('shows databases, with or without a pattern', () => {
    expect(one('SHOW DATABASES')).toEqual({ kind: 'show-databases', pattern: null, details: false });
    expect(one('show databases root.**')).toEqual({
      kind: 'show-databases',
      pattern: pattern('root.**'),
      details: false,
    });
    expect(one('show databases details')).toEqual({ kind: 'show-databases', pattern: null, details: true });
    expect(one('SHOW STORAGE GROUP root.*')).toEqual({
      kind: 'show-databases',
      pattern: pattern('root.*'),
      details: false,
    });
  });

  it('deletes several databases', () => {
    const expected = { kind: 'delete-database', patterns: [pattern('root.sg1'), pattern('root.sg2.**')] };
    expect(one('DELETE DATABASE root.sg1, root.sg2.**')).toEqual(expected);
    expect(one('drop database root.sg1, root.sg2.**')).toEqual(expected);
    expect(one('delete storage group root.sg1, root.sg2.**')).toEqual(expected);
  });

  it('counts databases', () => {
    expect(one('COUNT DATABASES')).toEqual({ kind: 'count-databases', pattern: null });
    expect(one('count storage group root.*')).toEqual({ kind: 'count-databases', pattern: pattern('root.*') });
  });
});

describe('CREATE TIMESERIES', () => {
  const defaults = { encoding: null, compressor: null, alias: null, tags: [], attributes: [] };

  it('reads the WITH form with every clause', () => {
    expect(
      one(
        "CREATE TIMESERIES root.ln.wf01.wt01.status WITH DATATYPE=BOOLEAN, ENCODING=PLAIN, COMPRESSOR=SNAPPY TAGS(tag1=v1, 'tag 2'='v 2') ATTRIBUTES(attr1=1.5, attr2=-3)",
      ),
    ).toEqual({
      kind: 'create-timeseries',
      path: parsePath('root.ln.wf01.wt01.status'),
      dataType: 'BOOLEAN',
      encoding: 'PLAIN',
      compressor: 'SNAPPY',
      alias: null,
      tags: [
        ['tag1', 'v1'],
        ['tag 2', 'v 2'],
      ],
      attributes: [
        ['attr1', '1.5'],
        ['attr2', '-3'],
      ],
    });
  });

  it('upper-cases words and accepts COMPRESSION and == ', () => {
    expect(one('create timeseries root.sg.d.s with datatype==int64, encoding=ts_2diff, compression=lz4')).toEqual({
      kind: 'create-timeseries',
      path: parsePath('root.sg.d.s'),
      ...defaults,
      dataType: 'INT64',
      encoding: 'TS_2DIFF',
      compressor: 'LZ4',
    });
  });

  it('reads the short form, keyed or not, pairs without commas', () => {
    expect(one('CREATE TIMESERIES root.sg.d.s INT32')).toEqual({
      kind: 'create-timeseries',
      path: parsePath('root.sg.d.s'),
      ...defaults,
      dataType: 'INT32',
    });
    expect(one('create timeseries root.sg.d.s datatype=float encoding=gorilla compressor=uncompressed')).toEqual({
      kind: 'create-timeseries',
      path: parsePath('root.sg.d.s'),
      ...defaults,
      dataType: 'FLOAT',
      encoding: 'GORILLA',
      compressor: 'UNCOMPRESSED',
    });
  });

  it('reads an alias and a TIMESTAMP data type', () => {
    expect(one('create timeseries root.sg.d.s(temperature) with datatype=TIMESTAMP')).toMatchObject({
      alias: 'temperature',
      dataType: 'TIMESTAMP',
    });
  });

  it('reads quoted paths and a string data type', () => {
    expect(one("create timeseries root.sg.`d-1`.`s.1` 'TEXT'")).toMatchObject({
      path: { nodes: ['root', 'sg', 'd-1', 's.1'], text: 'root.sg.`d-1`.`s.1`' },
      dataType: 'TEXT',
    });
  });

  it('refuses unknown attributes and a first key other than DATATYPE', () => {
    expect(() => one('create timeseries root.sg.d.s with datatype=int32, foo=bar')).toThrow(
      expect.objectContaining({ code: 701, column: 51, message: 'line 1:51 unsupported or repeated attribute foo' }),
    );
    expect(() => one('create timeseries root.sg.d.s with encoding=rle')).toThrow(
      expect.objectContaining({ code: 701, message: 'line 1:35 expecting DATATYPE, not encoding' }),
    );
  });

  it('refuses wildcards in the series path', () => {
    expect(() => one('create timeseries root.sg.*.s int32')).toThrow("line 1:26 mismatched input '*' expecting ID");
  });
});

describe('CREATE ALIGNED TIMESERIES', () => {
  it('reads each measurement with its own attributes', () => {
    expect(
      one(
        'CREATE ALIGNED TIMESERIES root.sg.d(s1 INT32 encoding=RLE, s2 FLOAT compressor=SNAPPY, s3(alias3) WITH DATATYPE=TEXT, ENCODING=PLAIN tags(a=b))',
      ),
    ).toEqual({
      kind: 'create-aligned-timeseries',
      device: parsePath('root.sg.d'),
      measurements: [
        { name: 's1', dataType: 'INT32', encoding: 'RLE', compressor: null, alias: null, tags: [], attributes: [] },
        { name: 's2', dataType: 'FLOAT', encoding: null, compressor: 'SNAPPY', alias: null, tags: [], attributes: [] },
        {
          name: 's3',
          dataType: 'TEXT',
          encoding: 'PLAIN',
          compressor: null,
          alias: 'alias3',
          tags: [['a', 'b']],
          attributes: [],
        },
      ],
    });
  });

  it('needs a measurement list', () => {
    expect(() => one('create aligned timeseries root.sg.d')).toThrow("line 1:35 mismatched input '<EOF>' expecting");
  });
});

describe('SHOW, COUNT and DELETE of series and devices', () => {
  it('shows time series with paging in either order', () => {
    expect(one('SHOW TIMESERIES')).toEqual({ kind: 'show-timeseries', pattern: null, limit: null, offset: null });
    expect(one('show timeseries root.sg.** limit 10 offset 5')).toEqual({
      kind: 'show-timeseries',
      pattern: pattern('root.sg.**'),
      limit: 10,
      offset: 5,
    });
    expect(one('show timeseries offset 5 limit 10')).toMatchObject({ limit: 10, offset: 5 });
  });

  it('shows devices', () => {
    expect(one('SHOW DEVICES')).toEqual({
      kind: 'show-devices',
      pattern: null,
      withDatabase: false,
      limit: null,
      offset: null,
    });
    expect(one('show devices root.sg.* with database limit 2')).toEqual({
      kind: 'show-devices',
      pattern: pattern('root.sg.*'),
      withDatabase: true,
      limit: 2,
      offset: null,
    });
    expect(one('show devices with storage group')).toMatchObject({ withDatabase: true });
  });

  it('counts time series, by level too, and devices', () => {
    expect(one('COUNT TIMESERIES')).toEqual({ kind: 'count-timeseries', pattern: null, groupByLevel: null });
    expect(one('count timeseries root.** group by level = 1')).toEqual({
      kind: 'count-timeseries',
      pattern: pattern('root.**'),
      groupByLevel: 1,
    });
    expect(one('COUNT DEVICES root.sg.**')).toEqual({ kind: 'count-devices', pattern: pattern('root.sg.**') });
  });

  it('deletes time series', () => {
    const expected = { kind: 'delete-timeseries', patterns: [pattern('root.sg.d.s1'), pattern('root.sg.*.s2')] };
    expect(one('DELETE TIMESERIES root.sg.d.s1, root.sg.*.s2')).toEqual(expected);
    expect(one('drop timeseries root.sg.d.s1, root.sg.*.s2')).toEqual(expected);
  });

  it('tells the statements apart by their first words', () => {
    expect(kindOf('show version')).toBe('show-version');
    expect(kindOf('count devices')).toBe('count-devices');
    expect(kindOf('delete from root.sg.d.s')).toBe('delete-data');
  });
});
