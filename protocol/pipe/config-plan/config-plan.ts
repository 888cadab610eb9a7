// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Config plans".
//
//   configPlan := type:int16be plan          (ConfigPhysicalPlan.serializeToByteBuffer)
//
// The one place config plans are told apart by their type code: a plan kind added here
// (its codec in a file of its own) is read, written and dispatched by the receiver.

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { ConfigPlanType } from './config-plan-type.js';
import {
  readDatabaseSchema,
  readDeleteDatabasePlan,
  writeCreateDatabasePlan,
  writeDeleteDatabasePlan,
} from './database-plans.js';

/** A config-node plan a TRANSFER_CONFIG_PLAN request carries. */
export type ConfigPlan =
  | { readonly kind: 'create-database'; readonly name: string }
  | { readonly kind: 'delete-database'; readonly name: string };

/** The ConfigPhysicalPlanType codes this codec reads; a request with any other is refused by name. */
export const CONFIG_PLAN_TYPES_READ: ReadonlySet<number> = new Set([
  ConfigPlanType.CREATE_DATABASE,
  ConfigPlanType.DELETE_DATABASE,
]);

/** Writes the plan, type code first. */
export function writeConfigPlan(out: ByteWriter, plan: ConfigPlan): void {
  switch (plan.kind) {
    case 'create-database':
      writeCreateDatabasePlan(out, plan.name);
      return;
    case 'delete-database':
      writeDeleteDatabasePlan(out, plan.name);
      return;
  }
}

/** Reads the plan after its type code `code`, one of CONFIG_PLAN_TYPES_READ. */
export function readConfigPlan(code: number, r: ByteReader): ConfigPlan {
  switch (code) {
    case ConfigPlanType.CREATE_DATABASE:
      return { kind: 'create-database', name: readDatabaseSchema(r) };
    case ConfigPlanType.DELETE_DATABASE:
      return { kind: 'delete-database', name: readDeleteDatabasePlan(r) };
    default:
      throw new RangeError(`config plan type ${code} is not one of CONFIG_PLAN_TYPES_READ`);
  }
}
