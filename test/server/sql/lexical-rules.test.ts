import { describe, expect, it } from 'vitest';
import { parsePath, parseStatement, parseStatements, type Statement } from '../../../server/sql/index.js';

const one = (sql: string): Statement => parseStatement(sql);

describe('case', () => {
  it('reads keywords in any case and keeps the case of names', () => {
    const expected = { kind: 'create-database', path: { nodes: ['root', 'SG', 'Dev'], text: 'root.SG.Dev' } };
    expect(one('CREATE DATABASE root.SG.Dev')).toEqual(expected);
    expect(one('create database ROOT.SG.Dev')).toEqual(expected);
    expect(one('CrEaTe DaTaBaSe Root.SG.Dev')).toEqual(expected);
  });
});

describe('backquotes and node names', () => {
  it('keeps backquotes a node needs and drops the others', () => {
    expect(one('create database root.sg.`a@b`')).toEqual({
      kind: 'create-database',
      path: { nodes: ['root', 'sg', 'a@b'], text: 'root.sg.`a@b`' },
    });
    expect(one('create database root.sg.`123`')).toEqual({
      kind: 'create-database',
      path: { nodes: ['root', 'sg', '123'], text: 'root.sg.`123`' },
    });
    expect(one('create database root.sg.`abc`')).toEqual({
      kind: 'create-database',
      path: { nodes: ['root', 'sg', 'abc'], text: 'root.sg.abc' },
    });
  });

  it('reads a doubled backquote as one, and dots inside backquotes as part of the node', () => {
    expect(one('create database root.sg.`a``b.c`')).toEqual({
      kind: 'create-database',
      path: { nodes: ['root', 'sg', 'a`b.c'], text: 'root.sg.`a``b.c`' },
    });
  });

  it('refuses a node of digits only unless quoted', () => {
    expect(() => one('create database root.sg.123')).toThrow(
      expect.objectContaining({
        code: 700,
        line: 1,
        column: 24,
        token: '123',
        message: "line 1:24 mismatched input '123' expecting ID",
      }),
    );
    expect(() => one('select s from root.sg.1e5')).toThrow("mismatched input '1e5' expecting {'*', '**', ID}");
  });

  it('accepts nodes that start with digits, CJK names, durations and keywords', () => {
    expect(one('create database root.1a.温度.1d.select.device.Version')).toMatchObject({
      path: { nodes: ['root', '1a', '温度', '1d', 'select', 'device', 'Version'] },
    });
  });

  it('refuses reserved words as unquoted nodes but accepts them quoted', () => {
    expect(() => one('create database root.sg.time')).toThrow("mismatched input 'time' expecting ID");
    expect(one('create database root.sg.`time`')).toMatchObject({
      path: { nodes: ['root', 'sg', 'time'], text: 'root.sg.`time`' },
    });
  });

  it('takes keywords as names where IoTDB does', () => {
    expect(one('select count, last, from from root.sg.d')).toMatchObject({
      items: [{ path: { nodes: ['count'] } }, { path: { nodes: ['last'] } }, { path: { nodes: ['from'] } }],
    });
    expect(one("create pipe pipe with sink ('a'='b')")).toMatchObject({ pipeName: 'pipe' });
    expect(one('drop user user')).toEqual({ kind: 'drop-user', user: 'user' });
  });
});

describe('comments and statement separators', () => {
  it('skips --, // and /* */ comments', () => {
    const sql = `-- leading comment
      SELECT s1 // the value
      /* a block
         over lines */ FROM root.sg.d -- trailing`;
    expect(one(sql)).toMatchObject({ kind: 'select', from: [parsePath('root.sg.d')] });
  });

  it('allows a trailing semicolon and empty statements', () => {
    expect(one('show version;')).toEqual({ kind: 'show-version' });
    expect(parseStatements(';; show version ;; list user ;')).toEqual([
      { kind: 'show-version' },
      { kind: 'list-user' },
    ]);
    expect(parseStatements('')).toEqual([]);
    expect(parseStatements('  -- nothing\n')).toEqual([]);
  });

  it('does not split at semicolons inside strings or comments', () => {
    expect(parseStatements("create user a 'p;w'; /* ; */ drop user a")).toEqual([
      { kind: 'create-user', user: 'a', password: 'p;w' },
      { kind: 'drop-user', user: 'a' },
    ]);
  });

  it('takes exactly one statement in parseStatement', () => {
    expect(() => one('show version; list user')).toThrow(
      expect.objectContaining({ line: 1, column: 14, token: 'list' }),
    );
    expect(() => one(' ')).toThrow("line 1:1 mismatched input '<EOF>' expecting a statement");
  });
});

describe('literals', () => {
  it('reads strings in either quote with doubled quotes', () => {
    expect(one(`insert into root.sg.d(s1, s2) values('it''s', "say ""hi""")`)).toMatchObject({
      rows: [
        {
          values: [
            { kind: 'string', value: "it's" },
            { kind: 'string', value: 'say "hi"' },
          ],
        },
      ],
    });
  });

  it('reads numbers in all their forms', () => {
    expect(one('insert into root.sg.d(a, b, c, d, e, f) values(+1, 1., .5, 1.5E-3, -2e3, 007)')).toMatchObject({
      rows: [
        {
          values: [
            { kind: 'integer', text: '1', value: 1n },
            { kind: 'float', text: '1.', value: 1 },
            { kind: 'float', text: '.5', value: 0.5 },
            { kind: 'float', text: '1.5E-3', value: 0.0015 },
            { kind: 'float', text: '-2e3', value: -2000 },
            { kind: 'integer', text: '007', value: 7n },
          ],
        },
      ],
    });
  });
});
