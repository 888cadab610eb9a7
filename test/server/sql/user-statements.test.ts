import { describe, expect, it } from 'vitest';
import { PRIVILEGE_NAMES, parsePath, parseStatement, type Statement } from '../../../server/sql/index.js';

const one = (sql: string): Statement => parseStatement(sql);
const pattern = (text: string) => parsePath(text, { wildcards: true });

describe('users', () => {
  it('creates, drops and re-passwords users', () => {
    expect(one("CREATE USER tom 'pw1'")).toEqual({ kind: 'create-user', user: 'tom', password: 'pw1' });
    expect(one('create user `a-b` "it\'s"')).toEqual({ kind: 'create-user', user: 'a-b', password: "it's" });
    expect(one('DROP USER tom')).toEqual({ kind: 'drop-user', user: 'tom' });
    expect(one("ALTER USER tom SET PASSWORD 'new''pw'")).toEqual({
      kind: 'alter-user-password',
      user: 'tom',
      password: "new'pw",
    });
    expect(one("alter user root set password 'x'")).toEqual({
      kind: 'alter-user-password',
      user: 'root',
      password: 'x',
    });
  });

  it('lists users and privileges', () => {
    expect(one('LIST USER')).toEqual({ kind: 'list-user' });
    expect(one('LIST PRIVILEGES USER tom')).toEqual({ kind: 'list-privileges', user: 'tom', paths: [] });
    expect(one('list privileges of user root on root.sg.**')).toEqual({
      kind: 'list-privileges',
      user: 'root',
      paths: [pattern('root.sg.**')],
    });
  });
});

describe('GRANT and REVOKE', () => {
  it('reads the IoTDB 1.3 form', () => {
    expect(one('GRANT READ_DATA, write_schema ON root.sg.**, root.sg2.** TO USER tom')).toEqual({
      kind: 'grant',
      user: 'tom',
      privileges: ['READ_DATA', 'WRITE_SCHEMA'],
      paths: [pattern('root.sg.**'), pattern('root.sg2.**')],
      grantOption: false,
      style: 'current',
    });
    expect(one('grant all on root.** to user tom with grant option')).toMatchObject({
      privileges: ['ALL'],
      grantOption: true,
    });
    expect(one('REVOKE MANAGE_DATABASE ON root.** FROM USER tom')).toEqual({
      kind: 'revoke',
      user: 'tom',
      privileges: ['MANAGE_DATABASE'],
      paths: [pattern('root.**')],
      style: 'current',
    });
  });

  it('reads the IoTDB 1.2 form with pipe privileges', () => {
    expect(
      one('GRANT USER tom PRIVILEGES CREATE_PIPE, START_PIPE, STOP_PIPE, DROP_PIPE, SHOW_PIPES ON root.**'),
    ).toEqual({
      kind: 'grant',
      user: 'tom',
      privileges: ['CREATE_PIPE', 'START_PIPE', 'STOP_PIPE', 'DROP_PIPE', 'SHOW_PIPES'],
      paths: [pattern('root.**')],
      grantOption: false,
      style: 'legacy',
    });
    expect(one('grant user tom privileges create_user')).toMatchObject({ paths: [], privileges: ['CREATE_USER'] });
    expect(one('revoke user tom privileges insert_timeseries on root.sg.**')).toEqual({
      kind: 'revoke',
      user: 'tom',
      privileges: ['INSERT_TIMESERIES'],
      paths: [pattern('root.sg.**')],
      style: 'legacy',
    });
  });

  it('knows IoTDB 1.3 privilege names', () => {
    for (const name of ['READ_DATA', 'WRITE_DATA', 'READ_SCHEMA', 'WRITE_SCHEMA', 'MANAGE_USER', 'USE_PIPE', 'ALL']) {
      expect(PRIVILEGE_NAMES).toContain(name);
    }
  });

  it('refuses unknown privileges where they are written', () => {
    expect(() => one('grant READ_DATA, FLY on root.** to user tom')).toThrow(
      expect.objectContaining({
        code: 700,
        line: 1,
        column: 17,
        token: 'FLY',
        message: 'line 1:17 unknown privilege FLY',
      }),
    );
  });

  it('refuses a grant without a user', () => {
    expect(() => one('grant read_data on root.** to tom')).toThrow("line 1:30 mismatched input 'tom' expecting USER");
  });
});
