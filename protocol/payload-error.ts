import { CorruptDataError } from '../tsfile/io/byte-reader.js';

/**
 * A request payload that does not follow its format (a tablet whose lengths lie, an
 * unknown type code, bytes left over). It is the client's fault and retrying the same
 * bytes cannot help, so the server answers with `statusCode` (IoTDB's ILLEGAL_PARAMETER)
 * and keeps the connection. Subclass of CorruptDataError so one catch covers both.
 */
export class PayloadError extends CorruptDataError {
  override readonly name: string = 'PayloadError';
  /** IoTDB TSStatusCode ILLEGAL_PARAMETER. */
  readonly statusCode: number = 303;
  readonly retriable = false;
}
