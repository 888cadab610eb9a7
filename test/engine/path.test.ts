import { describe, expect, it } from 'vitest';
import { canonicalPath, formatPath, PathError, parsePath, splitSeriesPath } from '../../engine/path/path.js';
import { PathPattern } from '../../engine/path/path-pattern.js';

describe('paths', () => {
  it('keeps backquotes only where a node needs them', () => {
    expect(parsePath('root.sg.`a@b`.s1')).toEqual(['root', 'sg', 'a@b', 's1']);
    expect(canonicalPath('root.sg.`abc`')).toBe('root.sg.abc');
    expect(canonicalPath('root.sg.`a@b`')).toBe('root.sg.`a@b`');
    expect(canonicalPath('root.sg.`123`')).toBe('root.sg.`123`');
    expect(canonicalPath('root.sg.`1e5`')).toBe('root.sg.`1e5`');
    expect(canonicalPath('root.sg.`time`')).toBe('root.sg.`time`');
    expect(canonicalPath('root.sg.`a``b`')).toBe('root.sg.`a``b`');
    expect(canonicalPath('root.sg.`a.b`.s')).toBe('root.sg.`a.b`.s');
    expect(formatPath(['root', 'sg', 'x y'])).toBe('root.sg.`x y`');
  });

  it('rejects illegal paths', () => {
    for (const bad of [
      '',
      'sg.d',
      'root.sg.123',
      'root.sg.a@b',
      'root..d',
      'root.sg.',
      'root.sg.`unclosed',
      'root.sg.*',
    ]) {
      expect(() => parsePath(bad), bad).toThrow(PathError);
    }
    expect(() => splitSeriesPath('root.sg')).toThrow(/device and a measurement/);
  });

  it('matches patterns with * (one level) and ** (one or more levels)', () => {
    const p = (text: string) => new PathPattern(text);
    const path = parsePath('root.sg.d1.s1');
    expect(p('root.sg.d1.s1').matches(path)).toBe(true);
    expect(p('root.sg.*.s1').matches(path)).toBe(true);
    expect(p('root.*.s1').matches(path)).toBe(false);
    expect(p('root.**').matches(path)).toBe(true);
    expect(p('root.**.s1').matches(path)).toBe(true);
    expect(p('root.sg.d1.s1.**').matches(path)).toBe(false);
    expect(p('root.sg.`a.b`.*').matches(['root', 'sg', 'a.b', 's'])).toBe(true);
    expect(p('root.sg.*').mayMatchBelow(['root', 'sg'])).toBe(true);
    expect(p('root.other.**').mayMatchBelow(['root', 'sg'])).toBe(false);
    expect(p('root.sg.`a@b`.**').toString()).toBe('root.sg.`a@b`.**');
  });

  it('matches wildcards inside node names, one level each, as IoTDB globs them', () => {
    const p = (text: string) => new PathPattern(text);
    expect(p('root.sg.d*').matches(['root', 'sg', 'd1'])).toBe(true);
    expect(p('root.sg.d*').matches(['root', 'sg', 'd'])).toBe(true);
    expect(p('root.sg.d*').matches(['root', 'sg', 'x1'])).toBe(false);
    expect(p('root.sg.d*').matches(['root', 'sg', 'd1', 's'])).toBe(false);
    expect(p('root.sg.*_temp').matches(['root', 'sg', 'in_temp'])).toBe(true);
    expect(p('root.sg.*_temp').matches(['root', 'sg', 'in_temp2'])).toBe(false);
    expect(p('root.**.s*').matches(['root', 'a', 'b', 's9'])).toBe(true);
    expect(p('root.sg.a*c').matches(['root', 'sg', 'a.b.c'])).toBe(true);
    expect(p('root.sg.d*').mayMatchBelow(['root', 'sg', 'dev'])).toBe(true);
    expect(p('root.sg.d*.s').mayMatchBelow(['root', 'sg', 'x'])).toBe(false);
    expect(p('root.sg.d*').toString()).toBe('root.sg.d*');
    expect(p('root.sg.d*').hasWildcard).toBe(true);
    expect(() => parsePath('root.sg.d*')).toThrow(PathError);
  });
});
