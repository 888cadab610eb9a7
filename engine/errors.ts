import { StatusCode } from './status-code.js';

/**
 * Operating errors of the engine carry IoTDB's status code so the server can answer as
 * IoTDB does, and a `retriable` flag, which is all that retry logic looks at.
 */
export class EngineError extends Error {
  override readonly name: string = 'EngineError';

  constructor(
    readonly code: StatusCode,
    message: string,
    readonly retriable = false,
  ) {
    super(message);
  }
}

export { StatusCode };
