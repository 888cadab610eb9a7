import { EngineError, StatusCode } from '../../engine/errors.js';
import { PathError } from '../../engine/path/path.js';
import { PayloadError } from '../../protocol/payload-error.js';
import type { TSStatus } from '../../protocol/rpc-types.js';
import { SqlParseError } from '../sql/sql-parse-error.js';

export const SUCCESS: TSStatus = { code: StatusCode.SUCCESS_STATUS, message: '' };

export function statusOf(code: number, message: string): TSStatus {
  return { code, message };
}

/**
 * The status IoTDB answers an error with. Errors that carry a status code keep it; any
 * other error is the node's fault (INTERNAL_SERVER_ERROR) and is also reported to `log`.
 */
export function errorStatus(error: unknown, log?: (message: string) => void): TSStatus {
  if (error instanceof EngineError || error instanceof SqlParseError) return statusOf(error.code, error.message);
  if (error instanceof PayloadError) return statusOf(error.statusCode, error.message);
  if (error instanceof PathError) return statusOf(StatusCode.ILLEGAL_PATH, error.message);
  const message = error instanceof Error ? error.message : String(error);
  log?.(`internal error: ${error instanceof Error ? (error.stack ?? message) : message}`);
  return statusOf(StatusCode.INTERNAL_SERVER_ERROR, message);
}

export function isSuccess(status: TSStatus): boolean {
  return status.code === StatusCode.SUCCESS_STATUS || status.code === StatusCode.REDIRECTION_RECOMMEND;
}
