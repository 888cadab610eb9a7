/**
 * What auth sync moves between nodes, and the two small interfaces through which a pipe
 * reads the node's users (the source) and a receiver changes them (the applier). The node
 * implements both over its user store; the pipe layer never sees the store.
 */

/**
 * A password as a plan carries it: `hash` is a stored hash (stored as given, so the same
 * password logs in on both nodes), `plain` a password as typed (an IoTDB sender's
 * CreateUser), `either` a text that is one or the other (IoTDB's UpdateUser carries the
 * password as typed; ours carries the hash; the node tells them apart).
 */
export interface PasswordSecret {
  readonly form: 'hash' | 'plain' | 'either';
  readonly text: string;
}

/**
 * One change to the users, as a statement would make it: `privileges` are names
 * (READ_DATA, MANAGE_USER, ...); `paths` are node arrays (`['root', 'sg', '**']`), used by
 * the path privileges only; no paths means `root.**`.
 */
export type AuthChange =
  | { readonly kind: 'create-user'; readonly user: string; readonly password: PasswordSecret }
  | { readonly kind: 'set-password'; readonly user: string; readonly password: PasswordSecret }
  | { readonly kind: 'drop-user'; readonly user: string }
  | {
      readonly kind: 'grant';
      readonly user: string;
      readonly privileges: readonly string[];
      readonly paths: readonly (readonly string[])[];
      readonly grantOption: boolean;
    }
  | {
      readonly kind: 'revoke';
      readonly user: string;
      readonly privileges: readonly string[];
      readonly paths: readonly (readonly string[])[];
    };

/** A change with its place in the node's log of user changes (1, 2, ...). */
export interface LoggedAuthChange {
  readonly seq: number;
  readonly change: AuthChange;
}

/** The node's users as a pipe source reads them. */
export interface AuthFeed {
  /**
   * Every user but the super user with its password hash, then every grant they hold
   * (users before grants), and the log position the picture stands at.
   */
  snapshot(): { readonly through: number; readonly changes: readonly AuthChange[] };
  /**
   * The logged changes after `seq`, oldest first, at most `limit`; null when the log no
   * longer reaches back to `seq` (the pipe then ships a fresh snapshot).
   */
  changesAfter(seq: number, limit: number): readonly LoggedAuthChange[] | null;
  /** Calls `listener` after every logged change; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** The node's users as a receiver changes them. */
export interface AuthApplier {
  /**
   * Applies a change for `sender` (the user the sending pipe logged in as): refused with
   * IoTDB's 803 when that user may not manage users; a change already in effect (a user
   * created again with the same hash, a drop of a user that is gone, a revoke of what is
   * not held) succeeds. Throws an EngineError with IoTDB's status otherwise.
   */
  apply(change: AuthChange, sender: string): Promise<void>;
}
