import { describe, expect, it } from 'vitest';
import { decodePipeTransferReq, PipeRequestType } from '../../../protocol/pipe/pipe-requests.js';
import { DataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import { utf8 } from '../hex.js';
import {
  allTypesRow,
  allTypesTablet,
  NAMES,
  planRow,
  planRowValues,
  planTabletNode,
  request,
  T,
  TYPES,
  tabletRows,
  WAL,
  walRow,
  walTabletEntry,
} from './insert-node-bytes.js';
import type { JavaDataOutput } from './java-data-output.js';

// Bodies written field by field in the order IoTDB 1.3 writes them: PlanNode.serialize for
// TRANSFER_TABLET_INSERT_NODE (2) and the insert nodes of a batch, the WAL entry
// (WALInfoEntry.serialize + serializeToWAL) for TRANSFER_TABLET_BINARY (7) and the binary
// items of a batch (6). Each comment names the Java call that writes the field.

describe('TRANSFER_TABLET_INSERT_NODE (2): InsertTabletNode', () => {
  it('decodes every data type, bitmaps, nulls and the non-aligned flag', () => {
    const decoded = decodePipeTransferReq(request(2, (o) => planTabletNode(o, 'root.sg.`a.b`', false)));
    expect(decoded).toEqual({ kind: 'tablet-insert-node', tablets: [allTypesTablet('root.sg.`a.b`', false)] });
  });

  it('reads measurement schemas when the node carries them, and the aligned flag', () => {
    const req = request(PipeRequestType.TRANSFER_TABLET_INSERT_NODE, (o) => {
      o.short(13) // PlanNodeType.INSERT_TABLET.serialize
        .string('root.sg.d') // devicePath.getFullPath()
        .int(2) // measurements.length - failed
        .byte(1) // measurementSchemas != null
        .string('s1') // MeasurementSchema.serializeTo: measurementId
        .byte(T.DOUBLE) // type
        .byte(4) // encoding GORILLA
        .byte(1) // compressor SNAPPY
        .int(1) // props.size()
        .string('owner')
        .string('x')
        .string('s2')
        .byte(T.TEXT)
        .byte(0)
        .byte(0)
        .int(0) // props == null
        .byte(T.DOUBLE) // writeDataTypes: dataTypes[0]
        .byte(T.TEXT) // writeDataTypes: dataTypes[1]
        .int(1) // rowCount
        .long(100n) // times[0]
        .byte(0) // bitMaps == null
        .double(2.5) // s1
        .binary(utf8('t')) // s2
        .byte(1) // isAligned
        .string('') // PlanNodeId
        .int(0); // children
    });
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'tablet-insert-node',
      tablets: [
        {
          device: 'root.sg.d',
          measurements: ['s1', 's2'],
          dataTypes: [DataType.DOUBLE, DataType.TEXT],
          times: BigInt64Array.of(100n),
          columns: [Float64Array.of(2.5), [utf8('t')]],
          nulls: [null, null],
          rowCount: 1,
          aligned: true,
        },
      ],
    });
  });

  it('drops a measurement written as null (a failed one) with its bitmap and values', () => {
    const req = request(2, (o) => {
      o.short(13)
        .string('root.sg.d')
        .int(2)
        .byte(0)
        .string(null) // a failed measurement: ReadWriteIOUtils.write(null) writes length -1
        .string('ok')
        .byte(T.INT32)
        .byte(T.INT64)
        .int(2) // rowCount
        .long(1n)
        .long(2n)
        .byte(1) // bitMaps != null
        .byte(1) // failed column's bitmap
        .raw(Uint8Array.of(0x03))
        .byte(0) // ok: no bitmap
        .int(9)
        .int(9) // failed column's values, read and dropped
        .long(10n)
        .long(20n)
        .byte(0) // not aligned
        .string('0')
        .int(0);
    });
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'tablet-insert-node',
      tablets: [
        {
          device: 'root.sg.d',
          measurements: ['ok'],
          dataTypes: [DataType.INT64],
          times: BigInt64Array.of(1n, 2n),
          columns: [BigInt64Array.of(10n, 20n)],
          nulls: [null],
          rowCount: 2,
          aligned: false,
        },
      ],
    });
  });

  it('gives no tablet for a node with no rows (IoTDB skips the empty statement)', () => {
    const req = request(2, (o) => {
      o.short(13).string('root.sg.d').int(1).byte(0).string('s').byte(T.INT32);
      o.int(0).byte(0).byte(0).string('0').int(0); // no rows, no bitmaps, not aligned, trailer
    });
    expect(decodePipeTransferReq(req)).toEqual({ kind: 'tablet-insert-node', tablets: [] });
  });
});

describe('TRANSFER_TABLET_INSERT_NODE (2): row nodes', () => {
  it('decodes an InsertRowNode of every type into a 1-row tablet; a typed null stays, an untyped one goes', () => {
    const req = request(2, (o) => {
      o.short(14); // PlanNodeType.INSERT_ROW.serialize
      planRow(o, 'root.sg.r', 1234n, false);
      o.string('1') // PlanNodeId
        .int(0); // children (getChildren() is empty)
    });
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'tablet-insert-node',
      tablets: [allTypesRow('root.sg.r', 1234n, false)],
    });
  });

  it('reads measurement schemas in a row node', () => {
    const req = request(2, (o) => {
      o.short(14)
        .long(5n) // time
        .string('root.sg.r') // device
        .int(1) // measurement count
        .byte(1) // measurementSchemas != null
        .string('s') // MeasurementSchema.serializeTo
        .byte(T.FLOAT)
        .byte(0)
        .byte(0)
        .int(0)
        .byte(T.FLOAT) // value type
        .float(3.5)
        .byte(0) // isNeedInferType
        .byte(1) // isAligned
        .string('0')
        .int(0);
    });
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'tablet-insert-node',
      tablets: [
        {
          device: 'root.sg.r',
          measurements: ['s'],
          dataTypes: [DataType.FLOAT],
          times: BigInt64Array.of(5n),
          columns: [Float32Array.of(3.5)],
          nulls: [null],
          rowCount: 1,
          aligned: true,
        },
      ],
    });
  });

  it('decodes an InsertRowsNode into one tablet per row, in list order', () => {
    const req = request(2, (o) => {
      o.short(15) // PlanNodeType.INSERT_ROWS.serialize
        .int(3); // ReadWriteIOUtils.write(insertRowNodeList.size())
      planRow(o, 'root.sg.r2', 20n, true); // node.subSerialize
      planRow(o, 'root.sg.r1', 10n, false);
      o.long(30n) // a row of nulls without a type only: an empty statement, skipped
        .string('root.sg.r3')
        .int(1)
        .byte(0)
        .string('gone')
        .byte(-2)
        .byte(0)
        .byte(0);
      o.int(4)
        .int(0)
        .int(9) // insertRowNodeIndexList
        .string('2') // PlanNodeId
        .int(0); // children
    });
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'tablet-insert-node',
      tablets: [allTypesRow('root.sg.r2', 20n, true), allTypesRow('root.sg.r1', 10n, false)],
    });
  });

  it('decodes an InsertRowsOfOneDeviceNode', () => {
    const req = request(2, (o) => {
      o.short(16) // PlanNodeType.INSERT_ROWS_OF_ONE_DEVICE.serialize
        .string('root.sg.one') // ReadWriteIOUtils.write(devicePath.getFullPath())
        .int(2) // insertRowNodeList.size()
        .long(1n) // ReadWriteIOUtils.write(node.getTime())
        .with((w) => planRowValues(w, true)) // node.serializeMeasurementsAndValues
        .long(2n)
        .with((w) => planRowValues(w, true))
        .int(0)
        .int(1) // insertRowNodeIndexList
        .string('0')
        .int(0);
    });
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'tablet-insert-node',
      tablets: [allTypesRow('root.sg.one', 1n, true), allTypesRow('root.sg.one', 2n, true)],
    });
  });

  it('decodes an InsertMultiTabletsNode', () => {
    const req = request(2, (o) => {
      o.short(17) // PlanNodeType.INSERT_MULTI_TABLET.serialize
        .int(2); // insertTabletNodeList.size()
      for (const device of ['root.m.a', 'root.m.b']) {
        o.string(device) // InsertTabletNode.subSerialize
          .int(NAMES.length)
          .byte(0);
        for (const name of NAMES) o.string(name);
        for (const type of TYPES) o.byte(type);
        tabletRows(o, device === 'root.m.b');
      }
      o.int(0)
        .int(1) // parentInsertTabletNodeIndexList
        .string('0')
        .int(0);
    });
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'tablet-insert-node',
      tablets: [allTypesTablet('root.m.a', false), allTypesTablet('root.m.b', true)],
    });
  });
});

describe('TRANSFER_TABLET_BINARY (7): write-ahead-log entries', () => {
  it('decodes an InsertTabletNode entry (schemas with encodings, aligned)', () => {
    const req = request(PipeRequestType.TRANSFER_TABLET_BINARY, (o) => walTabletEntry(o, 'root.w.t', true));
    expect(decodePipeTransferReq(req)).toEqual({ kind: 'tablet-binary', tablets: [allTypesTablet('root.w.t', true)] });
  });

  it('decodes an InsertRowNode entry', () => {
    const req = request(7, (o) => {
      o.byte(WAL.INSERT_ROW_NODE) // WALInfoEntry.serialize: type.getCode()
        .long(3n) // memTableId
        .short(14) // serializeToWAL: putShort(INSERT_ROW)
        .long(99n); // putLong(searchIndex)
      walRow(o, 'root.w.r', -1n, false);
    });
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'tablet-binary',
      tablets: [allTypesRow('root.w.r', -1n, false)],
    });
  });

  it('decodes an InsertRowsNode entry', () => {
    const req = request(7, (o) => {
      o.byte(WAL.INSERT_ROWS_NODE) // type.getCode()
        .long(3n) // memTableId
        .short(15) // putShort(INSERT_ROWS)
        .long(99n) // putLong(searchIndex)
        .int(2); // putInt(insertRowNodeList.size())
      walRow(o, 'root.w.a', 1n, true); // insertRowNode.subSerialize(buffer)
      walRow(o, 'root.w.b', 2n, false);
    });
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'tablet-binary',
      tablets: [allTypesRow('root.w.a', 1n, true), allTypesRow('root.w.b', 2n, false)],
    });
  });
});

describe('TRANSFER_TABLET_BATCH (6)', () => {
  /** One INT32 column `s`, one row at time 7 valued 70, as Apache TsFile 1.x Tablet.serialize writes it. */
  function rawTablet(o: JavaDataOutput, device: string): void {
    o.string(device) // ReadWriteIOUtils.write(insertTargetName)
      .int(1) // rowSize
      .byte(1) // schemas present
      .int(1) // schemas.size()
      .byte(1) // schema present
      .string('s') // MeasurementSchema.serializeTo
      .byte(T.INT32)
      .byte(0)
      .byte(0)
      .int(0)
      .byte(1) // timestamps present
      .long(7n)
      .byte(0) // no bitmaps
      .byte(1) // values present
      .byte(1) // column present
      .int(70)
      .byte(0); // ReadWriteIOUtils.write(isAligned)
  }

  function oneInt(device: string, time: bigint, value: number): Tablet {
    return {
      device,
      measurements: ['s'],
      dataTypes: [DataType.INT32],
      times: BigInt64Array.of(time),
      columns: [Int32Array.of(value)],
      nulls: [null],
      rowCount: 1,
      aligned: false,
    };
  }

  /** A plan-form InsertRowNode of one INT32 value. */
  function planIntRow(o: JavaDataOutput, device: string, time: bigint, value: number): void {
    o.short(14).long(time).string(device).int(1).byte(0).string('s').byte(T.INT32).int(value).byte(0).byte(0);
    o.string('0').int(0);
  }

  /** A plan-form InsertTabletNode of one INT32 row. */
  function planIntTablet(o: JavaDataOutput, device: string, time: bigint, value: number): void {
    o.short(13).string(device).int(1).byte(0).string('s').byte(T.INT32).int(1).long(time).byte(0).int(value).byte(0);
    o.string('0').int(0);
  }

  it('applies row inserts before tablet inserts, as IoTDB 1.3 does: binaries, insert nodes, then raw tablets', () => {
    const req = request(PipeRequestType.TRANSFER_TABLET_BATCH, (o) => {
      o.int(2); // ReadWriteIOUtils.write(binaryBuffers.size())
      o.item((w) => {
        // binaryBuffer: a WAL entry of an InsertTabletNode
        w.byte(WAL.INSERT_TABLET_NODE).long(1n).short(13).long(1n).string('root.b.tablet').int(1);
        w.string('s').byte(T.INT32).byte(0).byte(0).int(0);
        w.int(1).long(1n).byte(0).int(10).byte(0);
      });
      o.item((w) => {
        // binaryBuffer: a WAL entry of an InsertRowNode
        w.byte(WAL.INSERT_ROW_NODE).long(1n).short(14).long(1n).long(2n).string('root.b.row').int(1);
        w.string('s').byte(T.INT32).byte(0).byte(0).int(0);
        w.byte(T.INT32).int(20).byte(0);
      });
      o.int(2); // ReadWriteIOUtils.write(insertNodeBuffers.size()); each written as is, no length
      planIntTablet(o, 'root.n.tablet', 3n, 30);
      planIntRow(o, 'root.n.row', 4n, 40);
      o.int(1); // ReadWriteIOUtils.write(tabletBuffers.size())
      rawTablet(o, 'root.raw');
    });
    const decoded = decodePipeTransferReq(req);
    expect(decoded).toEqual({
      kind: 'tablet-batch',
      tablets: [
        oneInt('root.b.row', 2n, 20),
        oneInt('root.n.row', 4n, 40),
        oneInt('root.b.tablet', 1n, 10),
        oneInt('root.n.tablet', 3n, 30),
        oneInt('root.raw', 7n, 70),
      ],
    });
  });

  it('reads a batch of every kind of node in both forms', () => {
    const req = request(6, (o) => {
      o.int(1).item((w) => walTabletEntry(w, 'root.b.t', false));
      o.int(2);
      planTabletNode(o, 'root.n.t', true);
      o.short(15).int(1);
      planRow(o, 'root.n.r', 8n, false);
      o.int(0).string('0').int(0);
      o.int(0);
    });
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'tablet-batch',
      tablets: [
        allTypesRow('root.n.r', 8n, false),
        allTypesTablet('root.b.t', false),
        allTypesTablet('root.n.t', true),
      ],
    });
  });
});
