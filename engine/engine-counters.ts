/**
 * Running totals of what the engine did, for a metrics reporter to read (the engine knows
 * no reporter). Counters only grow; `flushObserved`, when set, hears each flush's duration
 * for a histogram.
 */
export class EngineCounters {
  /** Points (non-null cells) and write calls accepted by `write`, whoever wrote them. */
  pointsWritten = 0;
  writeRequests = 0;
  /** Flushes of a region's memtables, their total seconds, and the files and bytes they sealed. */
  flushes = 0;
  flushSeconds = 0;
  sealedFiles = 0;
  sealedBytes = 0;
  flushObserved: ((seconds: number) => void) | null = null;
}

/** Non-null cells of a tablet. */
export function pointsOf(tablet: {
  readonly rowCount: number;
  readonly nulls: readonly (Uint8Array | null)[];
}): number {
  let points = 0;
  for (const nulls of tablet.nulls) {
    if (nulls === null) points += tablet.rowCount;
    else for (let i = 0; i < tablet.rowCount; i++) if (nulls[i] !== 1) points++;
  }
  return points;
}
