import type { SelectItem, SqlPath, Statement } from '../sql/ast.js';
import { itemPaths } from '../sql/expression-paths.js';
import type { PrivilegeRequirement } from './privileges.js';

const ALL_PATHS: readonly string[] = ['root', '**'];

function global(name: string, ...legacy: string[]): PrivilegeRequirement {
  return { name, privileges: [name, ...legacy] };
}

function onPaths(name: string, paths: readonly (readonly string[])[], ...legacy: string[]): PrivilegeRequirement {
  return { name, privileges: [name, ...legacy], paths };
}

function patternOrAll(p: SqlPath | null): readonly (readonly string[])[] {
  return [p === null ? ALL_PATHS : p.nodes];
}

/** The full paths a SELECT reads: absolute items as written, the others under each FROM prefix. */
function selectedPaths(items: readonly SelectItem[], from: readonly SqlPath[]): (readonly string[])[] {
  const paths: (readonly string[])[] = [];
  for (const item of items.flatMap(itemPaths)) {
    if (item.absolute) paths.push(item.path.nodes);
    else for (const prefix of from) paths.push([...prefix.nodes, ...item.path.nodes]);
  }
  return paths;
}

/**
 * What a user needs to run a statement, with IoTDB 1.3's privilege names first and the
 * IoTDB 1.2 names that also allow it. `user` is the session's user: changing one's own
 * password and listing one's own privileges need nothing.
 */
export function statementPrivileges(statement: Statement, user: string): PrivilegeRequirement[] {
  switch (statement.kind) {
    case 'create-database':
      return [global('MANAGE_DATABASE', 'CREATE_DATABASE', 'SET_STORAGE_GROUP')];
    case 'delete-database':
      return [global('MANAGE_DATABASE', 'DELETE_DATABASE', 'DELETE_STORAGE_GROUP')];
    case 'show-databases':
    case 'count-databases':
    case 'show-timeseries':
    case 'show-devices':
    case 'count-timeseries':
    case 'count-devices':
      return [onPaths('READ_SCHEMA', patternOrAll(statement.pattern), 'READ_TIMESERIES')];
    case 'create-timeseries':
      return [onPaths('WRITE_SCHEMA', [statement.path.nodes], 'CREATE_TIMESERIES')];
    case 'create-aligned-timeseries':
      return [
        onPaths(
          'WRITE_SCHEMA',
          statement.measurements.map((m) => [...statement.device.nodes, m.name]),
          'CREATE_TIMESERIES',
        ),
      ];
    case 'delete-timeseries':
      return [
        onPaths(
          'WRITE_SCHEMA',
          statement.patterns.map((p) => p.nodes),
          'DELETE_TIMESERIES',
        ),
      ];
    case 'insert':
      return [
        onPaths(
          'WRITE_DATA',
          statement.measurements.map((m) => [...statement.device.nodes, m]),
          'INSERT_TIMESERIES',
        ),
      ];
    case 'select':
    case 'select-last':
      return [onPaths('READ_DATA', selectedPaths(statement.items, statement.from), 'READ_TIMESERIES')];
    case 'delete-data':
      return [
        onPaths(
          'WRITE_DATA',
          statement.patterns.map((p) => p.nodes),
          'DELETE_TIMESERIES',
        ),
      ];
    case 'flush':
      return [global('MAINTAIN')];
    case 'load-tsfile':
      return [onPaths('WRITE_DATA', [ALL_PATHS], 'INSERT_TIMESERIES')];
    case 'show-version':
      return [];
    case 'create-user':
      return [global('MANAGE_USER', 'CREATE_USER')];
    case 'drop-user':
      return [global('MANAGE_USER', 'DELETE_USER')];
    case 'alter-user-password':
      return statement.user === user ? [] : [global('MANAGE_USER', 'MODIFY_PASSWORD')];
    case 'grant':
      return [global('MANAGE_USER', 'GRANT_USER_PRIVILEGE')];
    case 'revoke':
      return [global('MANAGE_USER', 'REVOKE_USER_PRIVILEGE')];
    case 'list-user':
      return [global('MANAGE_USER', 'LIST_USER')];
    case 'list-privileges':
      return statement.user === user ? [] : [global('MANAGE_USER', 'LIST_USER')];
    case 'create-pipe':
    case 'alter-pipe':
      return [global('USE_PIPE', 'CREATE_PIPE')];
    case 'start-pipe':
      return [global('USE_PIPE', 'START_PIPE')];
    case 'stop-pipe':
      return [global('USE_PIPE', 'STOP_PIPE')];
    case 'drop-pipe':
      return [global('USE_PIPE', 'DROP_PIPE')];
    case 'show-pipes':
      return [global('USE_PIPE', 'SHOW_PIPES')];
    case 'show-pipeplugins':
      return [global('USE_PIPE', 'SHOW_PIPEPLUGINS')];
    case 'create-pipeplugin':
      return [global('USE_PIPE', 'CREATE_PIPEPLUGIN')];
    case 'drop-pipeplugin':
      return [global('USE_PIPE', 'DROP_PIPEPLUGIN')];
  }
}
