import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJavaDouble, formatJavaFloat } from '../../tsfile/text/java-number-format.js';
import { FIXTURE_ROOT } from '../fixture-files.js';
import {
  hasJavaWithClassicToString,
  javaStrings,
  type NumberSample,
  numberSamples,
  sampleValue,
} from './java-number-oracle.js';

function ours(s: NumberSample): string {
  const v = sampleValue(s);
  return s.kind === 'f' ? formatJavaFloat(v) : formatJavaDouble(v);
}

describe('FLOAT and DOUBLE printed as Java 17 prints them', () => {
  it('rounds a tie to the even digit and keeps the digits Java 8 to 18 print', () => {
    expect(formatJavaFloat(Math.fround(-6743.28125))).toBe('-6743.2812');
    expect(formatJavaDouble(-9.3587576944172704e16)).toBe('-9.3587576944172704E16');
    expect(formatJavaDouble(5.3744858952003348e18)).toBe('5.3744858952003348E18');
    expect(formatJavaFloat(1.17549435e-38)).toBe('1.17549435E-38');
    expect(ours({ kind: 'f', bits: '4fffffff' })).toBe('8.5899341E9'); // 8589934080, a whole number
  });

  it('lays values out plainly from 1e-3 to below 1e7, in E-form elsewhere, with two digits at least', () => {
    expect(formatJavaDouble(1)).toBe('1.0');
    expect(formatJavaDouble(0.001)).toBe('0.001');
    expect(formatJavaDouble(1e-4)).toBe('1.0E-4');
    expect(formatJavaDouble(9999999)).toBe('9999999.0');
    expect(formatJavaDouble(1e7)).toBe('1.0E7');
    expect(formatJavaDouble(Number.MIN_VALUE)).toBe('4.9E-324');
    expect(formatJavaDouble(Number.MAX_VALUE)).toBe('1.7976931348623157E308');
    expect(formatJavaFloat(Math.fround(1.4e-45))).toBe('1.4E-45');
    expect(formatJavaFloat(Math.fround(0.1))).toBe('0.1');
    expect(formatJavaDouble(-0)).toBe('-0.0');
    expect(formatJavaFloat(Number.NaN)).toBe('NaN');
    expect(formatJavaDouble(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
  });

  it('matches every value of the Java 17 fixture', () => {
    const lines = readFileSync(join(FIXTURE_ROOT, 'text', 'java17-number-strings.tsv'), 'utf8').split('\n');
    lines.pop();
    expect(lines.length).toBeGreaterThan(3000);
    const wrong: string[] = [];
    for (const line of lines) {
      const [kind, bits, expected] = line.split('\t') as ['f' | 'd', string, string];
      const got = ours({ kind, bits });
      if (got !== expected) wrong.push(`${kind} ${bits}: ${got}, Java ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it.skipIf(!hasJavaWithClassicToString())('matches the java on this machine on fresh samples', () => {
    const samples = numberSamples(20_000, Date.now() % 1_000_000);
    const expected = javaStrings(samples);
    const wrong = samples.filter((s, i) => ours(s) !== expected[i]).map((s) => `${s.kind} ${s.bits}`);
    expect(wrong).toEqual([]);
  });
});
