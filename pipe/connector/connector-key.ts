import type { ResolvedPlugin } from '../pipe-definition.js';

/**
 * The identity of a connector for reuse: its plugin and every parameter value (defaults
 * included), with whitespace around values dropped. Clauses that differ only in key
 * order, in `connector.`/`sink.` spellings or in spacing have the same key.
 */
export function connectorKey(connector: ResolvedPlugin): string {
  const entries = [...connector.parameters.entries()]
    .map(([k, v]) => [k, v === null ? null : v.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([connector.plugin.name, entries]);
}
