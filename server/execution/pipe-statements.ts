import type { PipeManager, PipeProgressRow, PipeRow } from '../../pipe/pipe-manager.js';
import type { ParameterSpec } from '../../pipe/plugin/parameter-spec.js';
import type { Statement } from '../sql/ast.js';
import type { ExecutionContext } from './execution-context.js';
import type { StatementOutcome } from './statement-outcome.js';
import { textRows } from './text-rows.js';

const SHOW_PIPES_COLUMNS = [
  'ID',
  'CreationTime',
  'State',
  'PipeExtractor',
  'PipeProcessor',
  'PipeConnector',
  'ExceptionMessage',
  'RemainingEventCount',
];

/**
 * The estimate's column: IoTDB 1.3's early releases print `EstimatedRemainingTime`, later
 * ones (whose clients name a `sql_dialect` when they open a session) `EstimatedRemainingSeconds`.
 */
function estimateColumn(context: Pick<ExecutionContext, 'sqlDialect'> | undefined): string {
  return context?.sqlDialect === undefined || context.sqlDialect === null
    ? 'EstimatedRemainingTime'
    : 'EstimatedRemainingSeconds';
}

/** A creation time as IoTDB's SHOW PIPES prints it: ISO-8601 in the node's zone with its offset. */
function isoLocal(ms: number): string {
  const offset = -new Date(ms).getTimezoneOffset();
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function pipeRows(rows: readonly PipeRow[], estimate: string): StatementOutcome {
  return {
    kind: 'rows',
    result: textRows(
      [...SHOW_PIPES_COLUMNS, estimate],
      rows.map((r) => [
        r.id,
        isoLocal(r.creationTime),
        r.state,
        r.extractor,
        r.processor,
        r.connector,
        r.exceptionMessage,
        String(r.remainingEventCount),
        r.estimatedRemainingSeconds.toFixed(2),
      ]),
    ),
  };
}

/** SHOW PIPES PROGRESS (ours): what `iotdb-lite pipes --watch` draws. Absent figures are null cells. */
export const SHOW_PIPES_PROGRESS_COLUMNS = [
  'ID',
  'State',
  'ExceptionMessage',
  'RemainingEventCount',
  'EstimatedRemainingSeconds',
  'HistoryFilesDone',
  'HistoryFilesTotal',
  'HistoryBytesDone',
  'HistoryBytesTotal',
  'EventsPerSecond',
  'RealtimeEventsLeft',
  'RealtimeLagSeconds',
  'PinnedWalBytes',
] as const;

function progressRows(rows: readonly PipeProgressRow[]): StatementOutcome {
  const fixed = (n: number | null) => (n === null ? null : n.toFixed(2));
  const count = (n: number | undefined | null) => (n === undefined || n === null ? null : String(n));
  return {
    kind: 'rows',
    result: textRows(
      SHOW_PIPES_PROGRESS_COLUMNS,
      rows.map((r) => [
        r.id,
        r.state,
        r.exceptionMessage,
        String(r.remainingEventCount),
        r.estimatedRemainingSeconds.toFixed(2),
        count(r.history?.done),
        count(r.history?.total),
        count(r.history?.bytesDone),
        count(r.history?.bytesTotal),
        r.eventsPerSecond.toFixed(2),
        count(r.realtimeEventsLeft),
        fixed(r.realtimeLagSeconds),
        String(r.pinnedWalBytes),
      ]),
    ),
  };
}

/** IoTDB's SHOW PIPEPLUGINS columns, then the declared parameters. */
const SHOW_PIPEPLUGINS_COLUMNS = ['PluginName', 'PluginType', 'ClassName', 'PluginJar', 'Parameters'];

/**
 * `name:type=default` per parameter (no `=` without a default), then its values or bounds
 * when it declares them (`{a|b}`, `{a|b}*` for a list, `[min..max]`), comma-separated.
 */
function describeParameters(parameters: readonly ParameterSpec[]): string {
  return parameters
    .map((p) => `${p.name}:${p.type}${p.default === null ? '' : `=${p.default}`}${limits(p)}`)
    .join(', ');
}

function limits(p: ParameterSpec): string {
  if (p.choices !== undefined) return `{${p.choices.join('|')}}${p.list === true ? '*' : ''}`;
  if (p.min !== undefined || p.max !== undefined) return `[${p.min ?? ''}..${p.max ?? ''}]`;
  return '';
}

/** Runs CREATE/START/STOP/DROP/SHOW PIPE(S) and CREATE/DROP/SHOW PIPEPLUGIN(S) through the node's pipe manager. */
export async function runPipeStatement(
  statement: Statement,
  pipes: PipeManager,
  context?: Pick<ExecutionContext, 'sqlDialect'>,
): Promise<StatementOutcome> {
  switch (statement.kind) {
    case 'create-pipe':
      await pipes.create(statement.pipeName, statement.ifNotExists, {
        extractor: statement.extractor?.attributes ?? [],
        processor: statement.processor?.attributes ?? [],
        connector: statement.connector.attributes,
      });
      return { kind: 'done' };
    case 'alter-pipe':
      await pipes.alter(statement.pipeName, statement.ifExists, {
        extractor: statement.extractor,
        processor: statement.processor,
        connector: statement.connector,
      });
      return { kind: 'done' };
    case 'start-pipe':
      pipes.start(statement.pipeName);
      return { kind: 'done' };
    case 'stop-pipe':
      await pipes.stop(statement.pipeName);
      return { kind: 'done' };
    case 'drop-pipe':
      await pipes.drop(statement.pipeName, statement.ifExists);
      return { kind: 'done' };
    case 'show-pipes':
      if (statement.progress === true) {
        const sharing =
          statement.connectorUsedBy === null
            ? null
            : new Set(pipes.sharingConnector(statement.connectorUsedBy).map((r) => r.id));
        return progressRows(pipes.progress().filter((r) => sharing === null || sharing.has(r.id)));
      }
      if (statement.connectorUsedBy !== null) {
        return pipeRows(pipes.sharingConnector(statement.connectorUsedBy), estimateColumn(context));
      }
      return pipeRows(pipes.show(statement.pipeName), estimateColumn(context));
    case 'show-pipeplugins':
      return {
        kind: 'rows',
        result: textRows(
          SHOW_PIPEPLUGINS_COLUMNS,
          pipes.plugins().map((p) => [p.name, p.type, p.className, p.jar, describeParameters(p.parameters)]),
        ),
      };
    case 'create-pipeplugin':
      await pipes.createPlugin(statement.pluginName, statement.ifNotExists, statement.className, statement.uri);
      return { kind: 'done' };
    case 'drop-pipeplugin':
      pipes.dropPlugin(statement.pluginName, statement.ifExists);
      return { kind: 'done' };
    default:
      throw new Error(`${statement.kind} is not a pipe statement`);
  }
}
