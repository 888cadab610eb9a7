import type { ResultBlock } from '../../protocol/result-block.js';
import { type DataType, DataType as Types } from '../../tsfile/data-type.js';
import { valueText } from '../../tsfile/text/value-text.js';
import { formatTimestamp, type TimeDisplay, type ZoneOffsets } from './time-format.js';

/** How the CLI shows times: the node's precision, the session's zone, the display type. */
export interface TimeStyle {
  readonly precision: string;
  readonly zone: ZoneOffsets;
  readonly display: TimeDisplay;
}

/** IoTDB's name for the end-of-window column of some GROUP BY results, shown as a time. */
const END_TIME_COLUMN = '__endtime';

/** A non-null cell as IoTDB's CLI prints it (JDBC `getString`, BLOB as 0x-hex, DATE as yyyy-MM-dd). */
export function cellText(type: DataType, value: unknown, time: TimeStyle, isEndTime = false): string {
  switch (type) {
    case Types.TIMESTAMP:
      return formatTimestamp(value as bigint, time.precision, time.zone, time.display);
    case Types.INT64:
      return isEndTime ? formatTimestamp(value as bigint, time.precision, time.zone, time.display) : String(value);
    default:
      return valueText(type, value);
  }
}

/** Text rows [from, to) of a block, Time first unless the result ignores it; null cells print `null`. */
export function rowTexts(
  block: ResultBlock,
  from: number,
  to: number,
  columnNames: readonly string[],
  withTime: boolean,
  time: TimeStyle,
): string[][] {
  const endTime = columnNames.map((n) => n.toLowerCase() === END_TIME_COLUMN);
  const rows: string[][] = [];
  for (let i = from; i < to; i++) {
    const row: string[] = withTime ? [formatTimestamp(block.times[i]!, time.precision, time.zone, time.display)] : [];
    block.columns.forEach((c, j) => {
      row.push(
        c.nulls?.[i] === 1 ? 'null' : cellText(c.type, (c.values as ArrayLike<unknown>)[i], time, endTime[j] === true),
      );
    });
    rows.push(row);
  }
  return rows;
}

const HAN = /\p{Script=Han}/gu;

/** Terminal columns of a cell as IoTDB's CLI counts them: Chinese characters take two. */
export function displayWidth(text: string): number {
  return text.length + (text.match(HAN)?.length ?? 0);
}

/** A boxed table with right-aligned cells, as IoTDB's CLI draws results (header, rule, rows). */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h) => displayWidth(h));
  for (const r of rows) {
    for (let j = 0; j < widths.length; j++) widths[j] = Math.max(widths[j]!, displayWidth(r[j] ?? ''));
  }
  const rule = `+${widths.map((w) => `${'-'.repeat(w)}+`).join('')}`;
  const line = (cells: readonly string[]) =>
    `|${widths.map((w, j) => `${' '.repeat(w - displayWidth(cells[j] ?? ''))}${cells[j] ?? ''}|`).join('')}`;
  return [rule, line(header), rule, ...rows.map(line), rule].join('\n');
}
