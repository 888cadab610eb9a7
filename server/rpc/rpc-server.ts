import net from 'node:net';
import tls from 'node:tls';
import { StatusCode } from '../../engine/errors.js';
import { looksLikeTls } from '../../protocol/client/socket-factory.js';
import { FrameDecoder, FrameTooLargeError } from '../../protocol/frame-decoder.js';
import { type FramedMessage, writeFramed } from '../../protocol/framed-writer.js';
import { ClientRpcService, processRpcFrame, wrapRpcHandler } from '../../protocol/rpc-types.js';
import { acceptTls } from '../tls/tls-accept.js';
import { ClientService } from './client-service.js';
import type { NodeServices } from './node-services.js';
import { answerCallWithStatus, answerOversizedCall } from './oversize-reply.js';

function listenOn(server: net.Server, host: string, port: number): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use (is another node running? choose another with --port)`
          : error.code === 'EACCES'
            ? `no permission to listen on ${host}:${port}`
            : error.message;
      reject(new Error(reason));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address() as net.AddressInfo;
      resolve({ host: address.address, port: address.port });
    });
  });
}

/** Rejects, with the message `listen` would give, when `host:port` cannot be listened on now. */
export async function checkPortFree(host: string, port: number): Promise<void> {
  const probe = net.createServer();
  await listenOn(probe, host, port);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** Calls read ahead of the one running before a connection stops reading (backpressure). */
const QUEUED_CALLS_MAX = 16;

/**
 * IoTDB's client RPC on a TCP port: framed transport, binary or compact protocol per
 * message. A connection's calls run one at a time in order (a session's writes apply in
 * the order sent); connections run side by side.
 */
export class RpcServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  /** TCP connections of a TLS port (before and during their handshake, and under their TLS socket). */
  private readonly accepting = new Set<net.Socket>();

  /** `secure`: the node's key and certificate when `enable_thrift_ssl` is on; every connection is then TLS. */
  constructor(
    private readonly services: NodeServices,
    private readonly secure?: tls.SecureContextOptions,
  ) {
    if (secure === undefined) {
      this.server = net.createServer((socket) => this.serve(socket));
    } else {
      const context = tls.createSecureContext(secure);
      this.server = net.createServer((raw) => {
        this.accepting.add(raw);
        raw.once('close', () => this.accepting.delete(raw));
        acceptTls(raw, context, {
          secure: (socket) => this.serve(socket),
          plaintext: (first) => this.refusePlaintext(raw, first),
          log: this.services.log,
        });
      });
    }
  }

  /** Answers a plaintext client's first call on a TLS port with the reason, then closes. */
  private refusePlaintext(raw: net.Socket, first: Buffer): void {
    const status = {
      code: StatusCode.INTERNAL_SERVER_ERROR,
      message:
        'this node speaks TLS on this port (enable_thrift_ssl=true): connect with TLS (-usessl true, sink.ssl.enable=true)',
    };
    // The first call may come in several chunks: wait for its whole frame.
    const decoder = new FrameDecoder(this.services.frameBytesMax);
    const take = (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch {
        raw.destroy();
        return;
      }
      if (frames.length === 0) return;
      raw.off('data', take);
      // The answer may come after this returns: the socket ends once it is written.
      const answered = answerCallWithStatus(
        frames[0]!,
        () => status,
        (message) => {
          writeFramed(raw, message);
          raw.end();
        },
      );
      if (!answered) raw.destroy();
    };
    raw.on('data', take);
    take(first);
    raw.resume();
  }

  /** Starts listening; rejects with a message naming the address when the port is taken. */
  listen(host: string, port: number): Promise<{ host: string; port: number }> {
    return listenOn(this.server, host, port);
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Stops accepting and closes every connection (their sessions and queries end). */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of [...this.sockets, ...this.accepting]) socket.destroy();
    await closed;
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const client = `${socket.remoteAddress}:${socket.remotePort}`;
    const service = new ClientService(this.services, client);
    const processor = new ClientRpcService.Processor(wrapRpcHandler(service));
    const decoder = new FrameDecoder(this.services.frameBytesMax);
    let chain: Promise<void> = Promise.resolve();
    let queued = 0;

    const handle = (frame: Buffer | FrameTooLargeError): Promise<void> =>
      new Promise<void>((resolve) => {
        const reply = (message: FramedMessage) => {
          if (!socket.destroyed) writeFramed(socket, message);
          resolve();
        };
        try {
          if (frame instanceof FrameTooLargeError) {
            this.services.log(`${client}: ${frame.message}`);
            if (!answerOversizedCall(frame, reply)) throw frame;
          } else {
            processRpcFrame(processor, frame, reply);
          }
        } catch (error) {
          this.services.log(`${client}: closing the connection: ${(error as Error).message}`);
          socket.destroy();
          resolve();
        }
      });

    let first = this.secure === undefined;
    socket.on('data', (chunk: Buffer) => {
      if (first && looksLikeTls(chunk)) {
        this.services.log(
          `${client}: closing the connection: a TLS client on a plaintext port (enable_thrift_ssl is off)`,
        );
        socket.destroy();
        return;
      }
      first = false;
      let frames: (Buffer | FrameTooLargeError)[];
      try {
        frames = decoder.pushSkipping(chunk);
      } catch (error) {
        this.services.log(`${client}: closing the connection: ${(error as Error).message}`);
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        queued++;
        chain = chain
          .then(() => (socket.destroyed ? undefined : handle(frame)))
          .finally(() => {
            queued--;
            if (queued < QUEUED_CALLS_MAX / 2 && socket.isPaused()) socket.resume();
          });
      }
      if (queued >= QUEUED_CALLS_MAX) socket.pause();
    });
    socket.on('error', () => {
      // A reset by the peer ends the connection like a close; nothing to answer.
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      void chain.finally(() => {
        service.close();
        this.services.disconnected(client);
      });
    });
  }
}
