/**
 * Request bodies for TsFile pieces, reused across pieces and files. A fresh buffer of
 * megabytes costs a page fault per 4 KiB on first touch, which on a small machine took
 * longer than reading the piece into it; a reused one is already mapped. A body is handed
 * back only once the receiver has answered its piece (the socket is done with it).
 */
export class PieceBuffers {
  private readonly free: Buffer[] = [];

  constructor(private readonly keepMax: number) {}

  /** A buffer of at least `bytes`. */
  take(bytes: number): Buffer {
    const i = this.free.findIndex((b) => b.length >= bytes);
    if (i < 0) return Buffer.allocUnsafe(bytes);
    return this.free.splice(i, 1)[0]!;
  }

  give(buffer: Buffer): void {
    if (this.free.length < this.keepMax) this.free.push(buffer);
  }
}

/** Enough for the pieces of the few files a node's connectors have in flight at once. */
export const pieceBuffers = new PieceBuffers(8);
