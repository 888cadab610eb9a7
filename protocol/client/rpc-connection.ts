import type net from 'node:net';
import type { TProtocol } from 'thrift';
import { FrameDecoder } from '../frame-decoder.js';
import { FramedWriter, writeFramed } from '../framed-writer.js';
import type { ClientRpcClient, ProtocolClass } from '../rpc-types.js';
import { ClientRpcService, TBinaryProtocol, TCompactProtocol, TFramedTransport } from '../rpc-types.js';
import { ConnectionError } from './iotdb-error.js';
import { looksLikeTls, PLAIN_SOCKETS, type SocketFactory } from './socket-factory.js';

export interface RpcConnectionOptions {
  /** Thrift compact protocol (IoTDB's "RPC compression"); binary otherwise. */
  readonly compact?: boolean;
  /** How long connecting may take; default `timeoutMs`, else 10 s. */
  readonly connectTimeoutMs?: number;
  /** How long a call may wait for its answer before the connection is given up; no limit by default. */
  readonly timeoutMs?: number;
  /** Largest answer frame accepted; default IoTDB's 512 MiB. */
  readonly frameBytesMax?: number;
  /** Plain TCP by default; `tlsSockets(...)` for a node with `enable_thrift_ssl`. */
  readonly sockets?: SocketFactory;
}

export const CONNECT_TIMEOUT_MS_DEFAULT = 10_000;
export const FRAME_BYTES_MAX_DEFAULT = 536_870_912;

/** Thrift sequence ids are i32: restart the count well before it would overflow. */
const SEQUENCE_ID_MAX = 0x7fff_fff0;

/** The generated client's reply entry points and call counter (protocol/gen-nodejs). */
type GeneratedClient = ClientRpcClient & {
  _seqid: number;
} & Record<string, unknown>;

type ReplyReader = (this: unknown, input: TProtocol, messageType: number, sequenceId: number) => void;

interface PendingCall {
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/** One line for a failed TLS connection: what the certificate check said, or that the node has no TLS. */
function tlsFailure(error: NodeJS.ErrnoException): string {
  if (/disconnected before secure TLS connection/.test(error.message) || error.code === 'ECONNRESET') {
    return 'TLS handshake failed: the node closed the connection (does it have enable_thrift_ssl=true?)';
  }
  return `TLS handshake failed: ${error.message}${error.code === undefined ? '' : ` (${error.code})`}`;
}

function asError(value: unknown): Error {
  // The generated code rejects some failures with a bare string ("x failed: unknown result").
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * A framed Thrift connection to a node's client RPC, on our own socket and frame decoder
 * rather than the `thrift` package's Connection: that one copies its whole receive buffer
 * on every chunk (quadratic for large query pages), reconnects or idles out behind the
 * caller's back, and leaves calls unanswered when the socket dies. Here every call
 * settles: with its answer, or with a ConnectionError once the connection is lost, so
 * no `error` event ever goes unhandled.
 */
export class RpcConnection {
  readonly rpc: ClientRpcClient;
  private failure: ConnectionError | null = null;
  private readonly pending = new Set<PendingCall>();

  private constructor(
    private readonly socket: net.Socket,
    private readonly where: string,
    private readonly Protocol: ProtocolClass,
    private readonly timeoutMs: number | undefined,
    frameBytesMax: number,
    tls: boolean,
  ) {
    const transport = new FramedWriter((message) => {
      if (this.failure === null) writeFramed(socket, message);
    });
    this.rpc = new ClientRpcService.Client(transport as unknown as InstanceType<typeof TFramedTransport>, Protocol);
    const frames = new FrameDecoder(frameBytesMax);
    let first = true;
    socket.on('data', (chunk: Buffer) => {
      if (first && !tls && looksLikeTls(chunk)) {
        this.fail(`${where} answers with TLS: connect with TLS (-usessl true, sink.ssl.enable=true)`);
        return;
      }
      first = false;
      try {
        for (const frame of frames.push(chunk)) this.dispatch(frame);
      } catch (error) {
        this.fail(`malformed answer from ${where}: ${asError(error).message}`);
      }
    });
    socket.on('error', (error) => this.fail(`connection to ${where} failed: ${error.message}`));
    socket.on('close', () => this.fail(`connection to ${where} closed`));
  }

  /** Connects; rejects with ConnectionError naming the address and the reason (ECONNREFUSED, timeout, ...). */
  static open(host: string, port: number, options: RpcConnectionOptions = {}): Promise<RpcConnection> {
    const where = `${host}:${port}`;
    const connectTimeoutMs = options.connectTimeoutMs ?? options.timeoutMs ?? CONNECT_TIMEOUT_MS_DEFAULT;
    const Protocol: ProtocolClass = options.compact === true ? TCompactProtocol : TBinaryProtocol;
    const sockets = options.sockets ?? PLAIN_SOCKETS;
    return new Promise<RpcConnection>((resolve, reject) => {
      const { socket, ready } = sockets.connect(host, port);
      const refuse = (reason: string) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new ConnectionError(`cannot connect to ${where}: ${reason}`));
      };
      const timer = setTimeout(() => refuse(`no connection within ${connectTimeoutMs} ms`), connectTimeoutMs);
      const onError = (error: NodeJS.ErrnoException) => refuse(sockets.tls ? tlsFailure(error) : error.message);
      const onClose = () => refuse('the connection closed');
      socket.on('error', onError);
      socket.on('close', onClose);
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.off('close', onClose);
        socket.setNoDelay(true);
        resolve(
          new RpcConnection(
            socket,
            where,
            Protocol,
            options.timeoutMs,
            options.frameBytesMax ?? FRAME_BYTES_MAX_DEFAULT,
            sockets.tls,
          ),
        );
      });
    });
  }

  /** False once the connection is lost or ended. */
  get open(): boolean {
    return this.failure === null;
  }

  /** Runs one RPC; rejects with ConnectionError when the connection is or becomes unusable. */
  call<T>(request: (rpc: ClientRpcClient) => Promise<T>): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const client = this.rpc as GeneratedClient;
    if (client._seqid >= SEQUENCE_ID_MAX) client._seqid = 0;
    return new Promise<T>((resolve, reject) => {
      const entry: PendingCall = { reject, timer: undefined };
      const settle = () => {
        this.pending.delete(entry);
        clearTimeout(entry.timer);
      };
      this.pending.add(entry);
      if (this.timeoutMs !== undefined) {
        const ms = this.timeoutMs;
        entry.timer = setTimeout(() => this.fail(`no answer from ${this.where} within ${ms} ms`), ms);
      }
      let answer: Promise<T>;
      try {
        answer = request(this.rpc);
      } catch (error) {
        settle();
        reject(asError(error));
        return;
      }
      answer.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(asError(error));
        },
      );
    });
  }

  /**
   * Closes the connection. Calls still waiting reject with ConnectionError; the socket no
   * longer keeps the process alive.
   */
  end(): void {
    this.fail('the connection is closed', false);
    this.socket.end();
    this.socket.unref();
  }

  /** Hands one answer frame to the generated client, which settles the call it belongs to. */
  private dispatch(frame: Buffer): void {
    const input = new this.Protocol(new TFramedTransport(frame));
    const header = input.readMessageBegin();
    const read = (this.rpc as GeneratedClient)[`recv_${header.fname}`];
    if (typeof read !== 'function') throw new Error(`an answer to an unknown method '${header.fname}'`);
    (read as ReplyReader).call(this.rpc, input, header.mtype, header.rseqid);
  }

  /** The first failure wins: later calls get it, waiting calls are rejected with it. */
  private fail(reason: string, destroy = true): void {
    if (this.failure === null) this.failure = new ConnectionError(reason);
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(this.failure);
    }
    this.pending.clear();
    if (destroy) this.socket.destroy();
  }
}
