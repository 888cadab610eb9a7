// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Answers".
//
//   file piece answer body := endWritingOffset:int64be   (absent when the receiver has none)

import { PayloadError } from '../payload-error.js';
import type { TPipeTransferResp, TSStatus } from '../rpc-types.js';
import { ERROR_END_OFFSET } from './pipe-request-type.js';

/** The answer to a file piece: its status and where the receiver's copy of the file now ends. */
export function encodeFilePieceResp(status: TSStatus, endWritingOffset: bigint | number): TPipeTransferResp {
  const body = Buffer.alloc(8);
  body.writeBigInt64BE(BigInt(endWritingOffset));
  return { status, body };
}

/**
 * Reads a file-piece answer. Without a body (IoTDB answers errors that way) the offset is
 * ERROR_END_OFFSET (-1); a body of any length but 8 is a PayloadError.
 */
export function decodeFilePieceResp(resp: TPipeTransferResp): { status: TSStatus; endWritingOffset: bigint } {
  const body = resp.body;
  if (body == null) return { status: resp.status, endWritingOffset: ERROR_END_OFFSET };
  if (body.length !== 8) {
    throw new PayloadError(`file piece answer body has ${body.length} bytes, expected 8 (endWritingOffset)`);
  }
  return { status: resp.status, endWritingOffset: body.readBigInt64BE(0) };
}
