import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeHandshakeResp,
  encodeHandshakeResp,
  encodeHandshakeV2,
  encodeTabletRaw,
} from '../../protocol/pipe/pipe-requests.js';
import { DataType } from '../../tsfile/data-type.js';
import { startTestNode, type TestNode } from '../server/node-harness.js';

const nodes: TestNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

function hello(params: Record<string, string>) {
  return encodeHandshakeV2(new Map(Object.entries({ timestampPrecision: 'ms', ...params })));
}

describe('the receiver and the origin of data', () => {
  it('answers a handshake with a map naming its cluster id (golden bytes)', () => {
    const resp = encodeHandshakeResp({ code: 200, message: '' }, 'n1');
    // count 1, "clusterID" (int32 length 9), "n1" (int32 length 2)
    expect(resp.body!.toString('hex')).toBe(
      `00000001 00000009 ${Buffer.from('clusterID').toString('hex')} 00000002 6e31`.replace(/ /g, ''),
    );
    expect(decodeHandshakeResp(resp)).toBe('n1');
    expect(decodeHandshakeResp({ status: { code: 200, message: '' } })).toBeUndefined();
  });

  it('names itself, refuses its own cluster id or origin as IoTDB does, and keeps the origin of what it writes', async () => {
    const node = await startTestNode();
    nodes.push(node);
    const self = node.node.engine.nodeId;
    const client = await node.connect();
    try {
      const own = await client.rpc.pipeTransfer(hello({ clusterID: self }));
      expect(own.status).toMatchObject({
        code: 1802,
        message: `Receiver and sender are from the same cluster ${self}.`,
      });
      const back = await client.rpc.pipeTransfer(hello({ clusterID: 'node-b', originClusterID: self }));
      expect(back.status.code).toBe(1802);
      expect(back.status.message).toBe(`Receiver and sender are from the same cluster ${self} (the data's origin).`);

      const ok = await client.rpc.pipeTransfer(hello({ clusterID: 'node-b', originClusterID: 'node-c' }));
      expect(ok.status.code).toBe(200);
      expect(decodeHandshakeResp(ok)).toBe(self);
      const origins: string[] = [];
      node.node.engine.tap.subscribe((e) => {
        if (e.kind === 'insert') origins.push(e.origin);
      });
      const written = await client.rpc.pipeTransfer(
        encodeTabletRaw({
          device: 'root.db.d',
          measurements: ['s'],
          dataTypes: [DataType.INT64],
          times: BigInt64Array.of(1n),
          columns: [BigInt64Array.of(1n)],
          nulls: [null],
          rowCount: 1,
          aligned: false,
        }),
      );
      expect(written.status.code).toBe(200);
      expect(origins).toEqual(['node-c']);
    } finally {
      client.end();
    }
  });
});
