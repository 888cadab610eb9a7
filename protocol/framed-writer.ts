// Spec: protocol/FORMAT.md, section "Framed transport".
import type { Writable } from 'node:stream';

/** A framed message as its parts: the 4-byte length first, then the message's bytes. */
export type FramedMessage = readonly Buffer[];

/** Writes smaller than this are gathered into one part; larger ones are kept by reference. */
const GATHER_BYTES_MAX = 16 * 1024;

/**
 * The write side of Thrift's framed transport, for the generated code's protocols. The
 * thrift package's TFramedTransport joins a message's writes into a zero-filled buffer and
 * copies that again behind the length; for a TsFile piece or a page of query results that
 * is two extra copies of megabytes. Here small writes (field headers, numbers) are
 * gathered and large ones (binary fields) pass by reference, so a message reaches the
 * socket as a few parts written together. A large buffer handed in must stay unchanged
 * until the socket has sent it: callers give fresh buffers.
 */
export class FramedWriter {
  private parts: Buffer[] = [];
  private bytes = 0;
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;

  constructor(private readonly onFlush: (message: FramedMessage) => void) {}

  write(data: Buffer | string, encoding?: BufferEncoding): void {
    const buf = typeof data === 'string' ? Buffer.from(data, encoding ?? 'utf8') : data;
    this.bytes += buf.length;
    if (buf.length < GATHER_BYTES_MAX) {
      this.gathered.push(buf);
      this.gatheredBytes += buf.length;
      if (this.gatheredBytes >= GATHER_BYTES_MAX) this.closeGathered();
      return;
    }
    this.closeGathered();
    this.parts.push(buf);
  }

  /** Called by the protocols with each call's sequence id; replies are matched elsewhere. */
  setCurrSeqId(_sequenceId: number): void {}

  flush(): void {
    this.closeGathered();
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(this.bytes, 0);
    const message = [length, ...this.parts];
    this.parts = [];
    this.bytes = 0;
    this.onFlush(message);
  }

  private closeGathered(): void {
    if (this.gathered.length === 0) return;
    this.parts.push(this.gathered.length === 1 ? this.gathered[0]! : Buffer.concat(this.gathered, this.gatheredBytes));
    this.gathered = [];
    this.gatheredBytes = 0;
  }
}

/** Hands a framed message's parts to a stream in one go (one `writev` on a socket). */
export function writeFramed(out: Writable, message: FramedMessage): void {
  out.cork();
  for (const part of message) out.write(part);
  out.uncork();
}

/** The framed message as one buffer. */
export function joinFramed(message: FramedMessage): Buffer {
  return Buffer.concat(message as Buffer[]);
}
