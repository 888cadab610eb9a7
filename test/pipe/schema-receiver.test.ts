import { describe, expect, it } from 'vitest';
import type { ConfigPlan } from '../../protocol/pipe/config-plan/config-plan.js';
import { encodeConfigPlan, encodeSchemaPlan } from '../../protocol/pipe/pipe-requests.js';
import type { SchemaPlan } from '../../protocol/pipe/plan-node/schema-plan.js';
import { Compression } from '../../tsfile/compression-type.js';
import { DataType } from '../../tsfile/data-type.js';
import { Encoding } from '../../tsfile/encoding-type.js';
import type { TestNode } from '../server/node-harness.js';
import { queryNode, receiverNodes } from './receiver-kit.js';

const receivers = receiverNodes();

/** A node that creates no schema by itself, and a sender connection that shook hands with it. */
async function receiver(): Promise<{
  node: TestNode;
  send: (plan: PlanRequest) => Promise<{ code: number; message?: string }>;
}> {
  const { node, client } = await receivers.open({ enable_auto_create_schema: 'false' });
  const send = async (plan: PlanRequest) => {
    const req = 'name' in plan ? encodeConfigPlan(plan) : encodeSchemaPlan(plan);
    const { status } = await client.rpc.pipeTransfer(req);
    return { code: status.code, ...(status.message ? { message: status.message } : {}) };
  };
  return { node, send };
}

type PlanRequest = SchemaPlan | ConfigPlan;

const speed: SchemaPlan = {
  kind: 'create-timeseries',
  device: 'root.db.d',
  series: {
    measurement: 'speed',
    dataType: DataType.DOUBLE,
    encoding: Encoding.GORILLA,
    compression: Compression.ZSTD,
    alias: 'v',
    tags: { unit: 'kmh' },
    attributes: { owner: 'ops' },
  },
};

describe('the receiver applies schema plans (100) and config plans (200)', () => {
  it('creates databases and series as sent, idempotently; a type conflict is refused naming both types', async () => {
    const { node, send } = await receiver();
    expect(await send({ kind: 'create-database', name: 'root.db' })).toEqual({ code: 200 });
    expect(await send({ kind: 'create-database', name: 'root.db' })).toEqual({ code: 200 });
    expect(await send(speed)).toEqual({ code: 200 });
    expect(await send(speed)).toEqual({ code: 200 });
    const aligned: SchemaPlan = {
      kind: 'create-aligned-timeseries',
      device: 'root.db.al',
      series: [
        {
          measurement: 'x',
          dataType: DataType.INT32,
          encoding: Encoding.TS_2DIFF,
          compression: Compression.SNAPPY,
          alias: null,
          tags: {},
          attributes: {},
        },
        {
          measurement: '`y.z`',
          dataType: DataType.TEXT,
          encoding: Encoding.DICTIONARY,
          compression: Compression.GZIP,
          alias: null,
          tags: {},
          attributes: {},
        },
      ],
    };
    expect(await send(aligned)).toEqual({ code: 200 });
    expect(await send(aligned)).toEqual({ code: 200 });
    const shown = await queryNode(node, 'show timeseries root.db.**');
    // Timeseries, Alias, Database, DataType, Encoding, Compression, Tags, Attributes
    expect(shown.map((r) => r.slice(1, 9))).toEqual([
      ['root.db.al.x', 'null', 'root.db', 'INT32', 'TS_2DIFF', 'SNAPPY', 'null', 'null'],
      ['root.db.al.`y.z`', 'null', 'root.db', 'TEXT', 'DICTIONARY', 'GZIP', 'null', 'null'],
      ['root.db.d.speed', 'v', 'root.db', 'DOUBLE', 'GORILLA', 'ZSTD', '{"unit":"kmh"}', '{"owner":"ops"}'],
    ]);
    expect(await queryNode(node, 'show devices root.db.**')).toEqual([
      expect.arrayContaining(['root.db.al', 'true']),
      expect.arrayContaining(['root.db.d', 'false']),
    ]);

    const conflict = await send({ ...speed, series: { ...speed.series, dataType: DataType.INT64 } } as SchemaPlan);
    expect(conflict.code).toBe(1810);
    expect(conflict.message).toBe("Timeseries [root.db.d.speed] already exists here as DOUBLE; the sender's is INT64");
  });

  it('drops series and databases, and takes a drop of what is gone as done', async () => {
    const { node, send } = await receiver();
    await send({ kind: 'create-database', name: 'root.db' });
    await send({ kind: 'create-database', name: 'root.other' });
    await send(speed);
    expect(await send({ kind: 'delete-timeseries', patterns: ['root.db.d.speed'] })).toEqual({ code: 200 });
    expect(await send({ kind: 'delete-timeseries', patterns: ['root.db.d.speed'] })).toEqual({ code: 200 });
    expect(await queryNode(node, 'show timeseries root.db.**')).toEqual([]);
    expect(await send({ kind: 'delete-database', name: 'root.other' })).toEqual({ code: 200 });
    expect(await send({ kind: 'delete-database', name: 'root.other' })).toEqual({ code: 200 });
    expect((await queryNode(node, 'show databases')).map((r) => r[1])).toEqual(['root.db']);
    // Without its database (and with automatic creation off) a series is refused.
    const orphan = await send({ ...speed, device: 'root.none.d' } as SchemaPlan);
    expect(orphan).toEqual({ code: 500, message: 'Database is not set for current seriesPath: [root.none.d]' });
  });
});
