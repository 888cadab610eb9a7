import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Java's own `Float.toString` / `Double.toString`, when a JDK whose algorithm IoTDB 1.3
 * prints with (8 to 18) is on the PATH: the test-time reference for `java-number-format`.
 * The suite does not need it: `test/fixtures/text/java17-number-strings.tsv` holds values
 * printed by Java 17.
 */

/** A FLOAT or DOUBLE by its bit pattern (8 or 16 hex digits). */
export interface NumberSample {
  readonly kind: 'f' | 'd';
  readonly bits: string;
}

const SOURCE = `
import java.io.*;
public class NumberStrings {
  public static void main(String[] args) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out)));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isEmpty()) continue;
      String bits = line.substring(2);
      out.println(line.charAt(0) == 'f'
          ? Float.toString(Float.intBitsToFloat(Integer.parseUnsignedInt(bits, 16)))
          : Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16))));
    }
    out.flush();
  }
}
`;

/** The major version of `java` on the PATH, or null without one. */
export function javaMajorVersion(): number | null {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) return null;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr);
  if (m === null) return null;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major;
}

/** Whether the `java` on the PATH prints floating point as Java 8 to 18 do. */
export function hasJavaWithClassicToString(): boolean {
  const major = javaMajorVersion();
  return major !== null && major >= 8 && major <= 18;
}

/** Java's strings for the samples, in order (runs the JDK's single-file launcher). */
export function javaStrings(samples: readonly NumberSample[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'java-number-'));
  try {
    const file = join(dir, 'NumberStrings.java');
    writeFileSync(file, SOURCE);
    const input = samples.map((s) => `${s.kind} ${s.bits}\n`).join('');
    const r = spawnSync('java', [file], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`java failed: ${r.stderr}`);
    const lines = r.stdout.split('\n');
    lines.pop();
    if (lines.length !== samples.length) throw new Error(`java printed ${lines.length} of ${samples.length} values`);
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `count` samples from `seed`, spread over what makes the printing differ: random bit
 * patterns, short decimals (sensor-like values), whole numbers around 2^53 to 2^63,
 * subnormals, powers of two and their neighbours, and the decades where the layout
 * switches (1e-3, 1e7).
 */
export function numberSamples(count: number, seed: number): NumberSample[] {
  let state = BigInt(seed) | 1n;
  const next64 = (): bigint => {
    // xorshift64*
    state ^= state >> 12n;
    state ^= (state << 25n) & MASK64;
    state ^= state >> 27n;
    return (state * 0x2545f4914f6cdd1dn) & MASK64;
  };
  const unit = () => Number(next64() >> 11n) / 2 ** 53;
  const int = (n: number) => Math.floor(unit() * n);
  const out: NumberSample[] = [];
  for (let i = 0; i < count; i++) {
    const float = (i & 1) === 0;
    const kind = float ? 'f' : 'd';
    let v: number;
    let bits: bigint | null = null;
    switch (int(8)) {
      case 0:
        bits = float ? next64() & 0xffffffffn : next64();
        break;
      case 1:
      case 2: {
        const digits = 1 + int(float ? 9 : 17);
        const mantissa = Math.floor(unit() * 10 ** digits);
        v = Number(`${mantissa}e${int(float ? 60 : 500) - (float ? 30 : 250) - digits}`);
        break;
      }
      case 3:
        v = Number(
          `${int(2_000_000) - 1_000_000}.${String(int(100_000))
            .padStart(5, '0')
            .slice(0, 1 + int(5))}`,
        );
        break;
      case 4:
        v = (unit() < 0.5 ? -1 : 1) * Math.floor(2 ** (20 + unit() * 43));
        break;
      case 5:
        bits = float ? next64() & 0x7fffffn : next64() & 0xfffffffffffffn;
        if (bits === 0n) bits = 1n;
        break;
      case 6: {
        v = 2 ** (int(float ? 250 : 2000) - (float ? 125 : 1000));
        const nudge = int(3) - 1;
        bits = toBits(float, v) + BigInt(nudge);
        break;
      }
      default:
        v = (1 + unit() * 9) * 10 ** (int(14) - 5);
    }
    if (bits === null) bits = toBits(float, v!);
    if (unit() < 0.5) bits |= float ? 0x80000000n : 1n << 63n;
    out.push({ kind, bits: bits.toString(16).padStart(float ? 8 : 16, '0') });
  }
  return out;
}

const MASK64 = (1n << 64n) - 1n;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function toBits(float: boolean, v: number): bigint {
  if (float) {
    f32[0] = v;
    return BigInt(u32[0]!);
  }
  f64[0] = v;
  return u64[0]!;
}

/** The value a sample stands for, as a JS number (a FLOAT widened exactly). */
export function sampleValue(s: NumberSample): number {
  if (s.kind === 'f') {
    u32[0] = Number.parseInt(s.bits, 16);
    return f32[0]!;
  }
  u64[0] = BigInt(`0x${s.bits}`);
  return f64[0]!;
}
