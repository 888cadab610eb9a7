import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError, StatusCode } from '../../../engine/errors.js';
import type { AuthChange } from '../../../pipe/auth/auth-sync.js';
import { authApplierOf, authFeedOf } from '../../../server/auth/auth-sync-users.js';
import { UserStore } from '../../../server/auth/user-store.js';

const dirs: string[] = [];
const stores: UserStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function store(): Promise<UserStore> {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-auth-sync-'));
  dirs.push(dir);
  const users = await UserStore.open(join(dir, 'users.db'));
  stores.push(users);
  return users;
}

async function refusal(work: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof EngineError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the user change log and snapshot', () => {
  it('logs every change in order, with the hash and never the password', async () => {
    const users = await store();
    const seen: number[] = [];
    users.onChange(() => seen.push(users.lastChange()));
    await users.createUser('alice', 'secret-pw');
    users.grant('alice', ['WRITE_DATA'], [['root', 'sg', '**']], false);
    users.revoke('alice', ['WRITE_DATA'], [['root', 'sg', '**']]);
    await users.setPassword('alice', 'other-pw');
    users.dropUser('alice');
    const log = users.changesAfter(0, 100)!;
    expect(log.map((c) => [c.seq, c.change.kind])).toEqual([
      [1, 'create-user'],
      [2, 'grant'],
      [3, 'revoke'],
      [4, 'set-password'],
      [5, 'drop-user'],
    ]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(JSON.stringify(log)).not.toContain('secret-pw');
    expect(JSON.stringify(log)).not.toContain('other-pw');
    expect(log[0]!.change).toMatchObject({ password: { form: 'hash', text: expect.stringMatching(/^scrypt\$/) } });
    expect(users.changesAfter(3, 100)!.map((c) => c.seq)).toEqual([4, 5]);
    expect(users.changesAfter(5, 100)).toEqual([]);
    // A refused change is not logged.
    expect(() => users.dropUser('alice')).toThrow(/does not exist/);
    expect(users.lastChange()).toBe(5);
  });

  it('pictures users before grants, without root, at the position of the last change', async () => {
    const users = await store();
    await users.createUser('bob1', 'password1');
    await users.createUser('alice', 'password2');
    users.grant('bob1', ['READ'], [['root', 'a', '**']], true);
    users.grant('bob1', ['MANAGE_USER'], [], false);
    const { through, changes } = users.snapshot();
    expect(through).toBe(4);
    expect(changes.map((c) => `${c.kind} ${c.user}`)).toEqual([
      'create-user alice',
      'create-user bob1',
      'grant bob1',
      'grant bob1',
    ]);
    expect(changes[0]).toEqual({
      kind: 'create-user',
      user: 'alice',
      password: { form: 'hash', text: users.passwordHash('alice') },
    });
    expect(changes.slice(2)).toEqual([
      {
        kind: 'grant',
        user: 'bob1',
        privileges: ['READ_DATA', 'READ_SCHEMA'],
        paths: [['root', 'a', '**']],
        grantOption: true,
      },
      { kind: 'grant', user: 'bob1', privileges: ['MANAGE_USER'], paths: [['root', '**']], grantOption: false },
    ]);
  });

  it('feeds the same through the pipe interface', async () => {
    const users = await store();
    const feed = authFeedOf(users);
    let calls = 0;
    const off = feed.onChange(() => calls++);
    await users.createUser('carol', 'password3');
    off();
    await users.createUser('dave1', 'password4');
    expect(calls).toBe(1);
    expect(feed.changesAfter(1, 1)!.map((c) => c.seq)).toEqual([2]);
    expect(feed.snapshot().through).toBe(2);
  });
});

describe('applying received changes', () => {
  const hashFrom = async (password: string) => {
    const source = await store();
    await source.createUser('someone', password);
    return source.passwordHash('someone')!;
  };

  it('stores a shipped hash as given, so the same password logs in', async () => {
    const users = await store();
    const apply = authApplierOf(users);
    const hash = await hashFrom('shipped-pw');
    await apply.apply({ kind: 'create-user', user: 'erin', password: { form: 'hash', text: hash } }, 'root');
    expect(users.passwordHash('erin')).toBe(hash);
    expect(await users.login('erin', 'shipped-pw')).toBe('ok');
    // Again, as a restarted pipe would: nothing changes, no error.
    await apply.apply({ kind: 'create-user', user: 'erin', password: { form: 'hash', text: hash } }, 'root');
    const other = await hashFrom('other-pw');
    await apply.apply({ kind: 'set-password', user: 'erin', password: { form: 'either', text: other } }, 'root');
    expect(await users.login('erin', 'other-pw')).toBe('ok');
    // IoTDB's UpdateUser carries the password as typed: it is hashed here.
    await apply.apply({ kind: 'set-password', user: 'erin', password: { form: 'either', text: 'typed-pw' } }, 'root');
    expect(await users.login('erin', 'typed-pw')).toBe('ok');
    expect(users.passwordHash('erin')).not.toContain('typed-pw');
  });

  it('refuses a hash this node cannot check', async () => {
    const users = await store();
    const apply = authApplierOf(users);
    const md5 = await refusal(
      apply.apply(
        { kind: 'create-user', user: 'frank', password: { form: 'hash', text: 'e10adc3949ba59abbe56e057f20f883e' } },
        'root',
      ),
    );
    expect(md5.code).toBe(StatusCode.ILLEGAL_PASSWORD);
    expect(md5.message).toMatch(/scrypt/);
    const costly = `scrypt$1048576$${'0'.repeat(32)}$${'1'.repeat(64)}`;
    expect(
      (
        await refusal(
          apply.apply({ kind: 'create-user', user: 'frank', password: { form: 'hash', text: costly } }, 'root'),
        )
      ).code,
    ).toBe(StatusCode.ILLEGAL_PASSWORD);
    expect(users.exists('frank')).toBe(false);
  });

  it('grants and revokes as the statements do; repeats succeed', async () => {
    const users = await store();
    const apply = authApplierOf(users);
    await users.createUser('gina', 'password5');
    const grant: AuthChange = {
      kind: 'grant',
      user: 'gina',
      privileges: ['WRITE_DATA'],
      paths: [['root', 'sg', '**']],
      grantOption: false,
    };
    await apply.apply(grant, 'root');
    await apply.apply(grant, 'root');
    const need = { name: 'WRITE_DATA', privileges: ['WRITE_DATA'], paths: [['root', 'sg', 'd', 's']] };
    expect(users.deniedMessage('gina', need)).toBeNull();
    const revoke: AuthChange = {
      kind: 'revoke',
      user: 'gina',
      privileges: ['WRITE_DATA'],
      paths: [['root', 'sg', '**']],
    };
    await apply.apply(revoke, 'root');
    await apply.apply(revoke, 'root');
    expect(users.deniedMessage('gina', need)).toMatch(/WRITE_DATA/);
    await apply.apply({ kind: 'drop-user', user: 'gina' }, 'root');
    await apply.apply({ kind: 'drop-user', user: 'gina' }, 'root');
    expect(users.exists('gina')).toBe(false);
    // A grant for a user that is not there is IoTDB's 804.
    expect((await refusal(apply.apply(grant, 'root'))).code).toBe(StatusCode.USER_NOT_EXIST);
    // root is left as it is.
    await apply.apply(
      { kind: 'grant', user: 'root', privileges: ['WRITE_DATA'], paths: [], grantOption: false },
      'root',
    );
    expect(users.changesAfter(0, 100)!.some((c) => c.change.user === 'root')).toBe(false);
  });

  it('needs MANAGE_USER of the sending user', async () => {
    const users = await store();
    const apply = authApplierOf(users);
    await users.createUser('pipeuser', 'password6');
    const create: AuthChange = { kind: 'create-user', user: 'henry', password: { form: 'plain', text: 'password7' } };
    const denied = await refusal(apply.apply(create, 'pipeuser'));
    expect(denied).toEqual({
      code: StatusCode.NO_PERMISSION,
      message: 'No permissions for this operation, please add privilege MANAGE_USER',
    });
    users.grant('pipeuser', ['MANAGE_USER'], [], false);
    await apply.apply(create, 'pipeuser');
    expect(await users.login('henry', 'password7')).toBe('ok');
  });
});
