import { PipeParameterError } from '../plugin/parameter-spec.js';

/**
 * What kinds of events a pipe carries: IoTDB's `source.inclusion` and
 * `source.inclusion.exclusion`. Each value is a comma-separated list of dotted prefixes
 * (`*` one node, `**` any nodes) over IoTDB's option tree below; a prefix selects every
 * leaf it starts, the exclusion's leaves are taken away from the inclusion's. A prefix that
 * selects no leaf is refused, and so is a pipe left with no leaf at all.
 */
export const INCLUSION_LEAVES: readonly string[] = [
  'data.insert',
  'data.delete',
  'schema.database.create',
  'schema.database.alter',
  'schema.database.drop',
  'schema.timeseries.view.create',
  'schema.timeseries.view.alter',
  'schema.timeseries.view.drop',
  'schema.timeseries.ordinary.create',
  'schema.timeseries.ordinary.alter',
  'schema.timeseries.ordinary.drop',
  'schema.timeseries.template.create',
  'schema.timeseries.template.set',
  'schema.timeseries.template.unset',
  'schema.timeseries.template.alter',
  'schema.timeseries.template.drop',
  'schema.timeseries.template.activate',
  'schema.timeseries.template.deactivate',
  'schema.ttl',
  'auth.role.create',
  'auth.role.drop',
  'auth.role.grant',
  'auth.role.revoke',
  'auth.user.create',
  'auth.user.alter',
  'auth.user.drop',
  'auth.user.grant',
  'auth.user.revoke',
];

const SCHEMA_DELETE = [
  'schema.database.drop',
  'schema.timeseries.ordinary.drop',
  'schema.timeseries.view.drop',
  'schema.timeseries.template.drop',
  'schema.timeseries.template.unset',
  'schema.timeseries.template.deactivate',
];
const AUTH_DELETE = ['auth.role.drop', 'auth.role.revoke', 'auth.user.drop', 'auth.user.revoke'];

/** Words that stand for several prefixes (IoTDB's aliases); `delete` is every deleting leaf. */
const ALIASES: ReadonlyMap<string, readonly string[]> = new Map([
  ['all', ['data', 'schema', 'auth']],
  ['delete', ['data.delete', ...SCHEMA_DELETE, ...AUTH_DELETE]],
  ['schema.delete', SCHEMA_DELETE],
  ['auth.delete', AUTH_DELETE],
]);

/** IoTDB 1.3's default: inserted data only (no deletions, no schema, no users). */
export const INCLUSION_DEFAULT = 'data.insert';

/** What a pipe carries, resolved from its inclusion and exclusion. */
export interface PipeInclusion {
  readonly dataInsert: boolean;
  readonly dataDelete: boolean;
  /** Databases are created on the receiver (`schema.database.create`). */
  readonly schemaDatabase: boolean;
  /** DELETE DATABASE is carried (`schema.database.drop`). */
  readonly schemaDatabaseDrop: boolean;
  /** Time series are created on the receiver (`schema.timeseries.ordinary.create`). */
  readonly schemaTimeseries: boolean;
  /** DELETE TIMESERIES is carried (`schema.timeseries.ordinary.drop`). */
  readonly schemaTimeseriesDrop: boolean;
  /** Any `auth.*` leaf is selected. */
  readonly auth: boolean;
  /** Every selected leaf of INCLUSION_LEAVES, for finer questions (`auth.user.grant`). */
  readonly leaves: ReadonlySet<string>;
}

/** Whether dotted pattern `p` (with `*`, `**`) matches the first nodes of `leaf` (a prefix or all of it). */
function startsLeaf(p: readonly string[], leaf: readonly string[]): boolean {
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return true;
    if (p[i] === '**') {
      for (let k = j + 1; k <= leaf.length; k++) if (match(i + 1, k)) return true;
      return false;
    }
    if (j === leaf.length) return false;
    return (p[i] === '*' || p[i] === leaf[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}

/** The leaves a list value selects; throws naming `key` for a prefix that selects none. */
function leavesOf(key: string, value: string): Set<string> {
  const out = new Set<string>();
  const items = value
    .toLowerCase()
    .replace(/\s+/g, '')
    .split(',')
    .filter((item) => item !== '');
  for (const item of items) {
    const prefixes = ALIASES.get(item) ?? [item];
    let matched = false;
    for (const prefix of prefixes) {
      const nodes = prefix.split('.');
      for (const leaf of INCLUSION_LEAVES) {
        if (startsLeaf(nodes, leaf.split('.'))) {
          out.add(leaf);
          matched = true;
        }
      }
    }
    if (!matched) {
      throw new PipeParameterError(
        `invalid value '${value}' of '${key}': '${item}' is not an inclusion option (all, data, data.insert, data.delete, schema, schema.database, schema.timeseries, auth, or a prefix of ${INCLUSION_LEAVES.join(', ')})`,
      );
    }
  }
  return out;
}

/**
 * Resolves `inclusion` and `inclusion.exclusion` (null: their defaults). The keys named in
 * errors are the ones a user writes.
 */
export function pipeInclusion(
  inclusion: string | null | undefined,
  exclusion: string | null | undefined,
): PipeInclusion {
  const leaves = leavesOf('source.inclusion', inclusion ?? INCLUSION_DEFAULT);
  for (const leaf of leavesOf('source.inclusion.exclusion', exclusion ?? '')) leaves.delete(leaf);
  if (leaves.size === 0) {
    throw new PipeParameterError(
      `source.inclusion '${inclusion ?? INCLUSION_DEFAULT}' without source.inclusion.exclusion '${exclusion ?? ''}' selects nothing: the pipe would sync nothing`,
    );
  }
  return {
    dataInsert: leaves.has('data.insert'),
    dataDelete: leaves.has('data.delete'),
    schemaDatabase: leaves.has('schema.database.create'),
    schemaDatabaseDrop: leaves.has('schema.database.drop'),
    schemaTimeseries: leaves.has('schema.timeseries.ordinary.create'),
    schemaTimeseriesDrop: leaves.has('schema.timeseries.ordinary.drop'),
    auth: [...leaves].some((leaf) => leaf.startsWith('auth.')),
    leaves,
  };
}

/** The inclusion of an extractor clause's checked parameters (`inclusion`, `inclusion.exclusion`). */
export function inclusionOf(parameters: { get(name: string): string | null | undefined }): PipeInclusion {
  return pipeInclusion(parameters.get('inclusion'), parameters.get('inclusion.exclusion'));
}
