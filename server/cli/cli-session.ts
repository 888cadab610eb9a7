import { ConnectionError, IoTDBError } from '../../protocol/client/iotdb-error.js';
import { Session, type SessionOptions } from '../../protocol/client/session.js';

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
