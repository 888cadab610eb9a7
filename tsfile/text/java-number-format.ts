/**
 * Java's `Double.toString` / `Float.toString` output, which IoTDB tools print and the
 * reference CSVs use: the shortest digits that round-trip, in plain notation for
 * 1e-3 <= |v| < 1e7 (always with a fractional digit: `1.0`) and otherwise as
 * `d.dddE±n` (`1.0E7`, `1.0E-4`).
 */
export function formatJavaDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  return layout(v < 0, shortestDigits(twoDigitsWhenExact(abs, abs.toExponential(), (x) => x === abs)));
}

export function formatJavaFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  const target = Math.fround(abs);
  let text = abs.toExponential(8);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = abs.toExponential(digits - 1);
    if (Math.fround(Number(candidate)) === target) {
      text = candidate;
      break;
    }
  }
  return layout(v < 0, shortestDigits(twoDigitsWhenExact(abs, text, (x) => Math.fround(x) === target)));
}

/**
 * Java always prints two significant digits when one would do, and picks the two-digit
 * decimal nearest the exact binary value: Double.MIN_VALUE is `4.9E-324`, not `5.0E-324`.
 */
function twoDigitsWhenExact(abs: number, shortest: string, roundTrips: (x: number) => boolean): string {
  if (shortest.split('e')[0]!.replace('.', '').length > 1) return shortest;
  const twoDigits = abs.toExponential(1);
  return roundTrips(Number(twoDigits)) ? twoDigits : shortest;
}

interface Decimal {
  /** Significant digits without leading or trailing zeros. */
  digits: string;
  /** Decimal exponent of the first digit: value = 0.d1d2... * 10^(exponent+1). */
  exponent: number;
}

function shortestDigits(exponential: string): Decimal {
  const [mantissa, exp] = exponential.split('e') as [string, string];
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, exponent: Number(exp) };
}

function layout(negative: boolean, { digits, exponent }: Decimal): string {
  const sign = negative ? '-' : '';
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1) || '0';
    return `${sign}${intPart}.${fraction}`;
  }
  const fraction = digits.slice(1) || '0';
  return `${sign}${digits[0]}.${fraction}E${exponent}`;
}
