import net from 'node:net';
import tls from 'node:tls';
import { readTrustStore } from './trust-store.js';

/**
 * How a client connection gets its socket: the one place that knows whether a
 * connection is plain TCP or TLS. Everything above (framing, calls, pipe requests) is the
 * same on both. A factory returns the socket and the event that says it is ready.
 */
export interface SocketFactory {
  readonly tls: boolean;
  connect(host: string, port: number): { readonly socket: net.Socket; readonly ready: 'connect' | 'secureConnect' };
}

export const PLAIN_SOCKETS: SocketFactory = {
  tls: false,
  connect: (host, port) => ({ socket: net.connect({ host, port }), ready: 'connect' }),
};

/** IoTDB's client TLS settings: `-usessl true -ts PATH -tpw PWD`, `sink.ssl.*`. */
export interface ClientTlsOptions {
  /** Trust store (PKCS12 or PEM); the system's CAs when absent. */
  readonly trustStorePath?: string;
  readonly trustStorePassword?: string;
}

/**
 * TLS sockets that trust the store's certificates. The node's certificate must be signed
 * by one of them, be valid now, and name the host connected to (IP or DNS subject
 * alternative name).
 */
export function tlsSockets(options: ClientTlsOptions = {}): SocketFactory {
  // Read at the first connection (a StoreError is then thrown by `connect`), once.
  let ca: string[] | undefined;
  const trusted = () => {
    if (options.trustStorePath === undefined) return undefined;
    ca ??= readTrustStore(options.trustStorePath, options.trustStorePassword);
    return ca;
  };
  return {
    tls: true,
    connect: (host, port) => {
      const trust = trusted();
      return {
        socket: tls.connect({
          host,
          port,
          ...(trust === undefined ? {} : { ca: trust }),
          ...(net.isIP(host) === 0 ? { servername: host } : {}),
        }),
        ready: 'secureConnect',
      };
    },
  };
}

/** The first bytes of a TLS record (handshake or alert, version 3.x): a TLS peer. */
export function looksLikeTls(chunk: Buffer): boolean {
  return chunk.length >= 2 && (chunk[0] === 0x16 || chunk[0] === 0x15) && chunk[1] === 0x03;
}
