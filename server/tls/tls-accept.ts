import type net from 'node:net';
import tls from 'node:tls';
import { looksLikeTls } from '../../protocol/client/socket-factory.js';

export interface TlsAcceptHandlers {
  /** The handshake succeeded: serve the connection. */
  readonly secure: (socket: tls.TLSSocket) => void;
  /** The first bytes are not TLS: `first` is what the client sent first; answer it and close. */
  readonly plaintext: (first: Buffer) => void;
  readonly log: (message: string) => void;
}

/**
 * Accepts one TCP connection on a TLS port. The first bytes decide: a TLS client gets the
 * handshake (on the same socket, those bytes handed back to it), a plaintext client gets a
 * plaintext answer saying why it is refused, which a TLS server could not give. A failed
 * handshake ends that connection only, with one log line.
 */
export function acceptTls(raw: net.Socket, context: tls.SecureContext, handlers: TlsAcceptHandlers): void {
  const client = `${raw.remoteAddress}:${raw.remotePort}`;
  raw.on('error', () => {});
  raw.once('data', (first: Buffer) => {
    raw.pause();
    if (!looksLikeTls(first)) {
      handlers.log(`${client}: closing the connection: not a TLS client (plaintext on a TLS port)`);
      handlers.plaintext(first);
      return;
    }
    raw.unshift(first);
    const socket = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
    let secured = false;
    socket.once('secure', () => {
      secured = true;
      handlers.secure(socket);
    });
    let failed = false;
    const fail = (reason: string) => {
      if (secured || failed) return;
      failed = true;
      handlers.log(`${client}: TLS handshake failed: ${reason}`);
    };
    socket.on('error', (error: NodeJS.ErrnoException) => {
      fail(handshakeFailure(error));
      socket.destroy();
    });
    socket.once('close', () => fail(handshakeFailure({ name: 'Error', message: 'socket hang up' })));
  });
}

/** OpenSSL's reason in one line; a client that leaves without an alert is named as such. */
function handshakeFailure(error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNRESET' || /socket hang up/.test(error.message)) {
    // Node clients that reject the certificate close without an alert.
    return 'the client closed the connection during the handshake (it does not accept this node’s certificate?)';
  }
  return (error.message.split('\n')[0] ?? '').replace(/^.*routines:/, '').replace(/:\.\.\/deps.*$/, '');
}
