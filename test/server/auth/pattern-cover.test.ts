import { describe, expect, it } from 'vitest';
import { parsePath } from '../../../engine/path/path.js';
import { PathPattern } from '../../../engine/path/path-pattern.js';
import { patternCovers } from '../../../server/auth/pattern-cover.js';

const nodes = (text: string) => parsePath(text, true);
const covers = (outer: string, inner: string) => patternCovers(nodes(outer), nodes(inner));

describe('patternCovers', () => {
  it('answers the cases privileges depend on', () => {
    expect(covers('root.**', 'root.sg.d1.s1')).toBe(true);
    expect(covers('root.**', 'root.**')).toBe(true);
    expect(covers('root.sg.**', 'root.sg.d1.*')).toBe(true);
    expect(covers('root.sg.**', 'root.**')).toBe(false);
    expect(covers('root.sg.*.s1', 'root.sg.d1.s1')).toBe(true);
    expect(covers('root.sg.*.s1', 'root.sg.*.s1')).toBe(true);
    expect(covers('root.sg.d1.s1', 'root.sg.*.s1')).toBe(false);
    expect(covers('root.sg.*', 'root.sg.**')).toBe(false);
    expect(covers('root.*.**', 'root.**')).toBe(false);
    expect(covers('root.**.s1', 'root.sg.**.s1')).toBe(true);
    expect(covers('root.sg.**', 'root.sg')).toBe(false);
    expect(covers('root.sg.d1', 'root.sg.d1')).toBe(true);
    expect(covers('root.sg.d*', 'root.sg.d1')).toBe(true);
    expect(covers('root.sg.d*', 'root.sg.x1')).toBe(false);
    expect(covers('root.sg.*', 'root.sg.d*')).toBe(true);
    expect(covers('root.sg.d*', 'root.sg.d*')).toBe(true);
    expect(covers('root.sg.d1', 'root.sg.d*')).toBe(false);
    expect(covers('root.sg.d*', 'root.sg.*')).toBe(false);
  });

  it('agrees with matching: a covered pattern never matches a path the outer one misses', () => {
    const patterns = [
      'root.**',
      'root.sg.**',
      'root.sg.*',
      'root.*.d1',
      'root.sg.d*',
      'root.sg.d1',
      'root.**.d1',
      'root.*.*',
      'root.sg.**.d1',
    ];
    const paths = ['root.sg', 'root.sg.d1', 'root.sg.d2', 'root.x.d1', 'root.sg.a.d1', 'root.sg.a.b.d1', 'root.x.y'];
    for (const outer of patterns) {
      for (const inner of patterns) {
        if (!covers(outer, inner)) continue;
        for (const path of paths) {
          if (new PathPattern(inner).matches(parsePath(path))) {
            expect(new PathPattern(outer).matches(parsePath(path)), `${outer} covers ${inner} but misses ${path}`).toBe(
              true,
            );
          }
        }
      }
    }
  });
});
