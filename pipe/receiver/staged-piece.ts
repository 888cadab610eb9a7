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

/** Per staged file, the end of the chain of operations on it. */
const busy = new Map<string, Promise<unknown>>();

/**
 * Runs `work` once every earlier operation on the staged file `path` is over. Writes run
 * off the event loop, and two connections can carry the same file (a sender retrying on a
 * new connection while the old one's piece is still being written), so the check of where
 * the staged copy ends and the write after it must not interleave with another's.
 */
export function onStagedFile<T>(path: string, work: () => Promise<T>): Promise<T> {
  const run = (busy.get(path) ?? Promise.resolve()).then(work);
  const settled = run.catch(() => {});
  busy.set(path, settled);
  void settled.then(() => {
    if (busy.get(path) === settled) busy.delete(path);
  });
  return run;
}
