import type { TsFileResource } from '../../engine/storage/tsfile-resource.js';
import type { StorageEngine } from '../../engine/storage-engine.js';

/**
 * The files one flush of a database wrote (its sequence and unsequence memtables, frozen
 * together): every write of that database whose arrival lies in [minArrival, maxArrival]
 * is in them, and in no other file.
 */
export interface FlushedGeneration {
  readonly database: string;
  readonly files: readonly TsFileResource[];
  readonly minArrival: number;
  readonly maxArrival: number;
}

/** The flushed generations holding arrivals at or after `from`, by database. */
export function flushedGenerations(engine: StorageEngine, from: number): Map<string, FlushedGeneration[]> {
  const units = new Map<string, TsFileResource[]>();
  for (const f of engine.sealedFiles()) {
    if (f.loaded || f.maxArrival < from) continue;
    const key = `${f.database}\u0000${f.coveredUpTo}`;
    const files = units.get(key);
    if (files === undefined) units.set(key, [f]);
    else files.push(f);
  }
  const out = new Map<string, FlushedGeneration[]>();
  for (const files of units.values()) {
    const database = files[0]!.database;
    const generation = {
      database,
      files,
      minArrival: Math.min(...files.map((f) => f.minArrival)),
      maxArrival: Math.max(...files.map((f) => f.maxArrival)),
    };
    const list = out.get(database);
    if (list === undefined) out.set(database, [generation]);
    else list.push(generation);
  }
  return out;
}

/** The generation of `database` holding arrival `arrival`, if it is flushed. */
export function generationOf(
  generations: ReadonlyMap<string, readonly FlushedGeneration[]>,
  database: string,
  arrival: number,
): FlushedGeneration | undefined {
  return generations.get(database)?.find((g) => g.minArrival <= arrival && arrival <= g.maxArrival);
}

/**
 * Whether a deletion (or a schema change) arrived in [from, to]: it must reach the
 * receiver between the points around it, so the span cannot go as files.
 */
export function arrivedBetween(engine: StorageEngine, from: number, to: number, kind: 'delete' | 'schema'): boolean {
  for (const e of engine.replay(from)) {
    if (e.kind === 'tsfile-sealed') continue;
    if (e.arrival > to) return false;
    if (e.kind === kind) return true;
  }
  return false;
}
