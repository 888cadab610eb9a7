import { ConnectionError, IoTDBError } from '../../protocol/client/iotdb-error.js';
import { Session, type SessionOptions } from '../../protocol/client/session.js';

/** TLS to a node with enable_thrift_ssl, with the trust store that holds its CA. */
export interface NodeTls {
  readonly trustStore?: string;
  readonly trustStorePwd?: string;
}

/** The node and the login a command of the command line takes (`-h -p -u -pw -usessl -ts -tpw`). */
export interface NodeLogin {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** `-usessl true` with `-ts` / `-tpw`: TLS to a node with enable_thrift_ssl. */
  readonly tls?: NodeTls;
}

/**
 * A session for a command of the command line; when the node cannot be reached or refuses
 * the login, `failed` hears why and the answer is null (other errors are bugs and thrown).
 */
export async function openCliSession(
  login: NodeLogin,
  failed: (error: Error) => void,
  extra: Partial<SessionOptions> = {},
): Promise<Session | null> {
  const { host, port, user, password, tls } = login;
  try {
    return await Session.open({
      host,
      port,
      user,
      password,
      ...extra,
      ...(tls === undefined ? {} : { useSsl: true, ...tls }),
    });
  } catch (error) {
    if (!(error instanceof ConnectionError || error instanceof IoTDBError)) throw error;
    failed(error);
    return null;
  }
}
