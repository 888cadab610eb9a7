import net from 'node:net';
import tls from 'node:tls';
import { looksLikeTls } from '../../protocol/client/socket-factory.js';
import { FrameDecoder, FrameTooLargeError } from '../../protocol/frame-decoder.js';
import { type FramedMessage, writeFramed } from '../../protocol/framed-writer.js';
import { ClientRpcService, processRpcFrame, wrapRpcHandler } from '../../protocol/rpc-types.js';
import { ClientService } from './client-service.js';
import type { NodeServices } from './node-services.js';
import { answerOversizedCall } from './oversize-reply.js';

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

/** OpenSSL's reason in one line, with what it usually means for a plaintext peer. */
function tlsClientReason(error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNRESET') {
    // Node and Java clients that reject the certificate may just close, without an alert.
    return 'the client closed the connection during the handshake (it does not accept this node’s certificate?)';
  }
  const reason = (error.message.split('\n')[0] ?? '').replace(/^.*routines:/, '').replace(/:\.\.\/deps.*$/, '');
  if (/wrong version number|http request|unknown protocol|packet length too long|record layer failure/i.test(reason)) {
    return `not a TLS client (plaintext on a TLS port?): ${reason}`;
  }
  return reason;
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

  /** `secure`: the node's key and certificate when `enable_thrift_ssl` is on; every connection is then TLS. */
  constructor(
    private readonly services: NodeServices,
    private readonly secure?: tls.TlsOptions,
  ) {
    if (secure === undefined) {
      this.server = net.createServer((socket) => this.serve(socket));
    } else {
      const server = tls.createServer(secure, (socket) => this.serve(socket));
      // Reading the address of each TCP connection at once keeps it (Node caches it) for
      // the log line of a handshake that fails after the peer has gone.
      server.on('connection', (tcp: net.Socket) => void tcp.remoteAddress);
      // A failed handshake ends that connection only; the peer gets the TLS alert.
      server.on('tlsClientError', (error, socket) => {
        // After a failed handshake the TLS socket may have let go of its address; the TCP one has it.
        const tcp = (socket as { _parent?: net.Socket })._parent ?? socket;
        const client = `${tcp.remoteAddress ?? 'a client'}:${tcp.remotePort ?? '?'}`;
        this.services.log(`${client}: TLS handshake failed: ${tlsClientReason(error)}`);
      });
      this.server = server;
    }
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
    for (const socket of this.sockets) socket.destroy();
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
