// Spec: protocol/FORMAT.md, section "Framed transport".
//
//   stream := frame*
//   frame  := length:int32be  message:u8{length}
//
// A message starts with 0x80 0x01 (binary protocol, strict) or 0x82 (compact protocol).

import { PayloadError } from './payload-error.js';

/** A frame longer than the configured bound: the peer must be told and disconnected. */
export class FrameTooLargeError extends PayloadError {
  override readonly name: string = 'FrameTooLargeError';
  /** IoTDB TSStatusCode THRIFT_FRAME_OVERSIZE. */
  override readonly statusCode: number = 308;

  constructor(
    readonly frameBytes: number,
    readonly frameBytesMax: number,
  ) {
    super(`frame of ${frameBytes} bytes exceeds the limit of ${frameBytesMax} bytes`);
  }
}

/**
 * Splits a byte stream into frames. Chunks are kept as they arrive and joined once per
 * frame, so a large frame costs one copy, not one per chunk. A frame announcing more than
 * `frameBytesMax` bytes (or a negative length) throws before anything is buffered for it;
 * the stream cannot be resynchronised after that, so the connection must be closed.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Length of the frame being assembled, or -1 while its header is incomplete. */
  private frameLength = -1;

  constructor(readonly frameBytesMax: number) {
    if (!Number.isInteger(frameBytesMax) || frameBytesMax <= 0) throw new RangeError(`frameBytesMax ${frameBytesMax}`);
  }

  /** Bytes received and not yet returned as a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk; returns the frames (payloads without their length) it completes. */
  push(chunk: Uint8Array): Buffer[] {
    if (chunk.length === 0) return [];
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.frameLength < 0) {
        if (this.buffered < 4) break;
        const length = this.peekInt32();
        if (length < 0) throw new PayloadError(`frame announces a negative length ${length}`);
        if (length > this.frameBytesMax) throw new FrameTooLargeError(length, this.frameBytesMax);
        this.frameLength = length;
      }
      if (this.buffered < 4 + this.frameLength) break;
      frames.push(this.take(4 + this.frameLength).subarray(4));
      this.frameLength = -1;
    }
    return frames;
  }

  private peekInt32(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.concat(this.chunks, 4);
    return head.readInt32BE(0);
  }

  /** Removes and returns the first n buffered bytes (a view when one chunk holds them). */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const chunk = this.chunks[0]!;
        const part = Math.min(chunk.length, n - filled);
        chunk.copy(out, filled, 0, part);
        filled += part;
        if (part === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(part);
      }
    }
    this.buffered -= n;
    return out;
  }
}

/** Prefixes a message with its frame length. */
export function encodeFrame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + message.length);
  out.writeInt32BE(message.length, 0);
  out.set(message, 4);
  return out;
}

/**
 * Which Thrift protocol a message is in, from its first bytes; null when neither. A
 * leading 0x00 is the old non-strict binary form (the name length comes first), which the
 * binary protocol reader also accepts.
 */
export function detectThriftProtocol(message: Uint8Array): 'binary' | 'compact' | null {
  if (message.length >= 2 && message[0] === 0x80 && message[1] === 0x01) return 'binary';
  if (message.length >= 1 && message[0] === 0x82) return 'compact';
  if (message.length >= 4 && message[0] === 0x00) return 'binary';
  return null;
}
