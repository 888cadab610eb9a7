import type { ReceiverAuth, WritePrivilege } from '../../pipe/receiver/receiver-auth.js';
import { SUPER_USER, type UserStore } from './user-store.js';

/** IoTDB 1.2's names that also allow what each 1.3 privilege allows. */
const LEGACY_NAMES: Readonly<Record<WritePrivilege, readonly string[]>> = {
  WRITE_DATA: ['INSERT_TIMESERIES'],
  WRITE_SCHEMA: ['CREATE_TIMESERIES'],
  MANAGE_DATABASE: ['CREATE_DATABASE', 'SET_STORAGE_GROUP', 'DELETE_DATABASE', 'DELETE_STORAGE_GROUP'],
};

/** Privileges held on no path: their requirement names none. */
const GLOBAL: ReadonlySet<WritePrivilege> = new Set(['MANAGE_DATABASE']);

/** The pipe receivers' view of the node's users: logins and path privileges as for sessions. */
export function receiverUsers(users: UserStore, allowAnonymous: boolean): ReceiverAuth {
  return {
    allowAnonymous,
    anonymousUser: SUPER_USER,
    async login(user, password) {
      if ((await users.login(user, password)) === 'ok') return null;
      // The session's wording: a sender learns nothing about which of the two is wrong.
      return { code: 801, message: `Authentication failed: the user name or the password of '${user}' is wrong.` };
    },
    unrestricted: (user) => user === SUPER_USER,
    denied: (user, privilege, paths) =>
      users.deniedMessage(user, {
        name: privilege,
        privileges: [privilege, ...LEGACY_NAMES[privilege]],
        ...(GLOBAL.has(privilege) ? {} : { paths }),
      }),
  };
}
