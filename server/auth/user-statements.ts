import { formatPath } from '../../engine/path/path.js';
import type { StatementOutcome } from '../execution/statement-outcome.js';
import { textRows } from '../execution/text-rows.js';
import type { Statement } from '../sql/ast.js';
import type { UserStore } from './user-store.js';

export const USER_STATEMENT_KINDS: ReadonlySet<Statement['kind']> = new Set([
  'create-user',
  'drop-user',
  'alter-user-password',
  'grant',
  'revoke',
  'list-user',
  'list-privileges',
]);

/** Runs CREATE/DROP/ALTER USER, GRANT, REVOKE, LIST USER and LIST PRIVILEGES (privileges already checked). */
export async function runUserStatement(statement: Statement, users: UserStore): Promise<StatementOutcome> {
  switch (statement.kind) {
    case 'create-user':
      await users.createUser(statement.user, statement.password);
      return { kind: 'done' };
    case 'drop-user':
      users.dropUser(statement.user);
      return { kind: 'done' };
    case 'alter-user-password':
      await users.setPassword(statement.user, statement.password);
      return { kind: 'done' };
    case 'grant':
      users.grant(
        statement.user,
        statement.privileges,
        statement.paths.map((p) => p.nodes),
        statement.grantOption,
      );
      return { kind: 'done' };
    case 'revoke':
      users.revoke(
        statement.user,
        statement.privileges,
        statement.paths.map((p) => p.nodes),
      );
      return { kind: 'done' };
    case 'list-user':
      return {
        kind: 'rows',
        result: textRows(
          ['User'],
          users.listUsers().map((u) => [u]),
        ),
      };
    case 'list-privileges': {
      const wanted = statement.paths.map((p) => formatPath(p.nodes));
      const rows = users
        .privilegesOf(statement.user)
        .map((g) => ['', formatPath(g.path), g.privilege, String(g.grantOption)] as const)
        .filter((r) => wanted.length === 0 || wanted.includes(r[1]));
      return { kind: 'rows', result: textRows(['Role', 'Path', 'Privileges', 'GrantOption'], rows) };
    }
    default:
      throw new Error(`${statement.kind} is not a user statement`);
  }
}
