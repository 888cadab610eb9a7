import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineError, StatusCode } from '../../../engine/errors.js';
import { parsePath } from '../../../engine/path/path.js';
import { UserStore } from '../../../server/auth/user-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function store(): Promise<{ users: UserStore; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-users-'));
  dirs.push(dir);
  const file = join(dir, 'users.db');
  return { users: await UserStore.open(file), file };
}

function codeOf(action: () => unknown): number | null {
  try {
    action();
    return null;
  } catch (error) {
    return (error as EngineError).code;
  }
}

const read = (paths: string[]) => ({
  name: 'READ_DATA',
  privileges: ['READ_DATA', 'READ_TIMESERIES'],
  paths: paths.map((p) => parsePath(p, true)),
});

describe('UserStore', () => {
  it('starts with root/root and stores only a salted hash', async () => {
    const { users, file } = await store();
    expect(await users.login('root', 'root')).toBe('ok');
    expect(await users.login('root', 'wrong')).toBe('wrong-password');
    expect(await users.login('nobody', 'root')).toBe('no-such-user');
    users.close();
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from('scrypt$'))).toBe(true);
  });

  it('creates, re-passwords and drops users, with IoTDB status codes for mistakes', async () => {
    const { users, file } = await store();
    await users.createUser('alice', 'secret1');
    await expect(users.createUser('alice', 'secret1')).rejects.toMatchObject({ code: StatusCode.USER_ALREADY_EXIST });
    await expect(users.createUser('bobby', 'no')).rejects.toMatchObject({ code: StatusCode.ILLEGAL_PASSWORD });
    await expect(users.createUser('ab', 'secret1')).rejects.toMatchObject({ code: StatusCode.ILLEGAL_PARAMETER });
    await users.setPassword('alice', 'secret2');
    expect(await users.login('alice', 'secret2')).toBe('ok');
    expect(users.listUsers()).toEqual(['alice', 'root']);
    expect(codeOf(() => users.dropUser('root'))).toBe(StatusCode.NO_PERMISSION);
    expect(codeOf(() => users.dropUser('carol'))).toBe(StatusCode.USER_NOT_EXIST);
    users.close();
    const again = await UserStore.open(file);
    expect(await again.login('alice', 'secret2')).toBe('ok');
    again.dropUser('alice');
    expect(again.listUsers()).toEqual(['root']);
    again.close();
  });

  it('checks path privileges by pattern coverage and survives reopening', async () => {
    const { users, file } = await store();
    await users.createUser('alice', 'secret1');
    expect(users.deniedMessage('alice', read(['root.sg.d1.s1']))).toBe(
      'No permissions for this operation, please add privilege READ_DATA on [root.sg.d1.s1]',
    );
    users.grant('alice', ['READ_DATA'], [parsePath('root.sg.**', true)], false);
    expect(users.deniedMessage('alice', read(['root.sg.d1.s1', 'root.sg.*.s2']))).toBeNull();
    expect(users.deniedMessage('alice', read(['root.**']))).toContain('on [root.**]');
    expect(users.deniedMessage('root', read(['root.**']))).toBeNull();
    users.close();
    const again = await UserStore.open(file);
    expect(again.deniedMessage('alice', read(['root.sg.d9.s9']))).toBeNull();
    again.revoke('alice', ['READ_DATA'], [parsePath('root.sg.**', true)]);
    expect(again.deniedMessage('alice', read(['root.sg.d9.s9']))).not.toBeNull();
    expect(codeOf(() => again.revoke('alice', ['READ_DATA'], [parsePath('root.sg.**', true)]))).toBe(
      StatusCode.NOT_HAS_PRIVILEGE,
    );
    again.close();
  });

  it('treats IoTDB 1.2 names and the ALL shorthand as grants of the same checks', async () => {
    const { users } = await store();
    await users.createUser('piper', 'secret1');
    const pipe = { name: 'USE_PIPE', privileges: ['USE_PIPE', 'CREATE_PIPE'] };
    expect(users.deniedMessage('piper', pipe)).toBe('No permissions for this operation, please add privilege USE_PIPE');
    users.grant('piper', ['CREATE_PIPE'], [], false);
    expect(users.deniedMessage('piper', pipe)).toBeNull();
    users.grant('piper', ['ALL'], [], true);
    expect(users.privilegesOf('piper').map((g) => g.privilege)).toContain('MANAGE_USER');
    expect(users.deniedMessage('piper', read(['root.**']))).toBeNull();
    users.close();
  });
});
