import { describe, expect, it } from 'vitest';
import { parseStatements, SqlParseError } from '../../../server/sql/index.js';

function errorOf(sql: string): SqlParseError {
  try {
    parseStatements(sql);
  } catch (e) {
    if (e instanceof SqlParseError) return e;
    throw e;
  }
  throw new Error(`no error for: ${sql}`);
}

describe('syntax errors', () => {
  it.each([
    ['SELECT * FORM root.sg.d', 1, 9, 'FORM', "mismatched input 'FORM' expecting FROM"],
    ['SELEC * FROM root.sg.d', 1, 0, 'SELEC', "mismatched input 'SELEC' expecting {CREATE, SET, SHOW, COUNT"],
    ['select s1 from', 1, 14, '<EOF>', "mismatched input '<EOF>' expecting ROOT"],
    ['select s1 from root.sg.d wher time > 1', 1, 25, 'wher', "mismatched input 'wher' expecting {<EOF>, ';'}"],
    ['insert into root.sg.d(time, s1) values(1 2)', 1, 41, '2', "mismatched input '2' expecting ')'"],
    ['create timeseries root.sg.d.s with', 1, 34, '<EOF>', "mismatched input '<EOF>' expecting"],
    [
      "select s1 from root.sg.d where s1 not like 'x'",
      1,
      38,
      'like',
      "mismatched input 'like' expecting {BETWEEN, IN}",
    ],
    ['show', 1, 4, '<EOF>', "mismatched input '<EOF>' expecting {DATABASES, STORAGE, TIMESERIES"],
    ['select * from root.sg.d limit 1 limit 2', 1, 32, 'limit', 'LIMIT is given twice'],
    ['select * from root.sg.d group by ([0, 10), 5)', 1, 43, '5', "mismatched input '5' expecting DURATION_LITERAL"],
  ])('%s', (sql, line, column, token, detail) => {
    const error = errorOf(sql);
    expect(error.code).toBe(700);
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.token).toBe(token);
    expect(error.detail).toContain(detail);
    expect(error.message).toBe(`line ${line}:${column} ${error.detail}`);
  });

  it('counts lines and columns from the start of the whole text', () => {
    const error = errorOf('show version;\n  select *\n  form root.sg.d');
    expect(error.message).toBe("line 3:2 mismatched input 'form' expecting FROM");
  });

  it("shows the statement's semicolon where it ended too early", () => {
    const error = errorOf('select * from; show version');
    expect(error.message).toBe("line 1:13 mismatched input ';' expecting ROOT");
    expect(error.token).toBe(';');
  });

  it('reports characters that start no token', () => {
    expect(errorOf('select s1 from root.sg.d where s1 > ?').message).toBe("line 1:36 token recognition error at: '?'");
    expect(errorOf("insert into root.sg.d(s1) values('abc)").message).toBe(
      "line 1:33 token recognition error at: ''abc)'",
    );
    expect(errorOf('select s1 from root.sg.d /* no end').message).toBe(
      "line 1:25 token recognition error at: '/* no end'",
    );
  });

  it('refuses a backquoted name that is empty or a wildcard', () => {
    expect(errorOf('create database root.sg.``').message).toBe('line 1:24 a quoted name may not be empty');
    expect(errorOf('create database root.sg.`**`').message).toBe('line 1:24 no node may be named **');
  });
});
