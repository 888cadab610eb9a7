import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tabletsOfFile } from '../../pipe/receiver/converted-load.js';
import { convertTablet, convertValue } from '../../pipe/receiver/type-conversion.js';
import { DataType } from '../../tsfile/data-type.js';
import { eventually, pipeNodes, rows } from './pipe-test-kit.js';
import { writeTsFile } from './plugin/plugin-fixtures.js';

const node = pipeNodes();
const bytes = (s: string) => new TextEncoder().encode(s);
const str = (v: unknown) => new TextDecoder().decode(v as Uint8Array);

describe('conversion to the receiver’s type (IoTDB 1.3.3’s ValueConverter rules)', () => {
  it('converts numbers, booleans, text, dates and timestamps as IoTDB does', () => {
    const { BOOLEAN, INT32, INT64, FLOAT, DOUBLE, TEXT, STRING, DATE, TIMESTAMP, BLOB } = DataType;
    expect(convertValue(7, INT32, INT64)).toBe(7n);
    expect(convertValue(7, INT32, DOUBLE)).toBe(7);
    expect(convertValue(2n ** 40n + 5n, INT64, INT32)).toBe(5);
    expect(convertValue(-3.9, DOUBLE, INT32)).toBe(-3);
    expect(convertValue(1e20, DOUBLE, INT32)).toBe(2 ** 31 - 1);
    expect(convertValue(Number.NaN, DOUBLE, INT64)).toBe(0n);
    expect(convertValue(true, BOOLEAN, INT64)).toBe(1n);
    expect(convertValue(0, INT32, BOOLEAN)).toBe(false);
    expect(convertValue(0.1, DOUBLE, FLOAT)).toBe(Math.fround(0.1));
    expect(str(convertValue(1.0, DOUBLE, TEXT))).toBe('1.0');
    expect(str(convertValue(Math.fround(0.1), FLOAT, STRING))).toBe('0.1');
    expect(str(convertValue(12n, INT64, TEXT))).toBe('12');
    expect(str(convertValue(false, BOOLEAN, BLOB))).toBe('false');
    expect(convertValue(bytes(' 12.7 '), TEXT, INT32)).toBe(12);
    expect(convertValue(bytes('1e3'), TEXT, INT64)).toBe(1000n);
    expect(convertValue(bytes('abc'), TEXT, DOUBLE)).toBe(0);
    expect(convertValue(bytes('TRUE'), TEXT, BOOLEAN)).toBe(true);
    expect(convertValue(bytes('yes'), TEXT, BOOLEAN)).toBe(false);
    expect(convertValue(20240229, INT32, DATE)).toBe(20240229);
    expect(convertValue(20230229, INT32, DATE)).toBe(19700101);
    expect(convertValue(true, BOOLEAN, DATE)).toBe(19700102);
    expect(convertValue(19700101, DATE, BOOLEAN)).toBe(false);
    expect(str(convertValue(20240105, DATE, TEXT))).toBe('2024-01-05');
    expect(convertValue(20240105, DATE, TIMESTAMP)).toBe(BigInt(Date.UTC(2024, 0, 5)));
    expect(convertValue(BigInt(Date.UTC(2024, 0, 5, 13)), TIMESTAMP, DATE)).toBe(20240105);
    expect(convertValue(bytes('2024-01-05'), TEXT, DATE)).toBe(20240105);
    expect(convertValue(bytes('42'), STRING, TIMESTAMP)).toBe(42n);
  });

  it('converts only the columns whose series differ, keeping nulls', () => {
    const tablet = {
      device: 'root.db.d',
      aligned: false,
      rowCount: 2,
      measurements: ['a', 'b'],
      dataTypes: [DataType.INT64, DataType.INT32],
      times: BigInt64Array.of(1n, 2n),
      columns: [BigInt64Array.of(5n, 6n), Int32Array.of(1, 0)],
      nulls: [null, Uint8Array.of(0, 1)],
    };
    const out = convertTablet(tablet, (m) => (m === 'a' ? DataType.INT64 : DataType.TEXT));
    expect(out.dataTypes).toEqual([DataType.INT64, DataType.TEXT]);
    expect(out.columns[0]).toBe(tablet.columns[0]);
    expect(str((out.columns[1] as Uint8Array[])[0])).toBe('1');
    expect(out.nulls[1]).toEqual(Uint8Array.of(0, 1));
  });

  it('B’s INT32 series takes A’s INT64 points, B’s INT64 series A’s booleans; with conversion off the column is a conflict the pipe retries, RUNNING, showing it', async () => {
    const a = await node();
    const b = await node();
    await b.session.executeStatement('create timeseries root.db.d.i with datatype=INT32');
    await b.session.executeStatement('create timeseries root.db.d.flag with datatype=INT64');
    await a.session.executeStatement('create timeseries root.db.d.i with datatype=INT64');
    await a.session.executeStatement('create timeseries root.db.d.flag with datatype=BOOLEAN');
    const sink = `'sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${b.node.port}'`;
    await a.session.executeStatement(`create pipe p with sink (${sink})`);
    await a.session.executeStatement('start pipe p');
    await a.session.executeStatement('insert into root.db.d(time, i, flag) values (1, 40, true), (2, -7, false)');
    await eventually(async () => (await rows(b.session, 'select i, flag from root.db.d')).length === 2, 'B to convert');
    expect(await rows(b.session, 'select i, flag from root.db.d')).toEqual([
      ['1', '40', '1'],
      ['2', '-7', '0'],
    ]);
    expect((await rows(b.session, 'show timeseries root.db.d.i'))[0]![4]).toBe('INT32');

    await a.session.executeStatement(
      `create pipe strict with source ('source.start-time'='3') with sink (${sink}, 'sink.exception.data.convert-on-type-mismatch'='false')`,
    );
    await a.session.executeStatement('start pipe strict');
    // IoTDB's default strategy retries a conflict for 60 s: the pipe runs on, showing it.
    await a.session.executeStatement('insert into root.db.d(time, i) values (3, 1)');
    const conflict = 'data type of root.db.d.i is not consistent, registered type INT32, inserting type INT64';
    await eventually(
      async () => (await rows(a.session, 'show pipe strict'))[0]![7]!.includes(conflict),
      'the conflict',
    );
    const shown = (await rows(a.session, 'show pipe strict'))[0]!;
    expect(shown[3]).toBe('RUNNING');
    expect(shown[7]).toContain('1810');
  }, 60_000);

  it('reads a sealed file as tablets with the points its mods delete left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-convert-'));
    try {
      const file = join(dir, 'f.tsfile');
      writeTsFile(file, 5);
      const tablets = [...tabletsOfFile(file, [{ pattern: 'root.sg.d1.v', start: 2n, end: 3n }])];
      const d1 = tablets.find((t) => t.device === 'root.sg.d1')!;
      expect([...d1.times]).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect([...d1.nulls[0]!]).toEqual([0, 0, 1, 1, 0]);
      expect(tablets.find((t) => t.device === 'root.sg.al')!.nulls[0]).toEqual(Uint8Array.of(0, 1, 0));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('converts a history file shipped whole whose series have other types on B', async () => {
    const a = await node();
    const b = await node();
    await b.session.executeStatement('create timeseries root.db.h.i with datatype=INT32');
    await b.session.executeStatement('create timeseries root.db.h.t with datatype=TEXT');
    await a.session.executeStatement('create timeseries root.db.h.i with datatype=INT64');
    await a.session.executeStatement('create timeseries root.db.h.t with datatype=DOUBLE');
    await a.session.executeStatement(
      'insert into root.db.h(time, i, t) values (1, 10, 1.5), (2, 20, 2.0), (3, 30, 0.1)',
    );
    await a.session.executeStatement('flush');
    await a.session.executeStatement(
      `create pipe p with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe p');
    await eventually(async () => (await rows(b.session, 'select t from root.db.h')).length === 3, 'B to get the file');
    expect(await rows(b.session, 'select i, t from root.db.h')).toEqual([
      ['1', '10', '1.5'],
      ['2', '20', '2.0'],
      ['3', '30', '0.1'],
    ]);
    expect((await rows(a.session, 'show pipe p'))[0]![3]).toBe('RUNNING');
  }, 60_000);
});
