import { describe, expect, it } from 'vitest';
import type { ResultBlock } from '../../../protocol/result-block.js';
import { cellText, displayWidth, renderTable, rowTexts, type TimeStyle } from '../../../server/cli/result-table.js';
import { ZoneOffsets } from '../../../server/cli/time-format.js';
import { DataType } from '../../../tsfile/data-type.js';

const UTC: TimeStyle = { precision: 'ms', zone: new ZoneOffsets('UTC'), display: 'default' };
const enc = new TextEncoder();

describe('CLI result tables', () => {
  it('draws a boxed table with right-aligned cells', () => {
    expect(renderTable(['Time', 'root.sg.d1.s1'], [['1970-01-01T08:00:00.001+08:00', '1.5']])).toBe(
      [
        '+-----------------------------+-------------+',
        '|                         Time|root.sg.d1.s1|',
        '+-----------------------------+-------------+',
        '|1970-01-01T08:00:00.001+08:00|          1.5|',
        '+-----------------------------+-------------+',
      ].join('\n'),
    );
  });

  it('counts a Chinese character as two columns, as IoTDB’s CLI does', () => {
    expect(displayWidth('温度a')).toBe(5);
    expect(renderTable(['温度', 'v'], [['x', '值值值']])).toBe(
      ['+----+------+', '|温度|     v|', '+----+------+', '|   x|值值值|', '+----+------+'].join('\n'),
    );
  });

  it('draws a header-only table for no rows and no columns at all', () => {
    expect(renderTable(['Time'], [])).toBe('+----+\n|Time|\n+----+\n+----+');
    expect(renderTable([], [])).toBe('+\n|\n+\n+');
  });

  it('prints values as Java does: floats, booleans, text, BLOB hex, DATE, TIMESTAMP', () => {
    expect(cellText(DataType.FLOAT, Math.fround(0.1), UTC)).toBe('0.1');
    expect(cellText(DataType.DOUBLE, 1e7, UTC)).toBe('1.0E7');
    expect(cellText(DataType.DOUBLE, 2, UTC)).toBe('2.0');
    expect(cellText(DataType.INT64, -(2n ** 63n), UTC)).toBe('-9223372036854775808');
    expect(cellText(DataType.INT32, -7, UTC)).toBe('-7');
    expect(cellText(DataType.BOOLEAN, 1, UTC)).toBe('true');
    expect(cellText(DataType.TEXT, enc.encode('héllo'), UTC)).toBe('héllo');
    expect(cellText(DataType.STRING, enc.encode('s'), UTC)).toBe('s');
    expect(cellText(DataType.BLOB, Uint8Array.of(0, 0xab, 0xff), UTC)).toBe('0x00abff');
    expect(cellText(DataType.DATE, 20240229, UTC)).toBe('2024-02-29');
    expect(cellText(DataType.TIMESTAMP, 1000n, UTC)).toBe('1970-01-01T00:00:01.000Z');
  });

  it('keeps a leading byte-order mark (U+FEFF) of TEXT and STRING values', () => {
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf, 0x62, 0x6f, 0x6d);
    expect(cellText(DataType.TEXT, bom, UTC)).toBe('\ufeffbom');
    expect(cellText(DataType.STRING, bom, UTC)).toBe('\ufeffbom');
  });

  it('turns rows into cells: Time first, null for nulls, __endTime as a time', () => {
    const block: ResultBlock = {
      times: BigInt64Array.of(0n, 60_000n),
      columns: [
        { type: DataType.INT64, values: BigInt64Array.of(59_999n, 119_999n), nulls: null },
        { type: DataType.DOUBLE, values: Float64Array.of(0.5, 0), nulls: Uint8Array.of(0, 1) },
      ],
      rowCount: 2,
    };
    expect(rowTexts(block, 0, 2, ['__endTime', 'avg(root.sg.d1.s1)'], true, UTC)).toEqual([
      ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:59.999Z', '0.5'],
      ['1970-01-01T00:01:00.000Z', '1970-01-01T00:01:59.999Z', 'null'],
    ]);
    expect(rowTexts(block, 1, 2, ['a', 'b'], false, { ...UTC, display: 'long' })).toEqual([['119999', 'null']]);
  });
});
