import { EngineError, StatusCode } from '../../engine/errors.js';
import type { AuthApplier, AuthChange, AuthFeed, PasswordSecret } from '../../pipe/auth/auth-sync.js';
import { isPasswordHash } from './password-hash.js';
import { SUPER_USER, type UserStore } from './user-store.js';

/** The node's users as pipe sources read them. */
export function authFeedOf(users: UserStore): AuthFeed {
  return {
    snapshot: () => users.snapshot(),
    changesAfter: (seq, limit) => users.changesAfter(seq, limit),
    onChange: (listener) => users.onChange(listener),
  };
}

/** What a sending user needs for each change: IoTDB 1.3's MANAGE_USER, or a 1.2 name that allowed it. */
const NEEDS: Readonly<Record<AuthChange['kind'], readonly string[]>> = {
  'create-user': ['MANAGE_USER', 'CREATE_USER'],
  'set-password': ['MANAGE_USER', 'MODIFY_PASSWORD'],
  'drop-user': ['MANAGE_USER', 'DELETE_USER'],
  grant: ['MANAGE_USER', 'GRANT_USER_PRIVILEGE'],
  revoke: ['MANAGE_USER', 'REVOKE_USER_PRIVILEGE'],
};

/** The hash to store for a received password (a password as typed is hashed here). */
function hashOf(secret: PasswordSecret): string | { plain: string } {
  if (secret.form === 'hash' || (secret.form === 'either' && isPasswordHash(secret.text))) return secret.text;
  return { plain: secret.text };
}

/**
 * The node's users as pipe receivers change them. The sender's user needs MANAGE_USER;
 * a change already in effect succeeds (a pipe that starts again ships its snapshot again),
 * and `root` is left as it is but for its password, as IoTDB's receiver does.
 */
export function authApplierOf(users: UserStore): AuthApplier {
  return {
    async apply(change, sender) {
      const need = NEEDS[change.kind];
      const denied = users.deniedMessage(sender, { name: need[0]!, privileges: need });
      if (denied !== null) throw new EngineError(StatusCode.NO_PERMISSION, denied);
      switch (change.kind) {
        case 'create-user': {
          // Already there: the same user shipped again, or one of this node's own, which stays as it is.
          if (users.exists(change.user)) return;
          const hash = hashOf(change.password);
          if (typeof hash === 'string') users.createUserWithHash(change.user, hash);
          else await users.createUser(change.user, hash.plain);
          return;
        }
        case 'set-password': {
          const hash = hashOf(change.password);
          if (typeof hash === 'string') users.setPasswordHash(change.user, hash);
          else await users.setPassword(change.user, hash.plain);
          return;
        }
        case 'drop-user':
          if (users.exists(change.user)) users.dropUser(change.user);
          return;
        case 'grant':
          if (change.user === SUPER_USER) return; // root holds every privilege already
          users.grant(change.user, change.privileges, change.paths, change.grantOption);
          return;
        case 'revoke':
          if (change.user === SUPER_USER) return;
          try {
            users.revoke(change.user, change.privileges, change.paths);
          } catch (error) {
            // Not held (revoked before, or never granted here): nothing to take away.
            if (!(error instanceof EngineError) || error.code !== StatusCode.NOT_HAS_PRIVILEGE) throw error;
          }
          return;
      }
    },
  };
}
