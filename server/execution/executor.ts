import type { Statement } from '../sql/ast.js';
import { aggregationQuery } from './aggregation-query.js';
import { deleteData, flush, loadTsFile } from './data-statements.js';
import type { ExecutionContext } from './execution-context.js';
import { insert } from './insert-statement.js';
import { lastQuery } from './last-query.js';
import { rawQuery } from './raw-query.js';
import {
  createAlignedTimeseries,
  createDatabase,
  createTimeseries,
  deleteDatabases,
  deleteTimeseries,
} from './schema-statements.js';
import {
  countDatabases,
  countDevices,
  countTimeseries,
  showDatabases,
  showDevices,
  showTimeseries,
  showVersion,
} from './show-statements.js';
import type { ResultSet, StatementOutcome } from './statement-outcome.js';

const rows = (result: ResultSet): StatementOutcome => ({ kind: 'rows', result });

/**
 * Runs one parsed statement against the engine. Users, privileges and pipes go to the
 * context's delegate unchanged. Errors are EngineErrors carrying IoTDB's status codes.
 * Rows are produced lazily: a query reads the engine only as its result is pulled.
 */
export async function executeStatement(statement: Statement, context: ExecutionContext): Promise<StatementOutcome> {
  switch (statement.kind) {
    case 'create-database':
      return createDatabase(statement.path, context);
    case 'delete-database':
      return deleteDatabases(statement, context);
    case 'create-timeseries':
      return createTimeseries(statement, context);
    case 'create-aligned-timeseries':
      return createAlignedTimeseries(statement, context);
    case 'delete-timeseries':
      return deleteTimeseries(statement, context);
    case 'show-databases':
      return rows(showDatabases(statement, context));
    case 'count-databases':
      return rows(countDatabases(statement, context));
    case 'show-timeseries':
      return rows(showTimeseries(statement, context));
    case 'show-devices':
      return rows(showDevices(statement, context));
    case 'count-timeseries':
      return rows(countTimeseries(statement, context));
    case 'count-devices':
      return rows(countDevices(statement, context));
    case 'insert':
      return insert(statement, context);
    case 'select':
      return rows(
        statement.items.some((i) => i.kind === 'aggregation')
          ? aggregationQuery(statement, context)
          : rawQuery(statement, context),
      );
    case 'select-last':
      return rows(lastQuery(statement, context));
    case 'delete-data':
      return deleteData(statement, context);
    case 'flush':
      return flush(statement, context);
    case 'load-tsfile':
      return loadTsFile(statement, context);
    case 'show-version':
      return rows(showVersion(context));
    default:
      return context.delegate(statement, context);
  }
}
