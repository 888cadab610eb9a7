import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FramedWriter, joinFramed, writeFramed } from '../../protocol/framed-writer.js';
import { encodeTsFilePiece } from '../../protocol/pipe/pipe-requests.js';
import { ClientRpcService, TBinaryProtocol, TCompactProtocol, TFramedTransport } from '../../protocol/rpc-types.js';

type Transport = InstanceType<typeof TFramedTransport>;

/** The framed bytes a generated client writes for one pipeTransfer call through `transport`. */
function callThrough(transport: Transport, Protocol: typeof TBinaryProtocol, body: Buffer): void {
  const client = new ClientRpcService.Client(transport, Protocol);
  client.pipeTransfer(encodeTsFilePiece('a.tsfile', 3, body)).catch(() => {});
}

describe('FramedWriter', () => {
  for (const [name, Protocol] of [
    ['binary', TBinaryProtocol],
    ['compact', TCompactProtocol],
  ] as const) {
    it(`writes the same frame as the thrift package's framed transport (${name} protocol)`, () => {
      const body = Buffer.alloc(100_000, 5);
      let expected: Buffer | undefined;
      callThrough(new TFramedTransport(undefined, (framed?: Buffer) => (expected = framed)), Protocol, body);
      let parts: readonly Buffer[] = [];
      callThrough(new FramedWriter((message) => (parts = message)) as unknown as Transport, Protocol, body);
      expect(joinFramed(parts).equals(expected!)).toBe(true);
      expect(parts[0]!.readInt32BE(0)).toBe(expected!.length - 4);
    });
  }

  it('gathers small writes and passes large ones by reference', () => {
    let parts: readonly Buffer[] = [];
    const writer = new FramedWriter((message) => (parts = message));
    const large = Buffer.alloc(1 << 20, 1);
    writer.write(Buffer.from([1, 2]));
    writer.write('ab');
    writer.write(large);
    writer.write(Buffer.from([3]));
    writer.flush();
    expect(parts.map((p) => p.length)).toEqual([4, 4, 1 << 20, 1]);
    expect(parts[2]).toBe(large);
    expect(parts[0]!.readInt32BE(0)).toBe(4 + (1 << 20) + 1);
    expect([...parts[1]!]).toEqual([1, 2, 0x61, 0x62]);
  });

  it('hands a message to a stream in order', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    writeFramed(out, [Buffer.from([0, 0, 0, 2]), Buffer.from('hi')]);
    out.end();
    await new Promise((resolve) => out.on('end', resolve));
    expect(Buffer.concat(chunks).toString('latin1')).toBe('\u0000\u0000\u0000\u0002hi');
  });
});
