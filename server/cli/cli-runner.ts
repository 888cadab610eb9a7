import { ConnectionError } from '../../protocol/client/iotdb-error.js';
import type { Session } from '../../protocol/client/session.js';
import type { CliSettings } from './cli-settings.js';
import { printResult } from './result-printer.js';
import { splitStatements } from './statement-splitter.js';

export interface CliRunnerOptions {
  readonly maxRows: number;
  /** Server-side time limit per statement; none when undefined. */
  readonly timeoutMs?: number;
  /** See PrintOptions.more: null in `-e` mode. */
  readonly more: (() => Promise<boolean>) | null;
}

export interface RunOutcome {
  /** Every statement succeeded. */
  readonly ok: boolean;
  /** `exit` or `quit` was among them (later statements were not run). */
  readonly quit: boolean;
}

const SUCCESS_MESSAGE = 'Msg: The statement is executed successfully.';

/**
 * Runs what the user typed, statement by statement, printing each outcome as IoTDB's CLI
 * does. A failed statement prints `Msg: <code>: <message>` and the next ones still run; a
 * lost connection rejects with ConnectionError, since nothing after it can run.
 */
export class CliRunner {
  constructor(
    private readonly session: Session,
    readonly settings: CliSettings,
    private readonly print: (text: string) => void,
    private readonly options: CliRunnerOptions,
  ) {}

  async run(text: string): Promise<RunOutcome> {
    let ok = true;
    for (const statement of splitStatements(text)) {
      const lower = statement.toLowerCase();
      if (lower === 'exit' || lower === 'quit') return { ok, quit: true };
      const command = await this.settings.tryCommand(statement, this.print);
      if (command !== null) ok = command && ok;
      else ok = (await this.execute(statement)) && ok;
    }
    return { ok, quit: false };
  }

  private async execute(sql: string): Promise<boolean> {
    const started = performance.now();
    try {
      const result = await this.session.executeStatement(sql, {
        fetchSize: this.settings.fetchSize,
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
      });
      const costMs = performance.now() - started;
      if (result === null) {
        this.print(SUCCESS_MESSAGE);
        return true;
      }
      await printResult(result, costMs, this.print, {
        maxRows: this.options.maxRows,
        time: this.settings.timeStyle,
        more: this.options.more,
      });
      return true;
    } catch (error) {
      if (error instanceof ConnectionError) throw error;
      // An IoTDBError's message is already `<code>: <message>`.
      this.print(`Msg: ${(error as Error).message}`);
      return false;
    }
  }
}
