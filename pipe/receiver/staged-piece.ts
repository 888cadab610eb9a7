import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';

/** How many bytes of a file the receiver has staged so far (0 when none). */
export function stagedLength(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/**
 * Writes a piece at `offset`, which the caller has checked is where the staged copy ends:
 * a piece at 0 starts the copy afresh, any other is appended.
 */
export function writePiece(path: string, offset: number, piece: Uint8Array): void {
  const fd = openSync(path, offset === 0 ? 'w' : 'a');
  try {
    let done = 0;
    while (done < piece.length) done += writeSync(fd, piece, done, piece.length - done);
  } finally {
    closeSync(fd);
  }
}
