/**
 * Java's `Double.toString` / `Float.toString` as IoTDB 1.3 prints them on Java 8 to 18
 * (Java 19 changed the algorithm to the shortest round-tripping digits; IoTDB 1.3 runs on
 * Java 8, 11 and 17). Layout: plain for 1e-3 <= |v| < 1e7 with at least one fractional
 * digit (`1.0`), otherwise `d.dddE±n` (`1.0E7`, `1.0E-4`); `NaN`, `Infinity`, `-0.0`.
 *
 * The digits are those of the JDK's FloatingDecimal, reproduced exactly, quirks included:
 *
 * - A whole number below 2^63 is printed from its exact integer value, dropping only the
 *   decimal places that the binary exponent beyond the significand makes meaningless
 *   (rounded half up): DOUBLE 93587576944172704 prints `9.3587576944172704E16`, where the
 *   shortest round-tripping form would be `9.35875769441727E16`.
 * - Other values generate digits from an estimated decimal exponent until the remainder is
 *   within half an ulp either side (a symmetric test, also below powers of two, where the
 *   ulp below is half as large), then round the last digit: up when the rest is more than
 *   half, to even on a tie (FLOAT -6743.28125 prints `-6743.2812`). Some values so get more
 *   digits than they need (FLOAT 1.17549435E-38).
 * - E-form values always get a second digit (`4.9E-324`, not `5.0E-324`).
 * - Which of the three integer widths (32-bit, 64-bit, unbounded) the digit loop runs in
 *   depends on the operands' size; the two bounded ones compare "remainder + margin >
 *   10" where the unbounded one compares ">=", and they wrap on overflow. Each is
 *   reproduced as it is, since those differences show in the digits.
 */
export function formatJavaDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  f64[0] = v;
  const bits = u64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  let fraction = bits & SIGNIFICAND_MASK;
  let binExp: number;
  let significantBits: number;
  if (biased === 0) {
    // Subnormal: normalise so the leading 1 sits where the hidden bit would.
    const shift = clz64(fraction) - 11;
    fraction <<= BigInt(shift);
    binExp = 1 - shift - 1023;
    significantBits = 64 - clz64(bits & SIGNIFICAND_MASK);
  } else {
    fraction |= HIDDEN_BIT;
    binExp = biased - 1023;
    significantBits = 53;
  }
  return layout(v < 0, decimalDigits(binExp, fraction, significantBits));
}

export function formatJavaFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  f32[0] = v;
  const bits = u32[0]!;
  const biased = (bits >>> 23) & 0xff;
  let fraction = bits & 0x7fffff;
  let binExp: number;
  let significantBits: number;
  if (biased === 0) {
    const shift = Math.clz32(fraction) - 8;
    significantBits = 32 - Math.clz32(fraction);
    fraction <<= shift;
    binExp = 1 - shift - 127;
  } else {
    fraction |= 0x800000;
    binExp = biased - 127;
    significantBits = 24;
  }
  // The float's significand is placed where a double's would be; only the ulp differs.
  return layout(v < 0, decimalDigits(binExp, BigInt(fraction) << 29n, significantBits));
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const SIGNIFICAND_MASK = (1n << 52n) - 1n;
const HIDDEN_BIT = 1n << 52n;

interface Digits {
  /** Decimal digits, 0-9 each; may end in zeros after a carry. */
  digits: number[];
  /** value = 0.d1d2d3... * 10^exponent */
  exponent: number;
}

function clz64(v: bigint): number {
  const hi = Number(v >> 32n);
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(Number(v & 0xffffffffn));
}

function trailingZeros64(v: bigint): number {
  let n = 0;
  while ((v & 1n) === 0n) {
    v >>= 1n;
    n++;
  }
  return n;
}

/** Bits needed for 5^i, as the digit loop estimates its operands' sizes. */
function bitsOfPow5(i: number): number {
  if (i === 0) return 0;
  return i < 27 ? POW5_BITS[i]! : i * 3;
}
const POW5_BITS = Array.from({ length: 27 }, (_, i) => (5n ** BigInt(i)).toString(2).length);

const POW5: bigint[] = [1n];
function pow5(i: number): bigint {
  while (POW5.length <= i) POW5.push(POW5[POW5.length - 1]! * 5n);
  return POW5[i]!;
}

/** Decimal places that 2^p makes meaningless in a whole number: floor(log10(2^p)), for 2 <= p < 64. */
function insignificantDigits(p: number): number {
  return p > 1 && p < 64 ? (2n ** BigInt(p)).toString().length - 1 : 0;
}

/** The decimal exponent estimated from the binary one (may be one too high), as the JDK estimates it. */
function estimateDecimalExponent(fraction: bigint, binExp: number): number {
  f64[0] = 0;
  u64[0] = (1023n << 52n) | (fraction & SIGNIFICAND_MASK);
  const d2 = f64[0]!;
  const d = (d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981;
  return Math.floor(d) + 0; // + 0 turns -0 into 0
}

/**
 * The digits of fraction * 2^(binExp - 52) (`fraction` has its leading 1 at bit 52),
 * `significantBits` being the precision of the type the value came from.
 */
function decimalDigits(binExp: number, fraction: bigint, significantBits: number): Digits {
  const tailZeros = trailingZeros64(fraction);
  const fractionBits = 53 - tailZeros;
  const tinyBits = Math.max(0, fractionBits - binExp - 1);
  if (binExp <= 62 && binExp >= -21 && tinyBits === 0 && fractionBits < 64) {
    // A whole number that fits a long.
    const value = binExp >= 52 ? fraction << BigInt(binExp - 52) : fraction >> BigInt(52 - binExp);
    const dropped = binExp > significantBits ? insignificantDigits(binExp - significantBits - 1) : 0;
    return wholeNumberDigits(value, dropped);
  }
  let decExp = estimateDecimalExponent(fraction, binExp);
  const b5 = Math.max(0, -decExp);
  let b2 = b5 + tinyBits + binExp;
  const s5 = Math.max(0, decExp);
  let s2 = s5 + tinyBits;
  const m5 = b5;
  let m2 = b2 - significantBits;
  const f = fraction >> BigInt(tailZeros);
  b2 -= fractionBits - 1;
  const common = Math.min(b2, s2);
  b2 -= common;
  s2 -= common;
  m2 -= common;
  // Below a power of two the next value down is half an ulp away, not a whole one.
  if (fractionBits === 1) m2 -= 1;
  if (m2 < 0) {
    b2 -= m2;
    s2 -= m2;
    m2 = 0;
  }
  const bBits = fractionBits + b2 + bitsOfPow5(b5);
  const tenSBits = s2 + 1 + bitsOfPow5(s5 + 1);
  const b = (f * pow5(b5)) << BigInt(b2);
  const s = pow5(s5) << BigInt(s2);
  const m = pow5(m5) << BigInt(m2);
  const width = bBits < 32 && tenSBits < 32 ? 32 : bBits < 64 && tenSBits < 64 ? 64 : 0;
  const run = width === 0 ? unboundedDigitLoop(b, s, m, decExp) : boundedDigitLoop(b, s, m, decExp, width);
  decExp = run.decExp;
  const out: Digits = { digits: run.digits, exponent: decExp + 1 };
  if (run.high) {
    if (run.low) {
      if (run.lowDigitDifference === 0n) {
        if ((out.digits[out.digits.length - 1]! & 1) !== 0) roundUp(out);
      } else if (run.lowDigitDifference > 0n) {
        roundUp(out);
      }
    } else {
      roundUp(out);
    }
  }
  return out;
}

interface DigitRun {
  digits: number[];
  decExp: number;
  low: boolean;
  high: boolean;
  /** Sign of (2 * remainder - 10 * S): where the rest lies against half a digit. */
  lowDigitDifference: bigint;
}

/** Whether a digit run may stop after its first digit: only in the plain layout's range. */
function mayStopAtFirstDigit(decExp: number): boolean {
  return decExp >= -3 && decExp < 8;
}

/** The digit loop in Java `int` (width 32) or `long` (64) arithmetic, wrapping as Java does. */
function boundedDigitLoop(b0: bigint, s: bigint, m0: bigint, decExp: number, width: number): DigitRun {
  const wrap = (x: bigint) => BigInt.asIntN(width, x);
  let b = wrap(b0);
  let m = wrap(m0);
  const sw = wrap(s);
  const tens = wrap(sw * 10n);
  const digits: number[] = [];
  // b stays below 10 * S, which fits the width; only the margin m (and b + m) can overflow.
  let q = b / sw;
  b = 10n * (b % sw);
  m = wrap(m * 10n);
  let low = b < m;
  let high = wrap(b + m) > tens;
  if (q === 0n && !high) decExp--;
  else digits.push(Number(q));
  if (!mayStopAtFirstDigit(decExp)) low = high = false;
  while (!low && !high) {
    q = b / sw;
    b = 10n * (b % sw);
    m = wrap(m * 10n);
    if (m > 0n) {
      low = b < m;
      high = wrap(b + m) > tens;
    } else {
      // The margin overflowed: Java then stops, rounding on the remainder alone.
      low = true;
      high = true;
    }
    digits.push(Number(q));
  }
  return { digits, decExp, low, high, lowDigitDifference: wrap(wrap(b << 1n) - tens) };
}

/** The digit loop in unbounded integers (Java's FDBigInteger): a tie with 10 * S counts as high. */
function unboundedDigitLoop(b: bigint, s: bigint, m0: bigint, decExp: number): DigitRun {
  const tens = s * 10n;
  let m = m0 * 10n;
  const digits: number[] = [];
  // One division per digit: the remainder follows from the digit.
  let q = b / s;
  b = 10n * (b - q * s);
  let low = b < m;
  let high = b + m >= tens;
  if (q === 0n && !high) decExp--;
  else digits.push(Number(q));
  if (!mayStopAtFirstDigit(decExp)) low = high = false;
  while (!low && !high) {
    q = b / s;
    b = 10n * (b - q * s);
    m *= 10n;
    low = b < m;
    high = b + m >= tens;
    digits.push(Number(q));
  }
  const twice = 2n * b;
  const lowDigitDifference = high && low ? (twice > tens ? 1n : twice < tens ? -1n : 0n) : 0n;
  return { digits, decExp, low, high, lowDigitDifference };
}

function roundUp(d: Digits): void {
  let i = d.digits.length - 1;
  while (d.digits[i] === 9 && i > 0) d.digits[i--] = 0;
  if (d.digits[i] === 9) {
    // Carry out of the first digit: 9.99 becomes 1.00 one decade up.
    d.exponent += 1;
    d.digits[0] = 1;
    return;
  }
  d.digits[i]! += 1;
}

/** Digits of a whole number, dropping `dropped` low decimal places (rounded half up) and trailing zeros. */
function wholeNumberDigits(value: bigint, dropped: number): Digits {
  if (dropped > 0) {
    const pow10 = 10n ** BigInt(dropped);
    const residue = value % pow10;
    value /= pow10;
    if (residue >= pow10 / 2n) value++;
  }
  const text = value.toString();
  const digits = [...text.replace(/0+$/, '')].map(Number);
  return { digits, exponent: dropped + text.length };
}

function layout(negative: boolean, { digits, exponent }: Digits): string {
  const sign = negative ? '-' : '';
  const all = digits.join('');
  if (exponent > 0 && exponent < 8) {
    if (all.length <= exponent) return `${sign}${all.padEnd(exponent, '0')}.0`;
    return `${sign}${all.slice(0, exponent)}.${all.slice(exponent)}`;
  }
  if (exponent <= 0 && exponent > -3) return `${sign}0.${'0'.repeat(-exponent)}${all}`;
  return `${sign}${all[0]}.${all.slice(1) || '0'}E${exponent - 1}`;
}
