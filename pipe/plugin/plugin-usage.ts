import { namedPlugin, type PipeClauses } from '../pipe-definition.js';
import type { PluginRole } from './builtin-plugins.js';

/** IoTDB 1.3's words for the clauses in its message. */
const CLAUSE_WORDS: Record<PluginRole, string> = { extractor: 'source', processor: 'processor', connector: 'sink' };

/** Why plugin `key` (upper case) cannot be dropped: the first pipe that names it, in IoTDB's words; null when none does. */
export function pluginUsage(key: string, pipes: readonly { name: string; clauses: PipeClauses }[]): string | null {
  for (const pipe of pipes) {
    for (const role of ['extractor', 'processor', 'connector'] as const) {
      if (namedPlugin(role, pipe.clauses[role])?.trim().toUpperCase() === key) {
        return `PipePlugin '${key}' is already used by Pipe '${pipe.name}' as a ${CLAUSE_WORDS[role]}.`;
      }
    }
  }
  return null;
}
