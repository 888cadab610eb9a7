import type { TimestampPrecision } from '../engine/engine-config.js';
import { findPlugin, type PluginRole, type PluginSpec } from './plugin/builtin-plugins.js';
import { PipeParameterError, readParameters } from './plugin/parameter-spec.js';

/** A WITH clause as written: the key/value pairs in order. */
export type ClauseAttributes = readonly (readonly [string, string])[];

export interface PipeClauses {
  readonly extractor: ClauseAttributes;
  readonly processor: ClauseAttributes;
  readonly connector: ClauseAttributes;
}

export interface ResolvedPlugin {
  readonly plugin: PluginSpec;
  readonly parameters: ReadonlyMap<string, string | null>;
}

/** A pipe as created: its clauses as written (for SHOW PIPES) and the plugins they resolve to. */
export interface PipeDefinition {
  readonly name: string;
  readonly creationTime: number;
  /** Arrival numbers below this are history, the rest realtime. */
  readonly cutArrival: number;
  readonly clauses: PipeClauses;
}

const ROLE_KEYS: Record<PluginRole, { keys: string[]; prefixes: string[]; fallback: string | null }> = {
  extractor: { keys: ['extractor', 'source'], prefixes: ['extractor', 'source'], fallback: 'iotdb-extractor' },
  processor: { keys: ['processor'], prefixes: ['processor'], fallback: 'do-nothing-processor' },
  connector: { keys: ['connector', 'sink'], prefixes: ['connector', 'sink'], fallback: null },
};

/** Finds a plugin by role and name: the built-ins, or the built-ins and the user plugins of a node. */
export type PluginLookup = (role: PluginRole, name: string) => PluginSpec | undefined;

/** The plugin name a clause gives (or its default), null for a connector clause that names none. */
export function namedPlugin(role: PluginRole, attributes: ClauseAttributes): string | null {
  const { keys, fallback } = ROLE_KEYS[role];
  return attributes.find(([k]) => keys.includes(k.trim().toLowerCase()))?.[1] ?? fallback;
}

/** The plugin a clause names and its checked parameters. */
export function resolveClause(
  role: PluginRole,
  attributes: ClauseAttributes,
  lookup: PluginLookup = findPlugin,
): ResolvedPlugin {
  const { keys, prefixes } = ROLE_KEYS[role];
  const named = namedPlugin(role, attributes);
  if (named === null) throw new PipeParameterError(`the ${role} clause must name a ${role} with '${role}'='...'`);
  const plugin = lookup(role, named);
  if (plugin === undefined) throw new PipeParameterError(`${role} plugin '${named}' does not exist`);
  return { plugin, parameters: readParameters(plugin.parameters, attributes, prefixes, keys) };
}

/**
 * A time bound of `start-time` / `end-time` (and 1.2's `history.` ones): an epoch number in
 * the precision, ISO-8601, or `now` (the time `nowMs` stands for).
 */
export function parseTimeBound(text: string, precision: TimestampPrecision, nowMs = Date.now()): bigint {
  const t = text.trim();
  if (/^-?[0-9]+$/.test(t)) return BigInt(t);
  const ms = t.toLowerCase() === 'now' ? nowMs : Date.parse(t);
  if (Number.isNaN(ms)) throw new PipeParameterError(`'${text}' is neither an epoch number, an ISO-8601 time nor now`);
  const scale = precision === 'ms' ? 1n : precision === 'us' ? 1000n : 1_000_000n;
  return BigInt(ms) * scale;
}

export function flag(value: string | null | undefined): boolean {
  return value?.toLowerCase() === 'true';
}

/** One clause change of ALTER PIPE. */
export interface ClauseChange {
  readonly mode: 'modify' | 'replace';
  readonly attributes: ClauseAttributes;
}

export interface PipeClauseChanges {
  readonly extractor: ClauseChange | null;
  readonly processor: ClauseChange | null;
  readonly connector: ClauseChange | null;
}

/** A key as the clause means it: lower case, without its role prefix (`sink.ip` and `connector.ip` are one key). */
function meaningOf(role: PluginRole, key: string): string {
  const k = key.trim().toLowerCase();
  const { keys, prefixes } = ROLE_KEYS[role];
  if (keys.includes(k)) return role;
  const prefix = prefixes.find((p) => k.startsWith(`${p}.`));
  return prefix === undefined ? k : k.slice(prefix.length + 1);
}

/**
 * A pipe's clauses after ALTER PIPE: REPLACE takes the new clause as it is; MODIFY sets the
 * keys it names (in the place they had, whatever their spelling) and keeps the others.
 */
export function alterClauses(clauses: PipeClauses, changes: PipeClauseChanges): PipeClauses {
  const alter = (role: PluginRole, old: ClauseAttributes, change: ClauseChange | null): ClauseAttributes => {
    if (change === null) return old;
    if (change.mode === 'replace') return change.attributes;
    const given = new Map(change.attributes.map(([k, v]) => [meaningOf(role, k), [k, v] as const]));
    const out = old.map(([k, v]) => {
      const replacement = given.get(meaningOf(role, k));
      if (replacement === undefined) return [k, v] as const;
      given.delete(meaningOf(role, k));
      return replacement;
    });
    return [...out, ...given.values()];
  };
  return {
    extractor: alter('extractor', clauses.extractor, changes.extractor),
    processor: alter('processor', clauses.processor, changes.processor),
    connector: alter('connector', clauses.connector, changes.connector),
  };
}
