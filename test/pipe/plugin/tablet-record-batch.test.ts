import { Float64, makeVector, RecordBatch, Type, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { recordBatchToTablet, tabletToRecordBatch } from '../../../pipe/plugin/tablet-record-batch.js';
import { DataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function everyType(): Tablet {
  return {
    device: 'root.sg.d1',
    aligned: true,
    rowCount: 3,
    measurements: ['b', 'i32', 'i64', 'f', 'd', 'txt', 'str', 'blob', 'date', 'ts'],
    dataTypes: [
      DataType.BOOLEAN,
      DataType.INT32,
      DataType.INT64,
      DataType.FLOAT,
      DataType.DOUBLE,
      DataType.TEXT,
      DataType.STRING,
      DataType.BLOB,
      DataType.DATE,
      DataType.TIMESTAMP,
    ],
    // One spare slot at the end of each typed array: only rowCount rows are data.
    times: BigInt64Array.of(10n, 20n, 30n, 99n),
    columns: [
      Uint8Array.of(1, 0, 1, 0),
      Int32Array.of(-1, 2, 3, 0),
      BigInt64Array.of(2n ** 40n, -5n, 7n, 0n),
      Float32Array.of(1.5, 2.5, 3.5, 0),
      Float64Array.of(0.25, Number.NaN, -1e300, 0),
      [bytes('a'), bytes('héllo'), bytes('')],
      [bytes('x'), bytes('y'), bytes('z')],
      [Uint8Array.of(0, 255), Uint8Array.of(), Uint8Array.of(7)],
      Int32Array.of(20240229, 19700101, 19691231, 0),
      BigInt64Array.of(1n, 2n, 3n, 0n),
    ],
    nulls: [
      null,
      Uint8Array.of(0, 1, 0),
      null,
      null,
      Uint8Array.of(1, 0, 0),
      Uint8Array.of(0, 0, 1),
      null,
      null,
      null,
      null,
    ],
  };
}

describe('tablets as Arrow RecordBatches', () => {
  it('wraps times and fixed-width columns without copying', () => {
    const tablet = everyType();
    const batch = tabletToRecordBatch(tablet, 'ms');
    expect(batch.numRows).toBe(3);
    const buffer = (name: string) => batch.getChild(name)!.data[0]!.values.buffer;
    expect(buffer('time')).toBe(tablet.times.buffer);
    expect(buffer('i32')).toBe((tablet.columns[1] as Int32Array).buffer);
    expect(buffer('i64')).toBe((tablet.columns[2] as BigInt64Array).buffer);
    expect(buffer('f')).toBe((tablet.columns[3] as Float32Array).buffer);
    expect(buffer('d')).toBe((tablet.columns[4] as Float64Array).buffer);
    expect(buffer('ts')).toBe((tablet.columns[9] as BigInt64Array).buffer);
    // A change to the tablet's array shows through the batch: the memory is one.
    (tablet.columns[4] as Float64Array)[1] = 42;
    expect(batch.getChild('d')!.get(1)).toBe(42);
  });

  it('gives each IoTDB type its Arrow type, validity from the null bytes, and the metadata', () => {
    const batch = tabletToRecordBatch(everyType(), 'us');
    expect(batch.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      'time: Timestamp<MICROSECOND>',
      'b: Bool',
      'i32: Int32',
      'i64: Int64',
      'f: Float32',
      'd: Float64',
      'txt: Utf8',
      'str: Utf8',
      'blob: Binary',
      'date: Date32<DAY>',
      'ts: Timestamp<MICROSECOND>',
    ]);
    expect(batch.schema.fields[0]!.nullable).toBe(false);
    expect(batch.schema.metadata.get('iotdb.device')).toBe('root.sg.d1');
    expect(batch.schema.metadata.get('iotdb.aligned')).toBe('true');
    expect(batch.schema.fields[7]!.metadata.get('iotdb.dataType')).toBe('STRING');
    const column = (name: string) => [...batch.getChild(name)!];
    expect(column('b')).toEqual([true, false, true]);
    expect(column('i32')).toEqual([-1, null, 3]);
    expect(column('i64')).toEqual([2n ** 40n, -5n, 7n]);
    expect(column('d')).toEqual([null, Number.NaN, -1e300]);
    expect(column('txt')).toEqual(['a', 'héllo', null]);
    expect(column('blob')).toEqual([Uint8Array.of(0, 255), Uint8Array.of(), Uint8Array.of(7)]);
    expect(column('date')).toEqual([Date.UTC(2024, 1, 29), 0, Date.UTC(1969, 11, 31)]);
    expect(batch.getChild('i32')!.nullCount).toBe(1);
    expect(batch.getChild('i64')!.nullCount).toBe(0);
  });

  it('comes back to an equal tablet, fixed-width columns still shared', () => {
    const tablet = everyType();
    const back = recordBatchToTablet(tabletToRecordBatch(tablet, 'ms'), { device: 'other', aligned: false });
    expect(back.device).toBe('root.sg.d1');
    expect(back.aligned).toBe(true);
    expect(back.dataTypes).toEqual(tablet.dataTypes);
    expect(back.times).toEqual(tablet.times.subarray(0, 3));
    expect(back.times.buffer).toBe(tablet.times.buffer);
    expect((back.columns[4] as Float64Array).buffer).toBe((tablet.columns[4] as Float64Array).buffer);
    expect(back.columns[0]).toEqual(Uint8Array.of(1, 0, 1));
    expect(back.columns[8]).toEqual(Int32Array.of(20240229, 19700101, 19691231));
    expect(back.columns[5]).toEqual([bytes('a'), bytes('héllo'), bytes('')]);
    expect(back.nulls).toEqual([
      null,
      Uint8Array.of(0, 1, 0),
      null,
      null,
      Uint8Array.of(1, 0, 0),
      Uint8Array.of(0, 0, 1),
      null,
      null,
      null,
      null,
    ]);
  });

  it('keeps the bytes of a TEXT value that begins with a byte-order mark (U+FEFF)', () => {
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf, 0x62, 0x6f, 0x6d);
    const tablet: Tablet = {
      device: 'root.sg.d3',
      aligned: false,
      rowCount: 1,
      measurements: ['t'],
      dataTypes: [DataType.TEXT],
      times: BigInt64Array.of(1n),
      columns: [[bom]],
      nulls: [null],
    };
    const batch = tabletToRecordBatch(tablet, 'ms');
    const data = batch.getChild('t')!.data[0]!;
    expect(data.values.subarray(data.valueOffsets[0]!, data.valueOffsets[1]!)).toEqual(bom);
    expect(recordBatchToTablet(batch, { device: 'x', aligned: false }).columns[0]).toEqual([bom]);
    // A string a plugin puts into a Utf8 column is encoded with its U+FEFF.
    const rebuilt = new RecordBatch({
      time: makeVector(BigInt64Array.of(1n)).data[0]!,
      t: vectorFromArray(['\ufeffbom'], new Utf8()).data[0]!,
    });
    expect(recordBatchToTablet(rebuilt, { device: 'root.sg.d3', aligned: false }).columns[0]).toEqual([bom]);
  });

  it('takes a batch a processor sliced or rebuilt', () => {
    const tablet: Tablet = {
      device: 'root.sg.d2',
      aligned: false,
      rowCount: 4,
      measurements: ['v', 'label', 'on'],
      dataTypes: [DataType.DOUBLE, DataType.TEXT, DataType.BOOLEAN],
      times: BigInt64Array.of(1n, 2n, 3n, 4n),
      columns: [Float64Array.of(10, 20, 30, 40), ['a', 'b', 'c', 'd'].map(bytes), Uint8Array.of(0, 1, 0, 1)],
      nulls: [Uint8Array.of(0, 0, 1, 0), Uint8Array.of(0, 1, 0, 0), null],
    };
    const sliced = recordBatchToTablet(tabletToRecordBatch(tablet, 'ms').slice(1, 3), tablet);
    expect(sliced.rowCount).toBe(2);
    expect(sliced.times).toEqual(BigInt64Array.of(2n, 3n));
    expect(sliced.columns[0]).toEqual(Float64Array.of(20, 30));
    expect(sliced.columns[1]).toEqual([bytes(''), bytes('c')]);
    expect(sliced.columns[2]).toEqual(Uint8Array.of(1, 0));
    expect(sliced.nulls).toEqual([Uint8Array.of(0, 1), Uint8Array.of(1, 0), null]);
    // Dropping a column keeps the schema metadata and shares the rest.
    const batch = tabletToRecordBatch(tablet, 'ms');
    const narrowed = recordBatchToTablet(batch.select(['time', 'v', 'on']), { device: 'x', aligned: true });
    expect(narrowed).toMatchObject({ device: 'root.sg.d2', aligned: false, measurements: ['v', 'on'] });
    expect((narrowed.columns[0] as Float64Array).buffer).toBe((tablet.columns[0] as Float64Array).buffer);
    // A batch built by hand, without our metadata: the types follow Arrow's, the device the origin's.
    const time = makeVector(BigInt64Array.of(5n, 6n));
    const doubled = makeVector({ type: new Float64(), data: Float64Array.of(1, 2) });
    const rebuilt = recordBatchToTablet(new RecordBatch({ time: time.data[0]!, twice: doubled.data[0]! }), tablet);
    expect(rebuilt).toMatchObject({
      device: 'root.sg.d2',
      measurements: ['twice'],
      dataTypes: [DataType.DOUBLE],
      rowCount: 2,
    });
    expect(time.type.typeId).toBe(Type.Int);
  });

  it('refuses batches it cannot hold, naming the column', () => {
    const noTime = new RecordBatch({ v: makeVector(Float64Array.of(1)).data[0]! });
    expect(() => recordBatchToTablet(noTime, { device: 'root.a', aligned: false })).toThrow("needs a 'time' column");
    const int8 = new RecordBatch({
      time: makeVector(BigInt64Array.of(1n)).data[0]!,
      small: makeVector(Int8Array.of(1)).data[0]!,
    });
    expect(() => recordBatchToTablet(int8, { device: 'root.a', aligned: false })).toThrow(
      "column 'small' has Arrow type Int8, which IoTDB cannot hold",
    );
  });
});
