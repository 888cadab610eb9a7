import { existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** How many bytes of a file the receiver has staged so far (0 when none). */
export function stagedLength(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/**
 * Writes a piece at `offset`, which the caller has checked is where the staged copy ends:
 * a piece at 0 starts the copy afresh, any other is appended. The write runs off the
 * event loop, so the next piece is read from the connection meanwhile.
 */
export async function writePiece(path: string, offset: number, piece: Uint8Array): Promise<void> {
  const file = await open(path, offset === 0 ? 'w' : 'a');
  try {
    let done = 0;
    while (done < piece.length) done += (await file.write(piece, done, piece.length - done)).bytesWritten;
  } finally {
    await file.close();
  }
}
