import { ConnectionError } from '../../protocol/client/iotdb-error.js';
import { CliHistory } from './cli-history.js';
import { runRepl } from './cli-repl.js';
import { CliRunner } from './cli-runner.js';
import { type NodeLogin, openCliSession } from './cli-session.js';
import { CliSettings } from './cli-settings.js';

export interface CliOptions extends NodeLogin {
  /** `-e`: run these statements and exit. */
  readonly execute?: string;
  /** Rows per printed table. */
  readonly maxRows: number;
  /** Thrift compact protocol (start-cli's `-c`, RPC compression). */
  readonly compact: boolean;
  /** Times as numbers (start-cli's `-disableISO8601`). */
  readonly numericTimes: boolean;
  /** Server-side limit per statement (start-cli's `-timeout`, in seconds). */
  readonly timeoutSeconds?: number;
}

export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Where interactive history is kept; null for none. */
  readonly historyFile: string | null;
}

/**
 * `iotdb-lite cli` once its arguments are read: log in, then run `-e` or the interactive
 * loop. Returns the exit status: 1 when the node cannot be reached, refuses the login or
 * goes away, or when a `-e` statement fails; 0 otherwise.
 */
export async function runCli(options: CliOptions, io: CliIo): Promise<number> {
  const print = (text: string) => {
    io.stdout.write(`${text}\n`);
  };
  const fail = (error: Error) => {
    io.stderr.write(`Error: ${error.message}\n`);
    return 1;
  };
  const session = await openCliSession(options, fail, { compact: options.compact });
  if (session === null) return 1;
  try {
    const settings = new CliSettings(session, { displayName: options.numericTimes ? 'long' : 'default' });
    const runnerOptions = {
      maxRows: options.maxRows,
      ...(options.timeoutSeconds === undefined ? {} : { timeoutMs: options.timeoutSeconds * 1000 }),
    };
    if (options.execute !== undefined) {
      const outcome = await new CliRunner(session, settings, print, { ...runnerOptions, more: null }).run(
        options.execute,
      );
      return outcome.ok ? 0 : 1;
    }
    print(`Successfully login at ${options.host}:${options.port}`);
    await runRepl((more) => new CliRunner(session, settings, print, { ...runnerOptions, more }), {
      input: io.stdin,
      output: io.stdout,
      terminal: io.stdin.isTTY === true,
      history: io.historyFile === null ? null : new CliHistory(io.historyFile),
    });
    return 0;
  } catch (error) {
    if (error instanceof ConnectionError) return fail(error);
    throw error;
  } finally {
    await session.close().catch(() => {});
  }
}
