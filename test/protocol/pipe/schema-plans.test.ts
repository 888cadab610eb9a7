import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../../protocol/payload-error.js';
import type { ConfigPlan } from '../../../protocol/pipe/config-plan/config-plan.js';
import {
  decodePipeTransferReq,
  encodeConfigPlan,
  encodeSchemaPlan,
  PipeRequestType,
  PipeTypeError,
} from '../../../protocol/pipe/pipe-requests.js';
import type { SchemaPlan } from '../../../protocol/pipe/plan-node/schema-plan.js';
import { Compression } from '../../../tsfile/compression-type.js';
import { DataType } from '../../../tsfile/data-type.js';
import { Encoding } from '../../../tsfile/encoding-type.js';
import { hex } from '../hex.js';
import { JavaDataOutput } from './java-data-output.js';

// Schema-region plan nodes (TRANSFER_SCHEMA_PLAN, 100) and config-node plans
// (TRANSFER_CONFIG_PLAN, 200) as IoTDB 1.3's pipes send them. Each expected body is built
// field by field from IoTDB's serialize methods; each comment names the Java that writes it.

function body(build: (o: JavaDataOutput) => void): Buffer {
  const o = new JavaDataOutput();
  build(o);
  return o.toBuffer();
}

/** PlanNode.serialize after serializeAttributes: the PlanNodeId "0" and no children. */
function trailer(o: JavaDataOutput): void {
  o.string('0').int(0);
}

function roundTrip(req: { version: number; type: number; body: Buffer }) {
  return decodePipeTransferReq({ version: req.version, type: req.type, body: req.body });
}

const createSeries: SchemaPlan = {
  kind: 'create-timeseries',
  device: 'root.sg.d',
  series: {
    measurement: 's',
    dataType: DataType.INT64,
    encoding: Encoding.GORILLA,
    compression: Compression.LZ4,
    alias: 'speed',
    tags: { unit: 'km' },
    attributes: {},
  },
};

describe('CreateTimeSeriesNode (19)', () => {
  it('is written as CreateTimeSeriesNode.serializeAttributes writes it, and read back', () => {
    const req = encodeSchemaPlan(createSeries);
    expect(req.type).toBe(PipeRequestType.TRANSFER_SCHEMA_PLAN);
    const expected = body((o) => {
      o.short(19) // PlanNodeType.CREATE_TIME_SERIES.serialize
        .string('root.sg.d.s') // putInt(bytes.length); put(path.getFullPath().getBytes())
        .byte(2) // dataType.ordinal(): INT64
        .byte(8) // encoding.ordinal(): GORILLA
        .byte(7) // compressor.serialize(): LZ4
        .byte(1) // alias != null
        .string('speed') // ReadWriteIOUtils.write(alias)
        .byte(0) // props.isEmpty()
        .byte(1) // tags present
        .int(1) // ReadWriteIOUtils.write(map): size
        .string('unit')
        .string('km')
        .byte(0); // attributes.isEmpty()
      trailer(o);
    });
    expect(req.body.toString('hex')).toBe(expected.toString('hex'));
    expect(roundTrip(req)).toEqual({ kind: 'schema-plan', plan: createSeries });
  });

  it('reads what an IoTDB sender writes: no alias, null props (-1), attributes, a backquoted measurement', () => {
    const sent = body((o) => {
      o.short(19)
        .string('root.sg.d.`a.b`')
        .byte(1) // INT32
        .byte(2) // RLE
        .byte(1) // SNAPPY
        .byte(0) // no alias
        .byte(-1) // props == null
        .byte(-1) // tags == null
        .byte(1)
        .int(2)
        .string('owner')
        .string('ops')
        .string('note')
        .string(null); // a null value reads as ''
      trailer(o);
    });
    const req = decodePipeTransferReq({ version: 1, type: 100, body: sent });
    expect(req).toEqual({
      kind: 'schema-plan',
      plan: {
        kind: 'create-timeseries',
        device: 'root.sg.d',
        series: {
          measurement: '`a.b`',
          dataType: DataType.INT32,
          encoding: Encoding.RLE,
          compression: Compression.SNAPPY,
          alias: null,
          tags: {},
          attributes: { owner: 'ops', note: '' },
        },
      },
    });
  });

  it('refuses an unknown encoding or compressor, a bad label, and a path with no device', () => {
    const node = (encoding: number, compressor: number, label: number, path = 'root.sg.d.s') =>
      body((o) => {
        o.short(19).string(path).byte(2).byte(encoding).byte(compressor).byte(0).byte(label).byte(0).byte(0);
        trailer(o);
      });
    const decode = (b: Buffer) => () => decodePipeTransferReq({ version: 1, type: 100, body: b });
    expect(decode(node(77, 0, 0))).toThrow(/unknown encoding code 77/);
    expect(decode(node(0, 3, 0))).toThrow(/unknown compressor code 3/);
    expect(decode(node(0, 0, 5))).toThrow(/label 5 at offset/);
    expect(decode(node(0, 0, 0, 'root.s'))).toThrow(PayloadError);
  });
});

describe('CreateAlignedTimeSeriesNode (22)', () => {
  const aligned: SchemaPlan = {
    kind: 'create-aligned-timeseries',
    device: 'root.sg.al',
    series: [
      {
        measurement: 'x',
        dataType: DataType.INT32,
        encoding: Encoding.RLE,
        compression: Compression.SNAPPY,
        alias: null,
        tags: {},
        attributes: {},
      },
      {
        measurement: 'y',
        dataType: DataType.DOUBLE,
        encoding: Encoding.GORILLA,
        compression: Compression.ZSTD,
        alias: null,
        tags: { t: '1' },
        attributes: {},
      },
    ],
  };

  it('lists each column of the device; lists with nothing in them are Java nulls (-1)', () => {
    const req = encodeSchemaPlan(aligned);
    const expected = body((o) => {
      o.short(22) // PlanNodeType.CREATE_ALIGNED_TIME_SERIES.serialize
        .string('root.sg.al') // devicePath.getFullPath().getBytes()
        .int(2) // measurements.size()
        .string('x')
        .string('y')
        .byte(1) // dataTypes: INT32
        .byte(4) // DOUBLE
        .byte(2) // encodings: RLE
        .byte(8) // GORILLA
        .byte(1) // compressors: SNAPPY
        .byte(8) // ZSTD
        .byte(-1) // aliasList == null
        .byte(1) // tagsList present
        .int(0) // x: empty map
        .int(1) // y: one tag
        .string('t')
        .string('1')
        .byte(-1); // attributesList == null
      trailer(o);
    });
    expect(req.body.toString('hex')).toBe(expected.toString('hex'));
    expect(roundTrip(req)).toEqual({ kind: 'schema-plan', plan: aligned });
  });

  it('reads an alias list with a null among its aliases', () => {
    const sent = body((o) => {
      o.short(22).string('root.sg.al').int(2).string('x').string('y');
      o.byte(1).byte(1).byte(0).byte(0).byte(0).byte(0);
      o.byte(1).string('ex').string(null); // aliasList with a null alias
      o.byte(0).byte(0); // empty tag and attribute lists
      trailer(o);
    });
    const req = decodePipeTransferReq({ version: 1, type: 100, body: sent });
    expect(req.kind === 'schema-plan' && req.plan.kind === 'create-aligned-timeseries' && req.plan.series).toEqual([
      expect.objectContaining({ measurement: 'x', alias: 'ex', tags: {}, attributes: {} }),
      expect.objectContaining({ measurement: 'y', alias: null, tags: {}, attributes: {} }),
    ]);
  });
});

describe('DeleteTimeSeriesNode (45)', () => {
  it('writes the paths as a PathPatternTree from root, children in Java HashMap order, path ends marked -1', () => {
    // "b" hashes to bucket 2 and "a" to bucket 1 of a 16-bucket HashMap: a comes first.
    const req = encodeSchemaPlan({ kind: 'delete-timeseries', patterns: ['root.sg.d.b', 'root.sg.d.a'] });
    const node = (o: JavaDataOutput, name: string, mark: number, children: number) =>
      o.string(name).int(mark).int(children); // PathPatternNode.serialize: name, -1 / -2, children.size()
    const expected = body((o) => {
      o.short(45); // PlanNodeType.DELETE_TIME_SERIES.serialize
      node(o, 'root', -2, 1);
      node(o, 'sg', -2, 1);
      node(o, 'd', -2, 2);
      node(o, 'a', -1, 0);
      node(o, 'b', -1, 0);
      trailer(o);
    });
    expect(req.body.toString('hex')).toBe(expected.toString('hex'));
    expect(roundTrip(req)).toEqual({
      kind: 'schema-plan',
      plan: { kind: 'delete-timeseries', patterns: ['root.sg.d.a', 'root.sg.d.b'] },
    });
  });

  it('reads a pattern that ends above a leaf (mark -1 on an inner node) and wildcards', () => {
    const sent = body((o) => {
      o.short(45);
      o.string('root').int(-2).int(1);
      o.string('sg').int(-1).int(1); // root.sg itself is a path, and root.sg.**
      o.string('**').int(-1).int(0);
      trailer(o);
    });
    expect(decodePipeTransferReq({ version: 1, type: 100, body: sent })).toEqual({
      kind: 'schema-plan',
      plan: { kind: 'delete-timeseries', patterns: ['root.sg', 'root.sg.**'] },
    });
  });

  it('refuses a tree that does not start at root, or a bad mark', () => {
    const tree = (root: string, mark: number) =>
      body((o) => {
        o.short(45).string(root).int(mark).int(0);
        trailer(o);
      });
    expect(() => decodePipeTransferReq({ version: 1, type: 100, body: tree('top', -2) })).toThrow(/starts at 'top'/);
    expect(() => decodePipeTransferReq({ version: 1, type: 100, body: tree('root', 3) })).toThrow(/mark 3/);
  });
});

describe('Config plans in TRANSFER_CONFIG_PLAN (200)', () => {
  it('writes a database as DatabaseSchemaPlan (CreateDatabase 200, a Thrift TDatabaseSchema)', () => {
    const plan: ConfigPlan = { kind: 'create-database', name: 'root.sg' };
    const req = encodeConfigPlan(plan);
    expect(req.type).toBe(PipeRequestType.TRANSFER_CONFIG_PLAN);
    const expected = body((o) => {
      o.short(200) // stream.writeShort(getType().getPlanType())
        .byte(11) // TBinaryProtocol.writeFieldBegin: TType.STRING
        .short(1) // field id 1: name
        .string('root.sg') // writeString: i32 length, UTF-8
        .byte(0); // writeFieldStop
    });
    expect(req.body.toString('hex')).toBe(expected.toString('hex'));
    expect(roundTrip(req)).toEqual({ kind: 'config-plan', plan });
  });

  it('reads a TDatabaseSchema with TTL and replication factors past them', () => {
    const sent = body((o) => {
      o.short(200);
      o.byte(11).short(1).string('root.ln');
      o.byte(10).short(2).long(86_400_000n); // i64 TTL
      o.byte(8).short(3).int(1); // i32 schemaReplicationFactor
      o.byte(8).short(4).int(1); // i32 dataReplicationFactor
      o.byte(0);
    });
    expect(decodePipeTransferReq({ version: 1, type: 200, body: sent })).toEqual({
      kind: 'config-plan',
      plan: { kind: 'create-database', name: 'root.ln' },
    });
    const nameless = body((o) => o.short(200).byte(10).short(2).long(1n).byte(0));
    expect(() => decodePipeTransferReq({ version: 1, type: 200, body: nameless })).toThrow(/required name/);
  });

  it('writes DeleteDatabasePlan (206) as its name', () => {
    const plan: ConfigPlan = { kind: 'delete-database', name: 'root.sg' };
    const req = encodeConfigPlan(plan);
    expect(req.body.toString('hex')).toBe(body((o) => o.short(206).string('root.sg')).toString('hex'));
    expect(roundTrip(req)).toEqual({ kind: 'config-plan', plan });
  });

  it('refuses plans it does not read with 1801, naming them', () => {
    const ttl = body((o) => o.short(201).string('root.sg').long(1000n));
    expect(() => decodePipeTransferReq({ version: 1, type: 200, body: ttl })).toThrow(PipeTypeError);
    expect(() => decodePipeTransferReq({ version: 1, type: 200, body: ttl })).toThrow(/SET_TTL \(201\)/);
    const template = body((o) => o.short(53));
    expect(() => decodePipeTransferReq({ version: 1, type: 100, body: template })).toThrow(/ACTIVATE_TEMPLATE \(53\)/);
  });
});

describe('FORMAT.md "Schema plans" and "Config plans" examples', () => {
  it('are what the encoders write for them', () => {
    expect(encodeSchemaPlan(createSeries).body.toString('hex')).toBe(
      hex(`
        0013 0000000b 726f6f742e73672e642e73  02 08 07  01 00000005 7370656564
        00  01 00000001 00000004 756e6974 00000002 6b6d  00  00000001 30 00000000
      `).toString('hex'),
    );
    expect(encodeConfigPlan({ kind: 'create-database', name: 'root.sg' }).body.toString('hex')).toBe(
      hex('00c8 0b 0001 00000007 726f6f742e7367 00').toString('hex'),
    );
  });
});
