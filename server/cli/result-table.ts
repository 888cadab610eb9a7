import type { ResultBlock } from '../../protocol/result-block.js';
import { type DataType, DataType as Types } from '../../tsfile/data-type.js';
import { formatJavaDouble, formatJavaFloat } from '../../tsfile/text/java-number-format.js';

const decoder = new TextDecoder();

/** A cell as IoTDB's CLI prints it. */
export function cellText(type: DataType, value: unknown): string {
  switch (type) {
    case Types.BOOLEAN:
      return value ? 'true' : 'false';
    case Types.FLOAT:
      return formatJavaFloat(value as number);
    case Types.DOUBLE:
      return formatJavaDouble(value as number);
    case Types.TEXT:
    case Types.STRING:
      return decoder.decode(value as Uint8Array);
    case Types.BLOB:
      return `0x${Buffer.from(value as Uint8Array).toString('hex')}`;
    case Types.DATE: {
      const n = Number(value);
      return `${String(Math.floor(n / 10000)).padStart(4, '0')}-${String(Math.floor(n / 100) % 100).padStart(2, '0')}-${String(n % 100).padStart(2, '0')}`;
    }
    default:
      return String(value);
  }
}

const FRACTION_DIGITS: Record<string, number> = { ms: 3, us: 6, ns: 9 };
const UNITS_PER_MS: Record<string, bigint> = { ms: 1n, us: 1000n, ns: 1_000_000n };

/**
 * A timestamp as IoTDB's CLI prints it by default: ISO-8601 in the local zone with its
 * offset (`1970-01-01T08:00:00.001+08:00`), the fraction as long as the precision.
 */
export function timeText(time: bigint, precision: string): string {
  const perMs = UNITS_PER_MS[precision] ?? 1n;
  let ms = time / perMs;
  let sub = time % perMs;
  if (sub < 0n) {
    sub += perMs;
    ms -= 1n;
  }
  const date = new Date(Number(ms));
  const offsetMinutes = -date.getTimezoneOffset();
  const local = new Date(Number(ms) + offsetMinutes * 60_000);
  const iso = local.toISOString().slice(0, 19);
  const millis = String(local.getUTCMilliseconds()).padStart(3, '0');
  const digits = FRACTION_DIGITS[precision] ?? 3;
  const fraction = (millis + String(sub).padStart(digits - 3, '0')).slice(0, digits);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${iso}.${fraction}${offset}`;
}

/** The rows of a result as text cells, Time first unless the result ignores it. */
export function textCells(
  blocks: readonly ResultBlock[],
  dataTypes: readonly DataType[],
  withTime: boolean,
  precision: string,
): string[][] {
  const rows: string[][] = [];
  for (const b of blocks) {
    for (let i = 0; i < b.rowCount; i++) {
      const cells = b.columns.map((c, j) =>
        c.nulls?.[i] === 1 ? 'null' : cellText(dataTypes[j] ?? c.type, (c.values as ArrayLike<unknown>)[i]),
      );
      rows.push(withTime ? [timeText(b.times[i]!, precision), ...cells] : cells);
    }
  }
  return rows;
}

/** A boxed table with right-aligned cells, as IoTDB's CLI draws results. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const rule = `+${widths.map((w) => '-'.repeat(w)).join('+')}+`;
  const line = (cells: readonly string[]) => `|${cells.map((c, j) => c.padStart(widths[j]!)).join('|')}|`;
  return [rule, line(header), rule, ...rows.map(line), rule].join('\n');
}
