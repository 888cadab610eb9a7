import { describe, expect, it } from 'vitest';
import { encodeQueryDataSet } from '../../protocol/query-dataset-codec.js';
import { decodeRecordValues } from '../../protocol/record-values-codec.js';
import { encodeTabletPayload } from '../../protocol/tablet-codec.js';
import { encodeTsBlock } from '../../protocol/tsblock-codec.js';
import { DataType } from '../../tsfile/data-type.js';
import { hex, utf8 } from './hex.js';

// The worked examples of protocol/FORMAT.md, kept true.
describe('FORMAT.md examples', () => {
  it('Tablet', () => {
    const out = encodeTabletPayload({
      dataTypes: [DataType.INT64, DataType.TEXT],
      times: new BigInt64Array([1n, 2n, 3n]),
      columns: [new BigInt64Array([-2n, -(2n ** 63n), 5n]), [utf8('ab'), utf8(''), utf8('c')]],
      nulls: [new Uint8Array([0, 1, 0]), null],
      rowCount: 3,
    });
    expect(out.timestamps.toString('hex')).toBe(
      hex('0000000000000001 0000000000000002 0000000000000003').toString('hex'),
    );
    expect(out.values.toString('hex')).toBe(
      hex(`fffffffffffffffe 8000000000000000 0000000000000005
           00000002 6162 00000000 00000001 63
           01 02  00`).toString('hex'),
    );
  });

  it('Record values', () => {
    const { types, values } = decodeRecordValues(hex('02 fffffffffffffffe | fe | 05 00000002 6869'), 3);
    expect(types).toEqual([DataType.INT64, null, DataType.TEXT]);
    expect(values).toEqual([-2n, null, utf8('hi')]);
  });

  const block = {
    times: new BigInt64Array([100n, 200n, 300n]),
    rowCount: 3,
    columns: [{ type: DataType.INT32, values: new Int32Array([5, 0, 7]), nulls: new Uint8Array([0, 1, 0]) }],
  };

  it('TSQueryDataSet', () => {
    const ds = encodeQueryDataSet(block);
    expect(ds.valueList[0]!.toString('hex')).toBe('0000000500000007');
    expect(ds.bitmapList[0]!.toString('hex')).toBe('a0');
  });

  it('TsBlock', () => {
    expect(encodeTsBlock(block).toString('hex')).toBe(
      hex(`00000001 01 00000003 02 01
           00 0000000000000064 00000000000000c8 000000000000012c
           01 40 00000005 00000007`).toString('hex'),
    );
  });
});
