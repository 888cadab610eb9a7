import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import {
  decodeFilePieceResp,
  encodeDeleteData,
  encodeHandshakeV2,
  encodeTabletBatch,
  encodeTsFilePiece,
  encodeTsFilePieceWithMod,
  encodeTsFileSealWithMod,
} from '../../protocol/pipe/pipe-requests.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { type HandshakenReceiver, queryNode, receiverNodes } from './receiver-kit.js';

const receivers = receiverNodes();

function receiver(): Promise<HandshakenReceiver> {
  return receivers.open();
}

function tablet(time: number, value: number): Tablet {
  return {
    device: 'root.db.d',
    measurements: ['s'],
    dataTypes: [DataType.INT64],
    times: BigInt64Array.of(BigInt(time)),
    columns: [BigInt64Array.of(BigInt(value))],
    nulls: [null],
    rowCount: 1,
    aligned: false,
  };
}

describe('the pipe receiver', () => {
  it('applies the tablets of a batch in the order sent, and a deletion', async () => {
    const { node, client } = await receiver();
    const batch = encodeTabletBatch([tablet(1, 10), tablet(2, 20), tablet(1, 11), tablet(3, 30)]);
    expect((await client.rpc.pipeTransfer(batch)).status.code).toBe(200);
    expect(await queryNode(node, 'select s from root.db.d')).toEqual([
      ['1', '11'],
      ['2', '20'],
      ['3', '30'],
    ]);
    const deletion = encodeDeleteData(['root.db.d.s'], 2n, 2n);
    expect((await client.rpc.pipeTransfer(deletion)).status.code).toBe(200);
    expect(await queryNode(node, 'select s from root.db.d')).toEqual([
      ['1', '11'],
      ['3', '30'],
    ]);
  });

  it("loads a file sealed with IoTDB's mods, deleting only inside that file", async () => {
    const { node: sender } = await receiver();
    const { node, client } = await receiver();
    const a = await Session.open({ port: sender.port });
    await a.executeStatement('insert into root.db.d(time, s) values (1, 1), (2, 2), (3, 3), (4, 4)');
    await a.executeStatement('flush');
    await a.close();
    const file = sender.node.engine.sealedFiles()[0]!.path;
    // Data B already holds in the deleted range stays: the mods only apply to the file.
    const b = await Session.open({ port: node.port });
    await b.executeStatement('insert into root.db.e(time, s) values (2, 200)');
    await b.close();
    const mods = Buffer.from('DELETION,root.db.d.s,9223372036854775807,2,3\n');
    const name = basename(file);
    expect((await client.rpc.pipeTransfer(encodeTsFilePieceWithMod(`${name}.mods`, 0, mods))).status.code).toBe(200);
    expect((await client.rpc.pipeTransfer(encodeTsFilePieceWithMod(name, 0, readFileSync(file)))).status.code).toBe(
      200,
    );
    const seal = encodeTsFileSealWithMod([
      { fileName: `${name}.mods`, fileLength: mods.length },
      { fileName: name, fileLength: statSync(file).size },
    ]);
    expect((await client.rpc.pipeTransfer(seal)).status.code).toBe(200);
    expect(await queryNode(node, 'select s from root.db.d')).toEqual([
      ['1', '1'],
      ['4', '4'],
    ]);
    expect(await queryNode(node, 'select s from root.db.e')).toEqual([['2', '200']]);
  });

  it('takes the same piece from two connections at once as one write and one offset reset', async () => {
    const { node, client } = await receiver();
    const second = await node.connect();
    receivers.track(second);
    const hello = await second.rpc.pipeTransfer(encodeHandshakeV2(new Map([['timestampPrecision', 'ms']])));
    expect(hello.status.code).toBe(200);
    const piece = encodeTsFilePiece('same.tsfile', 0, Buffer.alloc(4 << 20, 1));
    const answers = await Promise.all([client.rpc.pipeTransfer(piece), second.rpc.pipeTransfer(piece)]);
    const decoded = answers.map((a) => decodeFilePieceResp(a));
    expect(decoded.map((d) => d.status.code).sort((a, b) => a - b)).toEqual([200, 1803]);
    expect(decoded.map((d) => d.endWritingOffset)).toEqual([4n << 20n, 4n << 20n]);
  });

  it('refuses a seal whose mods file is not IoTDB mods, and a schema plan it does not apply', async () => {
    const { client } = await receiver();
    const junk = Buffer.from('UPDATE,root.db.d.s,1,2,3\n');
    await client.rpc.pipeTransfer(encodeTsFilePieceWithMod('f.mods', 0, junk));
    await client.rpc.pipeTransfer(encodeTsFilePieceWithMod('f.tsfile', 0, Buffer.from('x')));
    const seal = encodeTsFileSealWithMod([
      { fileName: 'f.mods', fileLength: junk.length },
      { fileName: 'f.tsfile', fileLength: 1 },
    ]);
    const refused = await client.rpc.pipeTransfer(seal);
    expect(refused.status.code).toBe(303);
    expect(refused.status.message).toContain('unknown modification type');
  });
});
