// Spec: protocol/FORMAT.md, section "Pipe transfer", "compressed request (300)".
//
//   compressed (300) := count:u8 (code:u8 uncompressedLength:int32be){count} data
//   data := compressor[count-1]( ... compressor[0](version:i8 type:int16be body) ...)
// Each uncompressedLength is the length of the bytes that compressor was given.

import { DecompressionError } from '../../native/index.js';
import { PayloadError } from '../payload-error.js';
import type { TPipeTransferReq } from '../rpc-types.js';
import { type PipeCompressor, pipeCompressorOfCode } from './pipe-compression.js';
import { PIPE_REQUEST_VERSION, PipeRequestType } from './pipe-request-type.js';

/**
 * The largest request a compressed request may unpack to (IoTDB's
 * `pipe_receiver_req_decompressed_max_length_in_bytes` guards the same way against
 * decompression bombs): the largest frame this node's RPC takes by default.
 */
export const DECOMPRESSED_BYTES_MAX = 536_870_912;

/** `req` wrapped in a compressed request, its whole (version, type, body) compressed by each of `chain` in order. */
export function encodeCompressedReq(req: TPipeTransferReq, chain: readonly PipeCompressor[]): TPipeTransferReq {
  if (chain.length === 0 || chain.length > 255)
    throw new RangeError(`a chain of 1 to 255 compressors, not ${chain.length}`);
  let data: Buffer = Buffer.allocUnsafe(3 + req.body.length);
  data.writeInt8(req.version, 0);
  data.writeInt16BE(req.type, 1);
  data.set(req.body, 3);
  const header = Buffer.allocUnsafe(1 + 5 * chain.length);
  header.writeUInt8(chain.length, 0);
  chain.forEach((compressor, i) => {
    header.writeUInt8(compressor.code, 1 + 5 * i);
    header.writeInt32BE(data.length, 2 + 5 * i);
    data = compressor.codec.compress(data);
  });
  return {
    version: PIPE_REQUEST_VERSION,
    type: PipeRequestType.TRANSFER_COMPRESSED,
    body: Buffer.concat([header, data]),
  };
}

/**
 * The request a compressed request's body holds. A code IoTDB does not define, a length
 * past DECOMPRESSED_BYTES_MAX, or data that does not decompress to the recorded length is
 * a PayloadError.
 */
export function decodeCompressedBody(body: Buffer): TPipeTransferReq {
  if (body.length < 1) throw new PayloadError('compressor count needs 1 byte, 0 left');
  const count = body.readUInt8(0);
  if (count === 0) throw new PayloadError('a compressed request names no compressor');
  const dataAt = 1 + 5 * count;
  if (body.length < dataAt)
    throw new PayloadError(`${count} compressors need ${dataAt - 1} header bytes, ${body.length - 1} left`);
  const steps: { compressor: PipeCompressor; length: number }[] = [];
  for (let i = 0; i < count; i++) {
    const code = body.readUInt8(1 + 5 * i);
    const compressor = pipeCompressorOfCode(code);
    if (compressor === undefined) throw new PayloadError(`compressor ${i}: unknown compression type ${code}`);
    const length = body.readInt32BE(2 + 5 * i);
    if (length < 0 || length > DECOMPRESSED_BYTES_MAX) {
      throw new PayloadError(
        `compressor ${i} (${compressor.name}): uncompressed length ${length} is not in [0, ${DECOMPRESSED_BYTES_MAX}]`,
      );
    }
    steps.push({ compressor, length });
  }
  let data: Buffer = body.subarray(dataAt);
  for (let i = count - 1; i >= 0; i--) {
    const { compressor, length } = steps[i]!;
    try {
      data = compressor.codec.uncompress(data, length);
    } catch (error) {
      if (error instanceof DecompressionError)
        throw new PayloadError(`compressor ${i} (${compressor.name}): ${error.message}`);
      throw error;
    }
  }
  if (data.length < 3) throw new PayloadError(`the compressed request holds ${data.length} bytes, not a request`);
  return { version: data.readInt8(0), type: data.readInt16BE(1), body: data.subarray(3) };
}
