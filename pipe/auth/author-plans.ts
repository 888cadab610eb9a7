import { formatPath, parsePath } from '../../engine/path/path.js';
import { PayloadError } from '../../protocol/payload-error.js';
import {
  type AuthorPlan,
  AuthorPlanType,
  isPathPrivilegeOrdinal,
  PRIVILEGE_ORDINALS,
  privilegeOrdinal,
} from '../../protocol/pipe/config-plan/author-plan.js';
import type { AuthChange } from './auth-sync.js';

const ALL_PATHS = 'root.**';

function plan(type: AuthorPlan['type'], fields: Partial<AuthorPlan>): AuthorPlan {
  // Unused strings go as empty strings, as IoTDB's statements build them.
  return {
    type,
    userName: '',
    roleName: '',
    password: '',
    newPassword: '',
    permissions: [],
    paths: [],
    grantOpt: false,
    ...fields,
  };
}

/**
 * The IoTDB plans that make `change` on a receiver. A password travels as its stored hash:
 * a new user as CreateUserWithRawPassword (IoTDB's plan for a user whose password is
 * already hashed), a new password in UpdateUser. A grant or revoke becomes one plan for
 * its global privileges and one per path for its path privileges. `unsent` names the
 * privileges IoTDB 1.3 has no code for (IoTDB 1.2's names), which cannot travel.
 */
export function plansOfChange(change: AuthChange): { plans: AuthorPlan[]; unsent: string[] } {
  switch (change.kind) {
    case 'create-user':
      return {
        plans: [
          plan(AuthorPlanType.CreateUserWithRawPassword, { userName: change.user, password: change.password.text }),
        ],
        unsent: [],
      };
    case 'set-password':
      return {
        plans: [plan(AuthorPlanType.UpdateUser, { userName: change.user, newPassword: change.password.text })],
        unsent: [],
      };
    case 'drop-user':
      return { plans: [plan(AuthorPlanType.DropUser, { userName: change.user })], unsent: [] };
    case 'grant':
    case 'revoke': {
      const type = change.kind === 'grant' ? AuthorPlanType.GrantUser : AuthorPlanType.RevokeUser;
      const grantOpt = change.kind === 'grant' && change.grantOption;
      const global: number[] = [];
      const onPaths: number[] = [];
      const unsent: string[] = [];
      for (const name of change.privileges) {
        const ordinal = privilegeOrdinal(name);
        if (ordinal === undefined) unsent.push(name);
        else if (isPathPrivilegeOrdinal(ordinal)) onPaths.push(ordinal);
        else global.push(ordinal);
      }
      const plans: AuthorPlan[] = [];
      if (global.length > 0) plans.push(plan(type, { userName: change.user, permissions: global, grantOpt }));
      if (onPaths.length > 0) {
        const paths = change.paths.length === 0 ? [ALL_PATHS] : change.paths.map(formatPath);
        for (const path of paths) {
          plans.push(plan(type, { userName: change.user, permissions: onPaths, paths: [path], grantOpt }));
        }
      }
      return { plans, unsent };
    }
  }
}

function userOf(p: AuthorPlan): string {
  if (p.userName === null || p.userName === '') throw new PayloadError(`author plan ${p.type}: no user name`);
  return p.userName;
}

function secretOf(text: string | null, what: string): string {
  if (text === null) throw new PayloadError(`author plan: no ${what}`);
  return text;
}

/**
 * The change a received plan makes, or null for a plan this node cannot apply (roles: the
 * node has none). Unknown privilege ordinals are a PayloadError.
 */
export function changeOfPlan(p: AuthorPlan): AuthChange | null {
  switch (p.type) {
    case AuthorPlanType.CreateUser:
      return {
        kind: 'create-user',
        user: userOf(p),
        password: { form: 'plain', text: secretOf(p.password, 'password') },
      };
    case AuthorPlanType.CreateUserWithRawPassword:
      return {
        kind: 'create-user',
        user: userOf(p),
        password: { form: 'hash', text: secretOf(p.password, 'password') },
      };
    case AuthorPlanType.UpdateUser:
      return {
        kind: 'set-password',
        user: userOf(p),
        password: { form: 'either', text: secretOf(p.newPassword, 'new password') },
      };
    case AuthorPlanType.DropUser:
      return { kind: 'drop-user', user: userOf(p) };
    case AuthorPlanType.GrantUser:
    case AuthorPlanType.RevokeUser: {
      const privileges = (p.permissions ?? []).map((ordinal) => {
        const name = PRIVILEGE_ORDINALS[ordinal];
        if (name === undefined) throw new PayloadError(`author plan: unknown privilege ordinal ${ordinal}`);
        return name;
      });
      const paths = p.paths.map((path) => {
        try {
          return parsePath(path, true);
        } catch (error) {
          throw new PayloadError(`author plan: illegal path '${path}': ${(error as Error).message}`);
        }
      });
      return p.type === AuthorPlanType.GrantUser
        ? { kind: 'grant', user: userOf(p), privileges, paths, grantOption: p.grantOpt }
        : { kind: 'revoke', user: userOf(p), privileges, paths };
    }
    default:
      return null;
  }
}
