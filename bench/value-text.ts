// Printing FLOAT and DOUBLE values as Java 8-17 print them (tsfile dump, the CLI):
// 200,000 values of each kind, after a warm-up pass.
import { formatJavaDouble, formatJavaFloat } from '../tsfile/text/java-number-format.js';
import { mulberry32, report, timed, unit } from './bench-util.js';

const COUNT = Number(process.env.BENCH_POINTS ?? 200_000);

/*
 * Data (mulberry32, seed 3), with x = u / 2^32:
 * - sensor: (x - 0.5) * 200, a double with 17 significant digits;
 * - two-decimal: round((x - 0.5) * 20000) / 100;
 * - bits: two outputs joined as a 64-bit pattern, any double (extreme exponents included).
 */
const next = mulberry32(3);
const sensor = Float64Array.from({ length: COUNT }, () => (unit(next) - 0.5) * 200);
const decimals = Float64Array.from({ length: COUNT }, () => Math.round((unit(next) - 0.5) * 20000) / 100);
const bits = new Float64Array(COUNT);
const words = new Uint32Array(bits.buffer);
for (let i = 0; i < words.length; i++) words[i] = next();

function perValue(values: Float64Array, format: (v: number) => string): number {
  for (const v of values) format(v);
  const { seconds } = timed(() => {
    for (const v of values) format(v);
  });
  return (seconds * 1e9) / values.length;
}

report('double-sensor-print', perValue(sensor, formatJavaDouble), 'ns/value');
report('double-two-decimals-print', perValue(decimals, formatJavaDouble), 'ns/value');
report('double-any-bits-print', perValue(bits, formatJavaDouble), 'ns/value');
report('float-sensor-print', perValue(Float64Array.from(sensor, Math.fround), formatJavaFloat), 'ns/value');
