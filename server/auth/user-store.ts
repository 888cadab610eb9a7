import Database from 'better-sqlite3';
import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatPath } from '../../engine/path/path.js';
import type { AuthChange, LoggedAuthChange } from '../../pipe/auth/auth-sync.js';
import { hashPassword, isPasswordHash, verifyPassword } from './password-hash.js';
import { patternCovers } from './pattern-cover.js';
import { expandPrivilege, isPathPrivilege, type PrivilegeRequirement } from './privileges.js';

export const SUPER_USER = 'root';
const DEFAULT_PASSWORD = 'root';
const ALL_PATHS: readonly string[] = ['root', '**'];
const NAME_LENGTH_MIN = 4;
const NAME_LENGTH_MAX = 32;
/** Changes kept in the log for pipes that ship users; one behind that ships a snapshot again. */
const CHANGE_LOG_KEPT = 10_000;

export interface GrantedPrivilege {
  readonly privilege: string;
  /** Node array; `root.**` for a global privilege. */
  readonly path: readonly string[];
  readonly grantOption: boolean;
}

export type LoginResult = 'ok' | 'no-such-user' | 'wrong-password';

/**
 * Users, hashed passwords and granted privileges, in SQLite in the node's system folder.
 * `root` exists from the first start (password `root`) and holds every privilege. Every
 * change is also appended, in the same transaction, to a numbered log that pipes which
 * ship users read from (the last CHANGE_LOG_KEPT changes are kept).
 */
export class UserStore {
  private readonly db: Database.Database;
  private readonly grants = new Map<string, GrantedPrivilege[]>();
  private readonly listeners = new Set<() => void>();

  private constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS grants (
        user TEXT NOT NULL, privilege TEXT NOT NULL, path TEXT NOT NULL, grant_option INTEGER NOT NULL,
        PRIMARY KEY (user, privilege, path));
      CREATE TABLE IF NOT EXISTS change_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, change TEXT NOT NULL);`);
    for (const row of this.db.prepare('SELECT user, privilege, path, grant_option FROM grants').all() as {
      user: string;
      privilege: string;
      path: string;
      grant_option: number;
    }[]) {
      this.grantsOf(row.user).push({
        privilege: row.privilege,
        path: JSON.parse(row.path) as string[],
        grantOption: row.grant_option === 1,
      });
    }
  }

  static async open(file: string): Promise<UserStore> {
    const store = new UserStore(file);
    if (!store.exists(SUPER_USER)) {
      store.db
        .prepare('INSERT INTO users (name, password) VALUES (?, ?)')
        .run(SUPER_USER, await hashPassword(DEFAULT_PASSWORD));
    }
    return store;
  }

  exists(user: string): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE name = ?').get(user) !== undefined;
  }

  async login(user: string, password: string): Promise<LoginResult> {
    const row = this.db.prepare('SELECT password FROM users WHERE name = ?').get(user) as
      | { password: string }
      | undefined;
    if (row === undefined) return 'no-such-user';
    return (await verifyPassword(password, row.password)) ? 'ok' : 'wrong-password';
  }

  listUsers(): string[] {
    return (this.db.prepare('SELECT name FROM users ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  }

  async createUser(user: string, password: string): Promise<void> {
    checkName(user);
    checkPassword(password);
    if (this.exists(user)) throw alreadyExists(user);
    this.insertUser(user, await hashPassword(password));
  }

  /** Creates a user whose password arrives already hashed (auth sync): stored as given. */
  createUserWithHash(user: string, hash: string): void {
    checkName(user);
    checkHash(user, hash);
    if (this.exists(user)) throw alreadyExists(user);
    this.insertUser(user, hash);
  }

  /** The stored hash of a user's password, or undefined when there is no such user. */
  passwordHash(user: string): string | undefined {
    const row = this.db.prepare('SELECT password FROM users WHERE name = ?').get(user) as
      | { password: string }
      | undefined;
    return row?.password;
  }

  private insertUser(user: string, hash: string): void {
    // Checked again here: a hash is computed between the check and the insert.
    if (this.exists(user)) throw alreadyExists(user);
    this.changed({ kind: 'create-user', user, password: { form: 'hash', text: hash } }, () =>
      this.db.prepare('INSERT INTO users (name, password) VALUES (?, ?)').run(user, hash),
    );
  }

  dropUser(user: string): void {
    if (user === SUPER_USER) throw new EngineError(StatusCode.NO_PERMISSION, 'Default administrator cannot be deleted');
    this.mustExist(user);
    this.changed({ kind: 'drop-user', user }, () => {
      this.db.prepare('DELETE FROM users WHERE name = ?').run(user);
      this.db.prepare('DELETE FROM grants WHERE user = ?').run(user);
    });
    this.grants.delete(user);
  }

  async setPassword(user: string, password: string): Promise<void> {
    this.mustExist(user);
    checkPassword(password);
    this.setPasswordHash(user, await hashPassword(password));
  }

  /** Sets a password that arrives already hashed (auth sync). */
  setPasswordHash(user: string, hash: string): void {
    checkHash(user, hash);
    this.mustExist(user);
    this.changed({ kind: 'set-password', user, password: { form: 'hash', text: hash } }, () =>
      this.db.prepare('UPDATE users SET password = ? WHERE name = ?').run(hash, user),
    );
  }

  /** Grants privilege words (shorthands expanded) on paths; global privileges ignore the paths. */
  grant(user: string, words: readonly string[], paths: readonly (readonly string[])[], grantOption: boolean): void {
    this.mustExist(user);
    const insert = this.db.prepare(
      'INSERT INTO grants (user, privilege, path, grant_option) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (user, privilege, path) DO UPDATE SET grant_option = MAX(grant_option, excluded.grant_option)',
    );
    const added: GrantedPrivilege[] = [];
    for (const privilege of words.flatMap(expandPrivilege)) {
      for (const path of isPathPrivilege(privilege) && paths.length > 0 ? paths : [ALL_PATHS]) {
        added.push({ privilege, path, grantOption });
      }
    }
    const privileges = words.flatMap(expandPrivilege);
    this.changed({ kind: 'grant', user, privileges, paths, grantOption }, () => {
      for (const g of added) insert.run(user, g.privilege, JSON.stringify(g.path), g.grantOption ? 1 : 0);
    });
    const list = this.grantsOf(user);
    for (const g of added) {
      const same = list.findIndex((x) => x.privilege === g.privilege && samePath(x.path, g.path));
      if (same < 0) list.push(g);
      else list[same] = { ...g, grantOption: list[same]!.grantOption || g.grantOption };
    }
  }

  /** Revokes privilege words on paths; revoking what was never granted is an error, as in IoTDB. */
  revoke(user: string, words: readonly string[], paths: readonly (readonly string[])[]): void {
    this.mustExist(user);
    const list = this.grantsOf(user);
    const removed: GrantedPrivilege[] = [];
    for (const privilege of words.flatMap(expandPrivilege)) {
      for (const path of isPathPrivilege(privilege) && paths.length > 0 ? paths : [ALL_PATHS]) {
        const found = list.find((x) => x.privilege === privilege && samePath(x.path, path));
        if (found !== undefined) removed.push(found);
      }
    }
    if (removed.length === 0) {
      throw new EngineError(
        StatusCode.NOT_HAS_PRIVILEGE,
        `User ${user} does not have the privileges ${words.join(', ')} on the given paths`,
      );
    }
    const remove = this.db.prepare('DELETE FROM grants WHERE user = ? AND privilege = ? AND path = ?');
    this.changed({ kind: 'revoke', user, privileges: words.flatMap(expandPrivilege), paths }, () => {
      for (const g of removed) remove.run(user, g.privilege, JSON.stringify(g.path));
    });
    this.grants.set(
      user,
      list.filter((g) => !removed.includes(g)),
    );
  }

  privilegesOf(user: string): readonly GrantedPrivilege[] {
    this.mustExist(user);
    if (user === SUPER_USER)
      return expandPrivilege('ALL').map((privilege) => ({ privilege, path: ALL_PATHS, grantOption: true }));
    return this.grantsOf(user);
  }

  /** Null when `user` may do it; otherwise the denial message. `root` may do everything. */
  deniedMessage(user: string, need: PrivilegeRequirement): string | null {
    if (user === SUPER_USER) return null;
    const held = this.grantsOf(user).filter((g) => need.privileges.includes(g.privilege));
    if (need.paths === undefined) {
      return held.length > 0 ? null : `No permissions for this operation, please add privilege ${need.name}`;
    }
    const uncovered = need.paths.filter((p) => !held.some((g) => patternCovers(g.path, p)));
    if (uncovered.length === 0) return null;
    return `No permissions for this operation, please add privilege ${need.name} on [${uncovered.map(formatPath).join(', ')}]`;
  }

  /**
   * Every user but `root` with its hash, then the grants each holds (global privileges
   * together, path privileges together per path and grant option), and the log position
   * this picture stands at. Read in one go: no change can fall between picture and position.
   */
  snapshot(): { through: number; changes: AuthChange[] } {
    const users = (
      this.db.prepare('SELECT name, password FROM users ORDER BY name').all() as {
        name: string;
        password: string;
      }[]
    ).filter((u) => u.name !== SUPER_USER);
    const changes: AuthChange[] = users.map((u) => ({
      kind: 'create-user',
      user: u.name,
      password: { form: 'hash', text: u.password },
    }));
    for (const { name: user } of users) {
      const groups = new Map<string, { privileges: string[]; path: readonly string[]; grantOption: boolean }>();
      for (const g of this.grantsOf(user)) {
        const path = isPathPrivilege(g.privilege) ? g.path : ALL_PATHS;
        const key = `${JSON.stringify(path)}|${g.grantOption}`;
        const group = groups.get(key) ?? { privileges: [], path, grantOption: g.grantOption };
        group.privileges.push(g.privilege);
        groups.set(key, group);
      }
      for (const g of groups.values()) {
        changes.push({ kind: 'grant', user, privileges: g.privileges, paths: [g.path], grantOption: g.grantOption });
      }
    }
    return { through: this.lastChange(), changes };
  }

  /** The logged changes after `seq`, at most `limit`; null when the log no longer reaches back to `seq`. */
  changesAfter(seq: number, limit: number): LoggedAuthChange[] | null {
    const first = (this.db.prepare('SELECT MIN(seq) AS first FROM change_log').get() as { first: number | null }).first;
    if (first !== null && seq + 1 < first) return null;
    if (first === null && seq < this.lastChange()) return null;
    return (
      this.db.prepare('SELECT seq, change FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as {
        seq: number;
        change: string;
      }[]
    ).map((row) => ({ seq: row.seq, change: JSON.parse(row.change) as AuthChange }));
  }

  /** The position of the last logged change (0 before the first). */
  lastChange(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").get() as
      | { seq: number }
      | undefined;
    return row?.seq ?? 0;
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    this.db.close();
  }

  /** Runs `write` and logs `change` in one transaction, then tells the listeners. */
  private changed(change: AuthChange, write: () => void): void {
    this.db.transaction(() => {
      write();
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO change_log (change) VALUES (?)')
        .run(JSON.stringify(change));
      this.db.prepare('DELETE FROM change_log WHERE seq <= ?').run(Number(lastInsertRowid) - CHANGE_LOG_KEPT);
    })();
    for (const listener of this.listeners) listener();
  }

  private grantsOf(user: string): GrantedPrivilege[] {
    let list = this.grants.get(user);
    if (list === undefined) {
      list = [];
      this.grants.set(user, list);
    }
    return list;
  }

  private mustExist(user: string): void {
    if (!this.exists(user)) throw new EngineError(StatusCode.USER_NOT_EXIST, `User ${user} does not exist`);
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/** IoTDB's rule for user names and passwords: 4 to 32 characters, no blanks. */
function checkCredential(what: 'name' | 'password', text: string, code: number): void {
  if (text.length < NAME_LENGTH_MIN || text.length > NAME_LENGTH_MAX || /\s/.test(text)) {
    throw new EngineError(
      code as EngineError['code'],
      `The length of ${what} must be between ${NAME_LENGTH_MIN} and ${NAME_LENGTH_MAX} and it cannot contain spaces`,
    );
  }
}

function alreadyExists(user: string): EngineError {
  return new EngineError(StatusCode.USER_ALREADY_EXIST, `User ${user} already exists`);
}

function checkHash(user: string, hash: string): void {
  if (!isPasswordHash(hash)) {
    throw new EngineError(
      StatusCode.ILLEGAL_PASSWORD,
      `The password of user ${user} does not arrive as a password hash of this node (scrypt); IoTDB's own hashes cannot be checked here`,
    );
  }
}

function checkName(user: string): void {
  checkCredential('name', user, StatusCode.ILLEGAL_PARAMETER);
}

function checkPassword(password: string): void {
  checkCredential('password', password, StatusCode.ILLEGAL_PASSWORD);
}
