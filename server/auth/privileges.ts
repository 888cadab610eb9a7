/**
 * What a privilege word grants. IoTDB 1.3 has four path-scoped privileges and a handful of
 * global ones; IoTDB 1.2's finer names (CREATE_PIPE, INSERT_TIMESERIES, ...) are still
 * accepted and map onto the same checks, so a 1.2 script keeps working.
 */

/** IoTDB 1.3 privileges that apply to paths. */
export const PATH_PRIVILEGES = ['READ_DATA', 'WRITE_DATA', 'READ_SCHEMA', 'WRITE_SCHEMA'] as const;

/** IoTDB 1.3 privileges that apply to the whole node. */
export const GLOBAL_PRIVILEGES = [
  'MANAGE_USER',
  'MANAGE_ROLE',
  'USE_TRIGGER',
  'USE_UDF',
  'USE_CQ',
  'USE_PIPE',
  'USE_MODEL',
  'EXTEND_TEMPLATE',
  'MANAGE_DATABASE',
  'MAINTAIN',
] as const;

const SHORTHANDS: Readonly<Record<string, readonly string[]>> = {
  READ: ['READ_DATA', 'READ_SCHEMA'],
  WRITE: ['WRITE_DATA', 'WRITE_SCHEMA'],
  ALL: [...PATH_PRIVILEGES, ...GLOBAL_PRIVILEGES],
};

/** The privileges stored for a granted word: shorthands expand, other names stay as written. */
export function expandPrivilege(word: string): readonly string[] {
  const upper = word.toUpperCase();
  return SHORTHANDS[upper] ?? [upper];
}

/** Whether a granted privilege applies to paths (it is then stored with its paths). */
export function isPathPrivilege(privilege: string): boolean {
  return (PATH_PRIVILEGES as readonly string[]).includes(privilege) || LEGACY_PATH_PRIVILEGES.has(privilege);
}

const LEGACY_PATH_PRIVILEGES = new Set([
  'CREATE_TIMESERIES',
  'INSERT_TIMESERIES',
  'READ_TIMESERIES',
  'DELETE_TIMESERIES',
  'ALTER_TIMESERIES',
]);

/**
 * A statement's need: any one of `privileges` suffices; when `paths` is set, every path
 * (node arrays, wildcards allowed) must lie under a path the privilege was granted on.
 * `name` is the 1.3 privilege named in the denial message.
 */
export interface PrivilegeRequirement {
  readonly name: string;
  readonly privileges: readonly string[];
  readonly paths?: readonly (readonly string[])[];
}
