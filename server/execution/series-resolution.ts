import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatNode } from '../../engine/path/path.js';
import { PathPattern } from '../../engine/path/path-pattern.js';
import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import type { SqlPath } from '../sql/ast.js';
import type { ExecutionContext } from './execution-context.js';

/** The full path of a series as IoTDB prints it in result headers. */
export function seriesPath(s: SeriesSchema): string {
  return `${s.device}.${formatNode(s.measurement)}`;
}

/** A stable identity of a series (device and measurement), for de-duplicating columns. */
export function seriesKey(s: SeriesSchema): string {
  return `${s.device}\u0000${s.measurement}`;
}

/** The patterns a SELECT item or WHERE operand stands for: itself if absolute, else under each FROM prefix. */
export function itemPatterns(path: SqlPath, absolute: boolean, from: readonly SqlPath[]): PathPattern[] {
  if (absolute) return [PathPattern.of(path.nodes)];
  return from.map((prefix) => PathPattern.of([...prefix.nodes, ...path.nodes]));
}

/** The series an item selects: per FROM prefix in order, each expansion sorted by path. */
export function resolveSeries(
  engine: StorageEngine,
  path: SqlPath,
  absolute: boolean,
  from: readonly SqlPath[],
): SeriesSchema[] {
  return itemPatterns(path, absolute, from).flatMap((p) => engine.schema.matchSeries(p));
}

/** An alias names one column: IoTDB refuses one that a wildcard would give to several. */
export function checkAlias(alias: string | null, matched: number): void {
  if (alias !== null && matched > 1) {
    throw new EngineError(StatusCode.SEMANTIC_ERROR, `alias '${alias}' can only be matched with one time series`);
  }
}

/** SOFFSET then SLIMIT over the expanded columns. */
export function pageColumns<T>(columns: readonly T[], soffset: number | null, slimit: number | null): T[] {
  const from = soffset ?? 0;
  return columns.slice(from, slimit === null ? undefined : from + slimit);
}

/** Rows per block a query builds: the client's fetch size, within sane bounds. */
export function blockRowsOf(context: ExecutionContext): number {
  return Math.min(Math.max(1, Math.floor(context.fetchSize) || 1), 65_536);
}
