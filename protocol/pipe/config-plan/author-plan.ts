// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Author plans".
//
//   authorPlan := type:int16be userName:nstring roleName:nstring password:nstring
//                 newPassword:nstring permissions paths grantOpt:int32be
//   permissions := u8(0) | u8(1) count:int32be ordinal:int32be{count}
//   paths       := count:int32be path:nstring{count}
//
// IoTDB 1.3's AuthorPlan (ConfigPhysicalPlan.serializeImpl), the body of a
// TRANSFER_CONFIG_PLAN request that carries a user change.

import { ByteReader } from '../../../tsfile/io/byte-reader.js';
import { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { PayloadError } from '../../payload-error.js';
import type { TPipeTransferReq } from '../../rpc-types.js';
import { readCount } from '../pipe-bytes.js';
import { PIPE_REQUEST_VERSION, PipeRequestType } from '../pipe-request-type.js';
import { readByte, readInt16, readInt32, readNullableString } from '../plan-node/plan-node-bytes.js';

/** The ConfigPhysicalPlanType codes of the user and role plans (IoTDB 1.2 and later). */
export const AuthorPlanType = {
  CreateUser: 621,
  CreateRole: 622,
  DropUser: 623,
  DropRole: 624,
  GrantRole: 625,
  GrantUser: 626,
  GrantRoleToUser: 627,
  RevokeUser: 628,
  RevokeRole: 629,
  RevokeRoleFromUser: 630,
  UpdateUser: 631,
  CreateUserWithRawPassword: 638,
} as const;

export type AuthorPlanType = (typeof AuthorPlanType)[keyof typeof AuthorPlanType];

const AUTHOR_PLAN_TYPES: ReadonlySet<number> = new Set(Object.values(AuthorPlanType));

export function isAuthorPlanType(code: number): code is AuthorPlanType {
  return AUTHOR_PLAN_TYPES.has(code);
}

/**
 * IoTDB 1.3's PrivilegeType in declaration order: a privilege travels as its ordinal.
 * USE_MODEL is not in IoTDB 1.3.0's list; it travels as the next ordinal.
 */
export const PRIVILEGE_ORDINALS: readonly string[] = [
  'READ_DATA',
  'WRITE_DATA',
  'READ_SCHEMA',
  'WRITE_SCHEMA',
  'MANAGE_USER',
  'MANAGE_ROLE',
  'USE_TRIGGER',
  'USE_UDF',
  'USE_CQ',
  'USE_PIPE',
  'EXTEND_TEMPLATE',
  'MANAGE_DATABASE',
  'MAINTAIN',
  'AUDIT',
  'USE_MODEL',
];

/** IoTDB 1.3's path-relevant privileges are the first four; the others are global. */
export function isPathPrivilegeOrdinal(ordinal: number): boolean {
  return ordinal >= 0 && ordinal < 4;
}

/** The ordinal a privilege travels as, or undefined for a name IoTDB 1.3 has no ordinal for. */
export function privilegeOrdinal(name: string): number | undefined {
  const at = PRIVILEGE_ORDINALS.indexOf(name);
  return at < 0 ? undefined : at;
}

export interface AuthorPlan {
  readonly type: AuthorPlanType;
  readonly userName: string | null;
  readonly roleName: string | null;
  readonly password: string | null;
  readonly newPassword: string | null;
  /** Privilege ordinals; null is written as the absent flag. */
  readonly permissions: readonly number[] | null;
  /** Full paths (`root.sg.**`). */
  readonly paths: readonly string[];
  readonly grantOpt: boolean;
}

function writeNullableString(out: ByteWriter, text: string | null): void {
  if (text === null) {
    out.writeInt32(-1);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  out.writeInt32(bytes.length);
  out.writeBytes(bytes);
}

/** The plan's bytes, type code first, as AuthorPlan.serializeImpl writes them. */
export function encodeAuthorPlan(plan: AuthorPlan): Buffer {
  const out = new ByteWriter(64);
  writeAuthorPlan(out, plan);
  return out.toBuffer();
}

/** The TRANSFER_CONFIG_PLAN request that carries the plan, as IoTDB's config-region pipe sends it. */
export function encodeAuthorPlanRequest(plan: AuthorPlan): TPipeTransferReq {
  return { version: PIPE_REQUEST_VERSION, type: PipeRequestType.TRANSFER_CONFIG_PLAN, body: encodeAuthorPlan(plan) };
}

/** Writes the plan, type code first. */
export function writeAuthorPlan(out: ByteWriter, plan: AuthorPlan): void {
  out.writeInt16(plan.type);
  writeNullableString(out, plan.userName);
  writeNullableString(out, plan.roleName);
  writeNullableString(out, plan.password);
  writeNullableString(out, plan.newPassword);
  if (plan.permissions === null) out.writeUInt8(0);
  else {
    out.writeUInt8(1);
    out.writeInt32(plan.permissions.length);
    for (const p of plan.permissions) out.writeInt32(p);
  }
  out.writeInt32(plan.paths.length);
  for (const path of plan.paths) writeNullableString(out, path);
  out.writeInt32(plan.grantOpt ? 1 : 0);
}

/** Reads a whole plan, type code first; anything malformed or left over is a PayloadError. */
export function decodeAuthorPlan(bytes: Uint8Array): AuthorPlan {
  const r = ByteReader.of(bytes);
  const type = readInt16(r, 'author plan: type');
  if (!isAuthorPlanType(type)) throw new PayloadError(`author plan: ${type} is not a user or role plan type`);
  const plan = readAuthorPlanBody(type, r);
  if (r.remaining > 0) throw new PayloadError(`author plan: ${r.remaining} bytes left over`);
  return plan;
}

/** Reads the plan after its type code. */
export function readAuthorPlanBody(type: AuthorPlanType, r: ByteReader): AuthorPlan {
  const userName = readNullableString(r, 'author plan: user name');
  const roleName = readNullableString(r, 'author plan: role name');
  const password = readNullableString(r, 'author plan: password');
  const newPassword = readNullableString(r, 'author plan: new password');
  const flag = readByte(r, 'author plan: permissions flag');
  let permissions: number[] | null = null;
  if (flag === 1) {
    const count = readCount(r, 'author plan: permissions', 4);
    permissions = [];
    for (let i = 0; i < count; i++) permissions.push(readInt32(r, `author plan: permission ${i}`));
  } else if (flag !== 0) {
    throw new PayloadError(`author plan: permissions flag ${flag}, expected 0 or 1`);
  }
  const pathCount = readCount(r, 'author plan: paths', 4);
  const paths: string[] = [];
  for (let i = 0; i < pathCount; i++) {
    const path = readNullableString(r, `author plan: path ${i}`);
    if (path === null) throw new PayloadError(`author plan: path ${i} is null`);
    paths.push(path);
  }
  const grantOpt = readInt32(r, 'author plan: grant option') > 0;
  return { type, userName, roleName, password, newPassword, permissions, paths, grantOpt };
}
