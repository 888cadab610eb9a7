import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { PathPattern } from '../path/path-pattern.js';

/** A deletion of data: series matching `pattern`, times in [start, end]. */
export interface Deletion {
  readonly pattern: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly arrival: number;
}

export interface CompiledDeletion extends Deletion {
  readonly matcher: PathPattern;
}

export function compileDeletion(d: Deletion): CompiledDeletion {
  return { ...d, matcher: new PathPattern(d.pattern) };
}

export function modsPath(tsfilePath: string): string {
  return `${tsfilePath}.mods`;
}

/** Appends a deletion to a file's mods (one JSON object a line), synced before returning. */
export function appendMods(tsfilePath: string, d: Deletion): void {
  const path = modsPath(tsfilePath);
  appendFileSync(
    path,
    `${JSON.stringify({ pattern: d.pattern, start: String(d.start), end: String(d.end), arrival: d.arrival })}\n`,
  );
  const fd = openSync(path, 'r+');
  fsyncSync(fd);
  closeSync(fd);
}

export function readMods(tsfilePath: string): CompiledDeletion[] {
  const path = modsPath(tsfilePath);
  if (!existsSync(path)) return [];
  const out: CompiledDeletion[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const j = JSON.parse(line) as { pattern: string; start: string; end: string; arrival: number };
      out.push(compileDeletion({ pattern: j.pattern, start: BigInt(j.start), end: BigInt(j.end), arrival: j.arrival }));
    } catch {
      // A torn last line of a crash: the deletion was never acknowledged.
    }
  }
  return out;
}
