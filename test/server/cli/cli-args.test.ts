import { describe, expect, it } from 'vitest';
import { normalizeCliArgs } from '../../../server/cli/cli-args.js';
import { isUnterminated, splitStatements } from '../../../server/cli/statement-splitter.js';

const FLAGS = new Set(['-h', '--host', '-p', '--port', '-u', '--user', '--password', '-e', '--execute']);

describe('iotdb-lite cli arguments and input', () => {
  it('reads start-cli’s single-dash long flags', () => {
    expect(
      normalizeCliArgs(['-h', 'db', '-pw', 'secret', '-disableISO8601', '-timeout', '5', '-maxPRC', '10'], FLAGS),
    ).toEqual(['-h', 'db', '--password', 'secret', '--disable-iso8601', '--timeout', '5', '--max-rows', '10']);
  });

  it('joins the words after -e up to the next known flag into one statement text', () => {
    expect(normalizeCliArgs(['-e', 'select', '*', 'from', 'root.**', '-p', '1'], FLAGS)).toEqual([
      '-e',
      'select * from root.**',
      '-p',
      '1',
    ]);
    expect(normalizeCliArgs(['-p', '1', '-e', 'show databases; flush'], FLAGS)).toEqual([
      '-p',
      '1',
      '-e',
      'show databases; flush',
    ]);
    expect(normalizeCliArgs(['-e'], FLAGS)).toEqual(['-e']);
  });

  it('splits statements at semicolons outside quotes and comments', () => {
    expect(splitStatements("insert into root.a(time,s) values(1,'x;y'); -- c;\nselect * from root.a;;")).toEqual([
      "insert into root.a(time,s) values(1,'x;y')",
      '-- c;\nselect * from root.a',
    ]);
    expect(splitStatements("select `a;b`, 'it''s;' from root /* ; */ ;x")).toEqual([
      "select `a;b`, 'it''s;' from root /* ; */",
      'x',
    ]);
  });

  it('knows when a line leaves a quote or block comment open', () => {
    expect(isUnterminated("insert into root.a(time, s) values (1, 'multi")).toBe(true);
    expect(isUnterminated("insert into root.a(time, s) values (1, 'it''s')")).toBe(false);
    expect(isUnterminated('select * /* a comment')).toBe(true);
    expect(isUnterminated("select * -- a comment with a quote '")).toBe(false);
    expect(isUnterminated('show databases')).toBe(false);
  });
});
