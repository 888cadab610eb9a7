/**
 * Timestamps as IoTDB's CLI prints them by default: ISO-8601 local date-time in the
 * session's zone, the fraction as long as the precision, then the offset, `Z` for UTC
 * (`1970-01-01T08:00:00.001+08:00`, `1970-01-01T00:00:00.000001Z` in `us`). IoTDB's own
 * formatter misplaces the fraction after a negative offset (`...T19:00:00-05:00.001`);
 * this one keeps ISO-8601 order for every offset.
 */

/** `long` prints the number itself (IoTDB's `set time_display_type=long`). */
export type TimeDisplay = 'default' | 'long';

const UNITS_PER_SECOND: Record<string, bigint> = { ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };
const FRACTION_DIGITS: Record<string, number> = { ms: 3, us: 6, ns: 9 };

/** Offset ids Java's ZoneId accepts: `Z`, `+8`, `+08`, `+08:00`, `+0800`, `+08:00:30`, also after `UTC`/`GMT`. */
const FIXED_OFFSET = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/i;

/** The UTC offset of a zone at any instant: a fixed offset, or an IANA zone through Intl. */
export class ZoneOffsets {
  private readonly fixed: number | null;
  private readonly parts: Intl.DateTimeFormat | null;
  /** Offsets by UTC hour, for hours that hold no transition (almost all). */
  private readonly byHour = new Map<number, number>();

  /** A RangeError for a zone that is neither an offset nor a known IANA name. */
  constructor(readonly id: string) {
    const offset = FIXED_OFFSET.exec(id.trim());
    if (id.trim().toUpperCase() === 'Z') {
      this.fixed = 0;
      this.parts = null;
    } else if (offset !== null) {
      const [, sign, h, m, s] = offset;
      const seconds = Number(h) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
      if (Number(h) > 18 || Number(m ?? 0) > 59 || Number(s ?? 0) > 59 || seconds > 18 * 3600) {
        throw new RangeError(`zone offset '${id}' is out of range (-18:00 to +18:00)`);
      }
      this.fixed = sign === '-' ? -seconds : seconds;
      this.parts = null;
    } else {
      this.fixed = null;
      this.parts = new Intl.DateTimeFormat('en-US', {
        timeZone: id.trim(),
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    }
  }

  /** Offset in seconds at `epochSecond`. */
  offsetSeconds(epochSecond: number): number {
    if (this.fixed !== null) return this.fixed;
    const hour = Math.floor(epochSecond / 3600);
    const known = this.byHour.get(hour);
    if (known !== undefined) return known;
    const start = this.lookup(hour * 3600);
    if (start !== this.lookup(hour * 3600 + 3599)) return this.lookup(epochSecond);
    if (this.byHour.size >= 4096) this.byHour.clear();
    this.byHour.set(hour, start);
    return start;
  }

  private lookup(epochSecond: number): number {
    // Intl's calendar fields are plain years only within Date's range and after year 999.
    const s = Math.min(Math.max(epochSecond, -30_610_224_000), 253_402_300_799);
    const fields: Record<string, number> = {};
    for (const p of this.parts!.formatToParts(new Date(s * 1000))) {
      if (p.type !== 'literal') fields[p.type] = Number(p.value);
    }
    const local = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
    return local / 1000 - s;
  }
}

/** `time` (in units of `precision`: ms, us or ns) as IoTDB's CLI shows it. */
export function formatTimestamp(time: bigint, precision: string, zone: ZoneOffsets, display: TimeDisplay): string {
  if (display === 'long') return time.toString();
  const perSecond = UNITS_PER_SECOND[precision] ?? 1000n;
  let seconds = time / perSecond;
  let fraction = time % perSecond;
  if (fraction < 0n) {
    fraction += perSecond;
    seconds -= 1n;
  }
  const offset = zone.offsetSeconds(Number(seconds));
  // Seconds of the extreme i64 millisecond values exceed 2^53: split them exactly.
  const local = seconds + BigInt(offset);
  let days = local / 86_400n;
  if (days * 86_400n > local) days -= 1n;
  const ofDay = Number(local - days * 86_400n);
  const { year, month, day } = civilFromDays(Number(days));
  const digits = FRACTION_DIGITS[precision] ?? 3;
  return (
    `${yearText(year)}-${two(month)}-${two(day)}` +
    `T${two(Math.floor(ofDay / 3600))}:${two(Math.floor(ofDay / 60) % 60)}:${two(ofDay % 60)}` +
    `.${fraction.toString().padStart(digits, '0')}${offsetText(offset)}`
  );
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** ISO-8601 as Java writes it: four digits, a sign beyond 9999 or before year 0. */
function yearText(year: number): string {
  if (year > 9999) return `+${year}`;
  if (year < 0) return `-${String(-year).padStart(4, '0')}`;
  return String(year).padStart(4, '0');
}

function offsetText(offset: number): string {
  if (offset === 0) return 'Z';
  const abs = Math.abs(offset);
  const seconds = abs % 60;
  const text = `${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 3600))}:${two(Math.floor(abs / 60) % 60)}`;
  return seconds === 0 ? text : `${text}:${two(seconds)}`;
}

/** Proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}
