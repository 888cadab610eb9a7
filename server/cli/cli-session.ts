import { ConnectionError, IoTDBError } from '../../protocol/client/iotdb-error.js';
import { Session, type SessionOptions } from '../../protocol/client/session.js';

/** TLS to a node with enable_thrift_ssl, with the trust store that holds its CA. */
export interface NodeTls {
  readonly trustStore?: string;
  readonly trustStorePwd?: string;
}

/** The session options of a command's TLS settings (none: plaintext). */
export function tlsSessionOptions(tls: NodeTls | undefined): Partial<SessionOptions> {
  return tls === undefined ? {} : { useSsl: true, ...tls };
}

/**
 * A session for a command of the command line; when the node cannot be reached or refuses
 * the login, `failed` hears why and the answer is null (other errors are bugs and thrown).
 */
export async function openCliSession(options: SessionOptions, failed: (error: Error) => void): Promise<Session | null> {
  try {
    return await Session.open(options);
  } catch (error) {
    if (!(error instanceof ConnectionError || error instanceof IoTDBError)) throw error;
    failed(error);
    return null;
  }
}
