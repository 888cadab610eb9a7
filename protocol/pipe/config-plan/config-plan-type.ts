// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Config plans".

/**
 * The int16 codes IoTDB 1.3 writes first in every serialized ConfigPhysicalPlan
 * (ConfigPhysicalPlanType) that this codec names: the database plans a config-region pipe
 * sends. Others are refused by number.
 */
export const ConfigPlanType = {
  CREATE_DATABASE: 200,
  SET_TTL: 201,
  DELETE_DATABASE: 206,
  ALTER_DATABASE: 210,
} as const;

export type ConfigPlanTypeCode = (typeof ConfigPlanType)[keyof typeof ConfigPlanType];

const namesByCode = new Map<number, string>(Object.entries(ConfigPlanType).map(([name, code]) => [code, name]));

/** `NAME (code)` for the codes above, `config plan type <code>` for any other. */
export function describeConfigPlanType(code: number): string {
  const name = namesByCode.get(code);
  return name === undefined ? `config plan type ${code}` : `${name} (${code})`;
}
