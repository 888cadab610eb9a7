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
  /** The first bytes of the frame's message (see `FrameDecoder.pushSkipping`); empty when thrown. */
  head: Buffer = Buffer.alloc(0);

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
/** Bytes of an oversized frame kept to answer it: enough for any message name and sequence id. */
export const OVERSIZE_HEAD_BYTES = 1024;

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Length of the frame being assembled, or -1 while its header is incomplete. */
  private frameLength = -1;
  /** The oversized frame being discarded (pushSkipping), and how many of its bytes are still to come. */
  private skipping: { error: FrameTooLargeError; head: Buffer[]; headBytes: number; remaining: number } | null = null;

  constructor(readonly frameBytesMax: number) {
    if (!Number.isInteger(frameBytesMax) || frameBytesMax <= 0) throw new RangeError(`frameBytesMax ${frameBytesMax}`);
  }

  /** Bytes received and not yet returned as a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk; returns the frames (payloads without their length) it completes. */
  push(chunk: Uint8Array): Buffer[] {
    return this.decode(chunk, false) as Buffer[];
  }

  /**
   * Like `push`, but an oversized frame does not end the stream: its bytes are read and
   * dropped without being buffered, and once they have all arrived a FrameTooLargeError
   * holding the message's first bytes (`head`) takes the frame's place in the output, so a
   * server can answer that call and go on. A frame whose first bytes are not a Thrift
   * message (garbage announcing a huge length) still throws at once.
   */
  pushSkipping(chunk: Uint8Array): (Buffer | FrameTooLargeError)[] {
    return this.decode(chunk, true);
  }

  private decode(chunk: Uint8Array, skipOversize: boolean): (Buffer | FrameTooLargeError)[] {
    if (chunk.length === 0) return [];
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.length;
    const frames: (Buffer | FrameTooLargeError)[] = [];
    for (;;) {
      if (this.skipping !== null) {
        const done = this.skip(this.skipping);
        if (done === null) break;
        frames.push(done);
        continue;
      }
      if (this.frameLength < 0) {
        if (this.buffered < 4) break;
        const length = this.peekInt32();
        if (length < 0) throw new PayloadError(`frame announces a negative length ${length}`);
        if (length > this.frameBytesMax) {
          const error = new FrameTooLargeError(length, this.frameBytesMax);
          if (!skipOversize) throw error;
          this.take(4);
          this.skipping = { error, head: [], headBytes: 0, remaining: length };
          continue;
        }
        this.frameLength = length;
      }
      if (this.buffered < 4 + this.frameLength) break;
      frames.push(this.take(4 + this.frameLength).subarray(4));
      this.frameLength = -1;
    }
    return frames;
  }

  /** Drops buffered bytes of an oversized frame; the error (with its head) once the frame is over. */
  private skip(s: {
    error: FrameTooLargeError;
    head: Buffer[];
    headBytes: number;
    remaining: number;
  }): FrameTooLargeError | null {
    const n = Math.min(this.buffered, s.remaining);
    if (n === 0) return null;
    const bytes = this.take(n);
    if (s.headBytes < OVERSIZE_HEAD_BYTES) {
      const keep = Buffer.from(bytes.subarray(0, OVERSIZE_HEAD_BYTES - s.headBytes));
      s.head.push(keep);
      s.headBytes += keep.length;
      const head = Buffer.concat(s.head);
      if ((head.length >= 4 || n === s.remaining) && detectThriftProtocol(head) === null) {
        throw new PayloadError(`an oversized frame (${s.error.frameBytes} bytes) that holds no Thrift message`);
      }
    }
    s.remaining -= n;
    if (s.remaining > 0) return null;
    s.error.head = Buffer.concat(s.head);
    this.skipping = null;
    return s.error;
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
