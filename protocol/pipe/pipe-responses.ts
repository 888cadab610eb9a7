// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Answers".
//
//   file piece answer body := endWritingOffset:int64be   (absent when the receiver has none)
//   handshake answer body  := map                        (absent from IoTDB's receivers)

import { ByteReader } from '../../tsfile/io/byte-reader.js';
import { ByteWriter } from '../../tsfile/io/byte-writer.js';
import { PayloadError } from '../payload-error.js';
import type { TPipeTransferResp, TSStatus } from '../rpc-types.js';
import { readStringMap, writeStringMap } from './pipe-bytes.js';
import { ERROR_END_OFFSET, HandshakeKey } from './pipe-request-type.js';

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

/**
 * The answer to a handshake from this project's receivers: the status and a map with the
 * receiver's `clusterID`, so a sender knows which node it feeds. IoTDB's receivers answer
 * the status alone, and IoTDB's senders read only the status.
 */
export function encodeHandshakeResp(status: TSStatus, clusterId: string): TPipeTransferResp {
  const out = new ByteWriter(64);
  writeStringMap(out, new Map([[HandshakeKey.CLUSTER_ID, clusterId]]));
  return { status, body: out.toBuffer() };
}

/** The receiver's cluster id from a handshake answer; undefined when it sent none (IoTDB). */
export function decodeHandshakeResp(resp: TPipeTransferResp): string | undefined {
  const body = resp.body;
  if (body == null || body.length === 0) return undefined;
  return readStringMap(new ByteReader(body), 'handshake answer').get(HandshakeKey.CLUSTER_ID);
}
