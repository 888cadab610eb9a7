import { type SocketFactory, tlsSockets } from '../../protocol/client/socket-factory.js';
import type { ParameterValues } from '../plugin/parameter-spec.js';

/**
 * The connection layer a thrift sink's `ssl.*` parameters ask for: TLS sockets trusting
 * `ssl.trust-store-path`, or nothing (plain TCP). The connectors only pass it on.
 */
export function sinkSockets(parameters: ParameterValues): { sockets?: SocketFactory } {
  if (parameters.get('ssl.enable')?.toLowerCase() !== 'true') return {};
  const path = parameters.get('ssl.trust-store-path');
  const password = parameters.get('ssl.trust-store-pwd');
  return {
    sockets: tlsSockets({
      ...(path === null || path === undefined ? {} : { trustStorePath: path }),
      ...(password === null || password === undefined ? {} : { trustStorePassword: password }),
    }),
  };
}
