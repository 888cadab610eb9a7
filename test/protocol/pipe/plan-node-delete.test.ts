import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../../protocol/payload-error.js';
import {
  decodePipeTransferReq,
  encodeDeleteData,
  PipeRequestType,
  PipeTypeError,
} from '../../../protocol/pipe/pipe-requests.js';
import { hex } from '../hex.js';
import { JavaDataOutput } from './java-data-output.js';

// A DeleteDataNode as IoTDB 1.3 data-region pipes send it: PipeTransferPlanNodeReq
// (TRANSFER_SCHEMA_PLAN, 100) whose body is PlanNode.serialize of the node. Each comment
// names the Java call that writes the field.

/** PartialPath.serialize of `new PartialPath(fullPath)`: the full path set, no measurement or device. */
function partialPath(o: JavaDataOutput, fullPath: string, nodes: string[]): void {
  o.byte(2) // PathType.Partial.serialize
    .byte(0) // Path.serializeWithoutType: measurement == null
    .byte(0) // Path.serializeWithoutType: device == null
    .byte(1) // Path.serializeWithoutType: fullPath != null
    .string(fullPath) // ReadWriteIOUtils.write(fullPath)
    .int(nodes.length); // PartialPath.serializeWithoutType: nodes.length
  for (const node of nodes) o.string(node); // ReadWriteIOUtils.write(node)
}

function body(build: (o: JavaDataOutput) => void): Buffer {
  const o = new JavaDataOutput();
  build(o);
  return o.toBuffer();
}

describe('DeleteDataNode in TRANSFER_SCHEMA_PLAN (100)', () => {
  it('encodes the node as PlanNode.serialize writes it', () => {
    const req = encodeDeleteData(['root.sg.`a.b`.s1', 'root.sg.**'], -10n, 2n ** 62n);
    expect(req.version).toBe(1);
    expect(req.type).toBe(PipeRequestType.TRANSFER_SCHEMA_PLAN);
    const expected = body((o) => {
      o.short(44) // PlanNodeType.DELETE_DATA.serialize
        .int(2); // ReadWriteIOUtils.write(pathList.size())
      partialPath(o, 'root.sg.`a.b`.s1', ['root', 'sg', '`a.b`', 's1']); // path.serialize
      partialPath(o, 'root.sg.**', ['root', 'sg', '**']);
      o.long(-10n) // ReadWriteIOUtils.write(deleteStartTime)
        .long(2n ** 62n) // ReadWriteIOUtils.write(deleteEndTime)
        .string('0') // PlanNode.serialize: id.serialize, the first PlanNodeId of a query
        .int(0); // PlanNode.serialize: children count
    });
    expect(req.body.toString('hex')).toBe(expected.toString('hex'));
  });

  it('keeps a doubled backquote inside a backquoted node', () => {
    const req = encodeDeleteData(['root.`x``.y`.s'], 0n, 1n);
    const expected = body((o) => {
      o.short(44).int(1);
      partialPath(o, 'root.`x``.y`.s', ['root', '`x``.y`', 's']);
      o.long(0n).long(1n).string('0').int(0);
    });
    expect(req.body.toString('hex')).toBe(expected.toString('hex'));
  });

  it('refuses to encode a path with an empty node or an open backquote', () => {
    expect(() => encodeDeleteData(['root..s'], 0n, 1n)).toThrow(RangeError);
    expect(() => encodeDeleteData(['root.`s'], 0n, 1n)).toThrow('unclosed backquote');
  });

  it('decodes hand-built bytes: a full path, a path known by its nodes only, a MeasurementPath', () => {
    const req = {
      version: 1,
      type: 100,
      body: body((o) => {
        o.short(44) // PlanNodeType.DELETE_DATA.serialize
          .int(3); // pathList.size()
        partialPath(o, 'root.sg.d.s', ['root', 'sg', 'd', 's']);
        // A PartialPath built from nodes whose device was looked up (PartialPath.getDevice caches it).
        o.byte(2) // PathType.Partial
          .byte(0) // measurement == null
          .byte(1) // device != null
          .string('root.sg.`d.1`') // device
          .byte(0) // fullPath == null
          .int(4) // nodes.length
          .string('root')
          .string('sg')
          .string('`d.1`')
          .string('*');
        // A MeasurementPath: the PartialPath fields, then schema, tags, aligned flag, alias.
        o.byte(0) // PathType.Measurement.serialize
          .byte(1) // measurement != null
          .string('s')
          .byte(1) // device != null
          .string('root.sg.e')
          .byte(1) // fullPath != null
          .string('root.sg.e.s')
          .int(4)
          .string('root')
          .string('sg')
          .string('e')
          .string('s')
          .byte(1) // measurementSchema != null
          .byte(0) // a MeasurementSchema (not a vector one)
          .string('s') // MeasurementSchema.serializeTo
          .byte(1)
          .byte(0)
          .byte(0)
          .int(0)
          .byte(1) // tagMap != null
          .int(1) // ReadWriteIOUtils.write(tagMap): size, then entries
          .string('unit')
          .string('m')
          .bool(true) // ReadWriteIOUtils.write(isUnderAlignedEntity)
          .string(null); // ReadWriteIOUtils.write(measurementAlias), null
        o.long(5n) // deleteStartTime
          .long(9n) // deleteEndTime
          .string('7') // PlanNodeId
          .int(0); // children
      }),
    };
    expect(decodePipeTransferReq(req)).toEqual({
      kind: 'delete-data',
      paths: ['root.sg.d.s', 'root.sg.`d.1`.*', 'root.sg.e.s'],
      start: 5n,
      end: 9n,
    });
  });

  it('decodes what it encodes', () => {
    const paths = ['root.**', 'root.sg.`select`.`a``b`', 'root.ü.s'];
    expect(decodePipeTransferReq(encodeDeleteData(paths, -(2n ** 63n), 2n ** 63n - 1n))).toEqual({
      kind: 'delete-data',
      paths,
      start: -(2n ** 63n),
      end: 2n ** 63n - 1n,
    });
  });

  it('answers a plan node it does not read with PIPE_TYPE_ERROR naming the node', () => {
    const create = { version: 1, type: 100, body: body((o) => o.short(53).int(0)) };
    let error: unknown;
    try {
      decodePipeTransferReq(create);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PipeTypeError);
    expect((error as PipeTypeError).statusCode).toBe(1801);
    expect((error as Error).message).toBe(
      'pipe request TRANSFER_SCHEMA_PLAN (100): plan node ACTIVATE_TEMPLATE (53) is not supported; this receiver applies only DELETE_DATA (44), CREATE_TIME_SERIES (19), CREATE_ALIGNED_TIME_SERIES (22), DELETE_TIME_SERIES (45)',
    );
    expect(() => decodePipeTransferReq({ version: 1, type: 100, body: body((o) => o.short(999)) })).toThrow(
      'plan node plan node type 999 is not supported',
    );
  });

  it('refuses malformed nodes with ILLEGAL_PARAMETER', () => {
    const good = encodeDeleteData(['root.sg.d.s'], 0n, 1n).body;
    const cases: [string, Buffer, string][] = [
      ['negative path count', body((o) => o.short(44).int(-1)), 'delete data node: paths: count -1'],
      ['lying path count', body((o) => o.short(44).int(1000)), 'delete data node: paths: count 1000'],
      [
        'an AlignedPath',
        body((o) => o.short(44).int(1).byte(1).raw(new Uint8Array(24))),
        'path kind 1 is not read; expected a PartialPath (2) or a MeasurementPath (0)',
      ],
      [
        'a child node',
        Buffer.concat([good.subarray(0, good.length - 4), body((o) => o.int(1))]),
        'delete data node: 1 child nodes, but this node has none',
      ],
      ['bytes after the node', Buffer.concat([good, Buffer.of(0)]), '1 bytes after the body'],
      ['no body', Buffer.alloc(0), 'plan node type: needs 2 bytes'],
    ];
    for (const [, bad, message] of cases) {
      let error: unknown;
      try {
        decodePipeTransferReq({ version: 1, type: 100, body: bad });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PayloadError);
      expect(error).not.toBeInstanceOf(PipeTypeError);
      expect((error as PayloadError).statusCode).toBe(303);
      expect((error as Error).message).toContain(message);
    }
  });

  it('refuses every truncation of a valid node with a PayloadError', () => {
    const full = encodeDeleteData(['root.sg.`a.b`.s1', 'root.sg.**'], 0n, 1n).body;
    for (let n = 0; n < full.length; n++) {
      expect(() => decodePipeTransferReq({ version: 1, type: 100, body: full.subarray(0, n) })).toThrow(PayloadError);
    }
  });
});

describe('FORMAT.md "Plan nodes" example', () => {
  it('is what encodeDeleteData writes for it', () => {
    expect(encodeDeleteData(['root.sg.d.s'], 0n, 9n).body.toString('hex')).toBe(
      hex(`
        002c 00000001
        02 00 00 01 0000000b 726f6f742e73672e642e73 00000004
          00000004 726f6f74  00000002 7367  00000001 64  00000001 73
        0000000000000000 0000000000000009
        00000001 30 00000000
      `).toString('hex'),
    );
  });
});
