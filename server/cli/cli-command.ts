import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { ConnectionError, IoTDBError } from '../../protocol/client/iotdb-error.js';
import { Session } from '../../protocol/client/session.js';
import type { ResultBlock } from '../../protocol/result-block.js';
import { renderTable, textCells } from './result-table.js';
import { splitStatements } from './statement-splitter.js';

const HISTORY_FILE = join(homedir(), '.iotdb-lite_history');
const HISTORY_MAX = 500;

interface CliOptions {
  host: string;
  port: string;
  user: string;
  password: string;
  execute?: string;
}

/** Prints one statement's outcome as IoTDB's CLI does; false when it failed. */
async function runOne(session: Session, sql: string, print: (text: string) => void): Promise<boolean> {
  const started = process.hrtime.bigint();
  try {
    const result = await session.executeStatement(sql);
    if (result === null) {
      print('Msg: The statement is executed successfully.');
      return true;
    }
    const blocks: ResultBlock[] = [];
    for await (const b of result.blocks()) blocks.push(b);
    const withTime = !result.ignoreTimeStamp;
    const header = withTime ? ['Time', ...result.columnNames] : [...result.columnNames];
    const rows = textCells(blocks, result.dataTypes, withTime, session.timestampPrecision);
    if (header.length > 0) print(renderTable(header, rows));
    print(`Total line number = ${rows.length}`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    print(`It costs ${seconds.toFixed(3)}s`);
    return true;
  } catch (error) {
    if (error instanceof IoTDBError) {
      print(`Msg: ${error.message}`);
      return false;
    }
    throw error;
  }
}

/** Runs statements separated by `;`; false when one failed (the rest still run, as IoTDB's CLI). */
async function runText(session: Session, text: string, print: (t: string) => void): Promise<boolean> {
  let ok = true;
  for (const sql of splitStatements(text)) ok = (await runOne(session, sql, print)) && ok;
  return ok;
}

function loadHistory(): string[] {
  if (!existsSync(HISTORY_FILE)) return [];
  return readFileSync(HISTORY_FILE, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_MAX).reverse();
}

async function repl(session: Session, options: CliOptions): Promise<void> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: 'IoTDB> ',
    history: loadHistory(),
    historySize: HISTORY_MAX,
    terminal: process.stdin.isTTY === true,
  });
  const print = (text: string) => process.stdout.write(`${text}\n`);
  print(
    `Connected to ${options.host}:${options.port} as ${options.user}. Statements end with ';' or a new line; quit with 'exit' or 'quit'.`,
  );
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'exit' || text === 'quit') break;
    if (text.length > 0) {
      try {
        appendFileSync(HISTORY_FILE, `${text}\n`);
      } catch {
        // History is a convenience: a read-only home folder must not stop the CLI.
      }
      await runText(session, text, print);
    }
    rl.prompt();
  }
  rl.close();
}

/**
 * `iotdb-lite cli`, like IoTDB's start-cli: `-h -p -u -pw`, `-e "SQL"` for scripts (exit 1
 * when a statement fails), otherwise an interactive prompt with history.
 */
export function cliCommand(): Command {
  return new Command('cli')
    .description("an interactive SQL client for a node, like IoTDB's start-cli")
    .option('-h, --host <host>', 'node address', '127.0.0.1')
    .option('-p, --port <port>', 'node RPC port', '6667')
    .option('-u, --user <user>', 'user name', 'root')
    .option('--password <password>', 'password (also -pw)', 'root')
    .option('-e, --execute <sql>', "run these statements (separated by ';') and exit")
    .helpOption('--help', 'display help for command')
    .action(async (options: CliOptions) => {
      let session: Session;
      try {
        session = await Session.open({
          host: options.host,
          port: Number(options.port),
          user: options.user,
          password: options.password,
        });
      } catch (error) {
        if (error instanceof ConnectionError || error instanceof IoTDBError) {
          process.stderr.write(`iotdb-lite cli: ${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
      try {
        if (options.execute !== undefined) {
          const ok = await runText(session, options.execute, (t) => process.stdout.write(`${t}\n`));
          if (!ok) process.exitCode = 1;
        } else {
          await repl(session, options);
        }
      } catch (error) {
        process.stderr.write(`iotdb-lite cli: ${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await session.close().catch(() => {});
      }
    });
}

/** IoTDB's CLI spells the password flag `-pw`, which is not a POSIX short option: read it as `--password`. */
export function normalizeCliArgs(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '-pw' ? '--password' : a));
}
