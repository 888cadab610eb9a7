// `node bin/run-ts.js scripts/java-number-format-check.ts COUNT SEED [FIXTURE.tsv]`: prints
// COUNT sample FLOAT/DOUBLE values with the `java` on the PATH (Java 8 to 18) and with
// tsfile/text/java-number-format.ts, reports every difference, and with FIXTURE.tsv writes
// the samples and Java's strings as the fixture the tests read.
import { writeFileSync } from 'node:fs';
import {
  hasJavaWithClassicToString,
  javaMajorVersion,
  javaStrings,
  numberSamples,
  sampleValue,
} from '../test/tsfile/java-number-oracle.js';
import { formatJavaDouble, formatJavaFloat } from '../tsfile/text/java-number-format.js';

const [countText = '100000', seedText = '1', fixture] = process.argv.slice(2);
if (!hasJavaWithClassicToString()) {
  console.error(`needs java 8 to 18 on the PATH (found: ${javaMajorVersion() ?? 'none'})`);
  process.exit(2);
}
const samples = numberSamples(Number(countText), Number(seedText));
const expected = javaStrings(samples);
let differences = 0;
samples.forEach((s, i) => {
  const v = sampleValue(s);
  const ours = s.kind === 'f' ? formatJavaFloat(v) : formatJavaDouble(v);
  if (ours !== expected[i]) {
    differences++;
    if (differences <= 20) console.log(`${s.kind} ${s.bits}: java ${expected[i]} ours ${ours}`);
  }
});
console.log(`values: ${samples.length}, java ${javaMajorVersion()}, differences: ${differences}`);
if (fixture !== undefined) {
  writeFileSync(fixture, samples.map((s, i) => `${s.kind}\t${s.bits}\t${expected[i]}\n`).join(''));
}
process.exitCode = differences === 0 ? 0 : 1;
