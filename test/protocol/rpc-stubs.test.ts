import type { AddressInfo } from 'node:net';
import net from 'node:net';
import thrift from 'thrift';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../protocol/frame-decoder.js';
import { joinFramed, writeFramed } from '../../protocol/framed-writer.js';
import type {
  ClientRpcClient,
  ClientRpcHandler,
  ProtocolClass,
  TSInsertTabletReq,
  TSOpenSessionReq,
  TSyncIdentityInfo,
} from '../../protocol/rpc-types.js';
import {
  ClientRpcService,
  i64ToBigInt,
  i64ToNumber,
  processRpcFrame,
  SERVED_METHODS,
  TBinaryProtocol,
  TCompactProtocol,
  TFramedTransport,
  Thrift,
  toI64,
  wrapRpcHandler,
} from '../../protocol/rpc-types.js';
import { decodeTablet, encodeTablet } from '../../protocol/tablet-codec.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { hex } from './hex.js';

const SESSION_ID = 2n ** 53n + 5n; // not representable as a double: i64s must stay exact

interface Seen {
  open?: TSOpenSessionReq;
  tablet?: Tablet;
  handshake?: TSyncIdentityInfo;
  deleted?: string[];
}

/** A partial IClientRPCService: enough methods to exercise every argument shape. */
function handlerFor(seen: Seen): ClientRpcHandler {
  const handler: Partial<ClientRpcHandler> = {
    openSession(req) {
      seen.open = req;
      return {
        status: { code: 200, message: 'ok' },
        serverProtocolVersion: 2,
        sessionId: toI64(SESSION_ID),
        configuration: { timestampPrecision: 'ms' },
      };
    },
    async insertTablet(req: TSInsertTabletReq) {
      seen.tablet = decodeTablet(req);
      return { code: 200 };
    },
    handshake(info) {
      seen.handshake = info;
      return { code: 200 };
    },
    requestStatementId(sessionId) {
      return toI64(i64ToBigInt(sessionId) - 1n);
    },
    getProperties() {
      return { version: '1.3.2', supportedTimeAggregationOperations: ['max_time'], timestampPrecision: 'ms' };
    },
    deleteTimeseries(_sessionId, path) {
      seen.deleted = path;
      return { code: 200 };
    },
    // A synchronous throw: without wrapRpcHandler it would end the connection unanswered.
    closeSession() {
      throw new Error('boom');
    },
    // Declared with a default parameter (length 0): wrapRpcHandler still calls it promise-style.
    setTimeZone(req = { sessionId: 0, timeZone: 'UTC' }) {
      return { code: 200, message: req.timeZone };
    },
  };
  return wrapRpcHandler(handler);
}

const TABLET: Tablet = {
  device: 'root.sg.d1',
  measurements: ['s1', 's2'],
  dataTypes: [DataType.INT64, DataType.TEXT],
  times: new BigInt64Array([1n, 2n]),
  columns: [new BigInt64Array([-1n, 9007199254740993n]), [new Uint8Array([104, 105]), new Uint8Array(0)]],
  nulls: [null, new Uint8Array([0, 1])],
  rowCount: 2,
  aligned: false,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

function connect(port: number, protocol: ProtocolClass): ClientRpcClient {
  const connection = thrift.createConnection('127.0.0.1', port, { transport: TFramedTransport, protocol });
  connection.on('error', () => {});
  closers.push(async () => connection.end());
  return thrift.createClient(ClientRpcService.Client, connection);
}

async function exercise(client: ClientRpcClient, seen: Seen): Promise<void> {
  const open = await client.openSession({
    client_protocol: 2,
    zoneId: 'UTC',
    username: 'root',
    password: 'root',
    configuration: { version: 'V_1_0' },
  });
  expect(open.status.code).toBe(200);
  expect(i64ToBigInt(open.sessionId!)).toBe(SESSION_ID);
  expect(open.configuration).toEqual({ timestampPrecision: 'ms' });
  expect(seen.open).toMatchObject({
    username: 'root',
    password: 'root',
    zoneId: 'UTC',
    configuration: { version: 'V_1_0' },
  });

  const status = await client.insertTablet({ sessionId: open.sessionId!, ...encodeTablet(TABLET) });
  expect(status.code).toBe(200);
  expect(seen.tablet!.columns).toEqual(TABLET.columns);
  expect(seen.tablet!.nulls).toEqual(TABLET.nulls);
  expect(seen.tablet!.times).toEqual(TABLET.times);

  await client.handshake({ pipeName: 'p', createTime: 12, version: '1.3', database: 'root.sg' });
  expect(seen.handshake).toMatchObject({ pipeName: 'p', version: '1.3', database: 'root.sg' });
  expect(i64ToNumber(seen.handshake!.createTime)).toBe(12);

  expect(i64ToBigInt(await client.requestStatementId(open.sessionId!))).toBe(SESSION_ID - 1n);
  expect((await client.getProperties()).version).toBe('1.3.2');
  await client.deleteTimeseries(7, ['root.sg.d1.s1', 'root.sg.d1.s2']);
  expect(seen.deleted).toEqual(['root.sg.d1.s1', 'root.sg.d1.s2']);

  expect((await client.setTimeZone({ sessionId: 1, timeZone: 'Asia/Shanghai' })).message).toBe('Asia/Shanghai');
  await expect(client.closeSession({ sessionId: 1 })).rejects.toMatchObject({ message: 'boom' });
  await expect(client.executeBatchStatement({ sessionId: 1, statements: [] })).rejects.toMatchObject({
    message: 'executeBatchStatement is not implemented by this server',
  });
}

describe('generated IClientRPCService stubs', () => {
  it('serve exactly the methods of our IDL', () => {
    expect(SERVED_METHODS).toHaveLength(50);
    expect(SERVED_METHODS).toContain('insertTablet');
    expect(SERVED_METHODS).toContain('pipeTransfer');
    expect(SERVED_METHODS).not.toContain('executeFastLastDataQueryForOneDeviceV2');
  });

  for (const [name, protocol] of [
    ['binary', TBinaryProtocol],
    ['compact', TCompactProtocol],
  ] as const) {
    it(`talk over framed transport with the ${name} protocol`, async () => {
      const seen: Seen = {};
      const server = thrift.createServer(ClientRpcService.Processor, handlerFor(seen), {
        transport: TFramedTransport,
        protocol,
      }) as net.Server;
      const port = await listen(server);
      await exercise(connect(port, protocol), seen);
    });
  }

  it('serve both protocols on one port through FrameDecoder and processRpcFrame', async () => {
    const seen: Seen = {};
    const processor = new ClientRpcService.Processor(handlerFor(seen));
    const kinds: string[] = [];
    const server = net.createServer((socket) => {
      const frames = new FrameDecoder(1 << 20);
      socket.on('data', (chunk) => {
        for (const frame of frames.push(chunk))
          kinds.push(processRpcFrame(processor, frame, (out) => writeFramed(socket, out)));
      });
    });
    const port = await listen(server);
    await exercise(connect(port, TBinaryProtocol), seen);
    await exercise(connect(port, TCompactProtocol), seen);
    expect(new Set(kinds)).toEqual(new Set(['binary', 'compact']));
  });

  // The npm library writes a TApplicationException's type from a field it never sets, so
  // the type travels as absent (UNKNOWN); clients see the message.
  it('answer an unknown method with a TApplicationException naming it', () => {
    const processor = new ClientRpcService.Processor(handlerFor({}));
    const name = Buffer.from('executeFastLastDataQueryForOneDeviceV2');
    const call = Buffer.concat([hex('80010001'), int32(name.length), name, hex('00000005 | 00')]);
    let reply: Buffer | undefined;
    processRpcFrame(processor, call, (out) => (reply = joinFramed(out)));
    const input = new TBinaryProtocol(new TFramedTransport(reply!.subarray(4)));
    const message = input.readMessageBegin();
    expect(message).toMatchObject({ fname: 'executeFastLastDataQueryForOneDeviceV2', mtype: 3, rseqid: 5 });
    const error = new Thrift.TApplicationException();
    error.read(input);
    expect(error.message).toBe('Unknown function executeFastLastDataQueryForOneDeviceV2');
  });

  // IoTDB declares handshake's argument without a field id, so its clients send id -1.
  const IDENTITY = { pipeName: 'p', createTime: 12, version: '1.3', database: 'root.sg' };
  it('send handshake with field id -1 (binary golden bytes)', () => {
    const message = capture(TBinaryProtocol, (client) => client.handshake(IDENTITY));
    expect(message.toString('hex')).toBe(
      hex(`
        80010001 00000009 68616e647368616b65 00000001   # CALL "handshake" seqid 1
        0c ffff                                         # field -1: struct
        0b 0001 00000001 70                             #   1: "p"
        0a 0002 000000000000000c                        #   2: 12
        0b 0003 00000003 312e33                         #   3: "1.3"
        0b 0004 00000007 726f6f742e7367                 #   4: "root.sg"
        00                                              #   stop
        00                                              # stop
      `).toString('hex'),
    );
  });

  it('send handshake with field id -1 (compact golden bytes)', () => {
    const message = capture(TCompactProtocol, (client) => client.handshake(IDENTITY));
    expect(message.toString('hex')).toBe(
      hex(`
        82 21 01 09 68616e647368616b65   # compact, CALL v1, seqid 1, "handshake"
        0c 01                            # struct, long form: zigzag(-1) = 1
        18 01 70                         #   +1 binary "p"
        16 18                            #   +1 i64 zigzag(12) = 24
        18 03 312e33                     #   +1 binary "1.3"
        18 07 726f6f742e7367             #   +1 binary "root.sg"
        00 00                            # stops
      `).toString('hex'),
    );
  });
});

/** The framed message a client call writes, without the 4-byte length. */
function capture(protocol: ProtocolClass, call: (client: ClientRpcClient) => Promise<unknown>): Buffer {
  let framed: Buffer | undefined;
  const transport = new TFramedTransport(undefined, (out?: Buffer) => {
    framed = out;
  });
  const client = new ClientRpcService.Client(transport, protocol);
  void call(client).catch(() => {});
  expect(framed!.readInt32BE(0)).toBe(framed!.length - 4);
  return framed!.subarray(4);
}

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}
