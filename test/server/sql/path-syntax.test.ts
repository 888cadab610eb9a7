import { describe, expect, it } from 'vitest';
import {
  formatNode,
  formatPath,
  needsQuoting,
  parseNode,
  parsePath,
  parseStatement,
  SqlParseError,
} from '../../../server/sql/index.js';

describe('needsQuoting', () => {
  it('leaves identifiers of letters, digits, _ and CJK unquoted', () => {
    expect(needsQuoting('s1')).toBe(false);
    expect(needsQuoting('_a_b')).toBe(false);
    expect(needsQuoting('1a')).toBe(false);
    expect(needsQuoting('温度')).toBe(false);
    expect(needsQuoting('select')).toBe(false);
    expect(needsQuoting('1d')).toBe(false);
  });

  it('quotes other characters, numbers and reserved words', () => {
    expect(needsQuoting('a@b')).toBe(true);
    expect(needsQuoting('a.b')).toBe(true);
    expect(needsQuoting('a b')).toBe(true);
    expect(needsQuoting('')).toBe(true);
    expect(needsQuoting('123')).toBe(true);
    expect(needsQuoting('1e5')).toBe(true);
    expect(needsQuoting('time')).toBe(true);
    expect(needsQuoting('TIMESTAMP')).toBe(true);
    expect(needsQuoting('root')).toBe(true);
  });
});

describe('formatPath', () => {
  it('backquotes only the nodes that need it, doubling backquotes', () => {
    expect(formatPath(['root', 'sg', 'a@b', 'x`y', 's1'])).toBe('root.sg.`a@b`.`x``y`.s1');
    expect(formatNode('123')).toBe('`123`');
    expect(formatNode('abc')).toBe('abc');
  });

  it('writes wildcards and a leading root as they are', () => {
    expect(formatPath(['root', '*', '**'])).toBe('root.*.**');
  });
});

describe('parsePath', () => {
  it('reads nodes and drops backquotes that are not needed', () => {
    expect(parsePath('root.sg.`abc`.`a@b`')).toEqual({
      nodes: ['root', 'sg', 'abc', 'a@b'],
      text: 'root.sg.abc.`a@b`',
    });
  });

  it('keeps dots and backquotes inside backquotes', () => {
    expect(parsePath('root.sg.`a.b`.`c``d`')).toEqual({
      nodes: ['root', 'sg', 'a.b', 'c`d'],
      text: 'root.sg.`a.b`.`c``d`',
    });
  });

  it('normalises ROOT and accepts CJK nodes', () => {
    expect(parsePath('ROOT.sg.温度').nodes).toEqual(['root', 'sg', '温度']);
  });

  it('admits wildcards only in patterns', () => {
    expect(parsePath('root.**.s1', { wildcards: true }).nodes).toEqual(['root', '**', 's1']);
    expect(() => parsePath('root.*.s1')).toThrow('wildcards are not allowed here');
  });

  it('admits suffix paths when asked', () => {
    expect(parsePath('d1.s1', { relative: true }).nodes).toEqual(['d1', 's1']);
    expect(() => parsePath('d1.s1')).toThrow('it must start with root');
  });

  it.each([
    ['root.sg.123', 8, 'node 123 must be quoted'],
    ['root.sg.a@b', 8, 'node a@b must be quoted'],
    ['root.sg.time', 8, 'node time must be quoted'],
    ['root..s1', 5, 'empty node'],
    ['root.sg.', 8, 'empty node'],
    ['root.`abc', 5, 'unclosed backquote'],
    ['root.`a`b', 8, 'unexpected b after a quoted node'],
    ['root.``', 5, 'empty node'],
    ['root.`*`', 5, 'no node may be named *'],
  ])('refuses %s at column %i', (text, column, why) => {
    const error = catchError(() => parsePath(text, { wildcards: true }));
    expect(error).toBeInstanceOf(SqlParseError);
    expect(error.line).toBe(1);
    expect(error.column).toBe(column);
    expect(error.message).toContain(why);
  });

  it('reads back what formatPath writes', () => {
    const nodes = ['root', 'sg', 'a.b', '12', 'x`y', '中文', 'time', 's 1'];
    expect(parsePath(formatPath(nodes)).nodes).toEqual(nodes);
  });

  it('agrees with the SQL parser on the same text', () => {
    const text = 'root.sg.`a.b`.`123`.`abc`.d1';
    const fromSql = parseStatement(`create database ${text}`);
    expect(fromSql).toEqual({ kind: 'create-database', path: parsePath(text) });
  });
});

describe('parseNode', () => {
  it('reads a single node', () => {
    expect(parseNode('s1')).toBe('s1');
    expect(parseNode('`a.b`')).toBe('a.b');
  });

  it('refuses more than one node', () => {
    expect(() => parseNode('a.b')).toThrow('it has 2 nodes');
  });
});

function catchError(f: () => unknown): SqlParseError {
  try {
    f();
  } catch (e) {
    return e as SqlParseError;
  }
  throw new Error('expected an error');
}
