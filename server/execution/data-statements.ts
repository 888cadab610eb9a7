import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatPath } from '../../engine/path/path.js';
import type { DeleteDataStatement, FlushStatement, LoadTsFileStatement } from '../sql/ast.js';
import type { ExecutionContext } from './execution-context.js';
import { clockOf } from './statement-clock.js';
import type { StatementOutcome } from './statement-outcome.js';
import { timeOnlyBounds } from './time-bounds.js';

const DONE: StatementOutcome = { kind: 'done' };

/** DELETE FROM patterns [WHERE time ...]: points in the inclusive range; the series stay. */
export async function deleteData(statement: DeleteDataStatement, context: ExecutionContext): Promise<StatementOutcome> {
  const bounds = timeOnlyBounds(
    statement.where,
    clockOf(context),
    'For delete statement, where clause can only contain time expressions, value filter is not currently supported.',
  );
  for (const p of statement.patterns) await context.engine.delete(formatPath(p.nodes), bounds.start, bounds.end);
  return DONE;
}

/** FLUSH [databases]: memtables into sealed TsFiles. */
export async function flush(statement: FlushStatement, context: ExecutionContext): Promise<StatementOutcome> {
  if (statement.databases.length === 0) {
    await context.engine.flush();
    return DONE;
  }
  for (const d of statement.databases) {
    const name = formatPath(d.nodes);
    if (!context.engine.schema.hasDatabase(name)) {
      throw new EngineError(StatusCode.DATABASE_NOT_EXIST, `Database ${name} does not exist`);
    }
    await context.engine.flush(name);
  }
  return DONE;
}

/** LOAD 'file.tsfile': the file is checked and imported through the engine. */
export async function loadTsFile(statement: LoadTsFileStatement, context: ExecutionContext): Promise<StatementOutcome> {
  try {
    await context.engine.load(statement.file);
  } catch (error) {
    if (error instanceof EngineError && error.code !== StatusCode.INTERNAL_SERVER_ERROR) throw error;
    throw new EngineError(StatusCode.LOAD_FILE_ERROR, `cannot load ${statement.file}: ${(error as Error).message}`);
  }
  return DONE;
}
