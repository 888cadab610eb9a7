import { encodeCompressedReq } from '../../../protocol/pipe/pipe-compressed-req.js';
import type { PipeCompressor } from '../../../protocol/pipe/pipe-compression.js';
import type { TPipeTransferReq } from '../../../protocol/rpc-types.js';
import type { ByteRateLimiter } from './byte-rate-limiter.js';

/**
 * What happens to a request between the sink that built it and its connection: the
 * compressor and rate-limiter layers of the transport stack (the batcher sits above the
 * sink, the socket below). Resolves with the request to put on the wire, when it may go.
 */
export type OutboundLayer = (req: TPipeTransferReq) => Promise<TPipeTransferReq>;

/**
 * A `pipeTransfer` call's bytes besides the body: the frame length (4), the binary
 * protocol's message header (version 4, name "pipeTransfer" 4 + 12, sequence id 4), the
 * argument struct's field header (3) and the request's fields (version 3 + 1, type 3 + 2,
 * body 3 + 4) and two stops (2).
 */
export const PIPE_TRANSFER_OVERHEAD_BYTES = 49;

/** The bytes a request takes on the wire. */
export function wireBytes(req: TPipeTransferReq): number {
  return req.body.length + PIPE_TRANSFER_OVERHEAD_BYTES;
}

/** The layer that wraps every request in IoTDB's compressed request, compressed by `chain` in order. */
export function compressing(chain: readonly PipeCompressor[]): OutboundLayer {
  return async (req) => encodeCompressedReq(req, chain);
}

/** The layer that lets a request go when each limiter (the sink's, the node's) has room for its bytes. */
export function rateLimited(limiters: readonly ByteRateLimiter[]): OutboundLayer {
  return async (req) => {
    const bytes = wireBytes(req);
    for (const limiter of limiters) await limiter.acquire(bytes);
    return req;
  };
}

/** The layers applied in order; none: the request as it is. */
export function stacked(layers: readonly OutboundLayer[]): OutboundLayer | undefined {
  if (layers.length === 0) return undefined;
  return async (req) => {
    let out = req;
    for (const layer of layers) out = await layer(out);
    return out;
  };
}
