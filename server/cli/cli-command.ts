import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { runCli } from './cli-app.js';
import { normalizeCliArgs } from './cli-args.js';
import type { NodeTls } from './cli-session.js';
import { MAX_ROWS_DEFAULT } from './cli-settings.js';

/** What `nodeOptions` parses: the node, the login and TLS. */
export interface NodeParsedOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  useSsl?: boolean;
  trustStore?: string;
  trustStorePwd?: string;
}

interface ParsedOptions extends NodeParsedOptions {
  execute?: string;
  maxRows: number;
  compact?: boolean;
  disableIso8601?: boolean;
  timeout?: number;
}

export function integer(min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function boolean(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t !== 'true' && t !== 'false') throw new InvalidArgumentError('expected true or false');
  return t === 'true';
}

/** Reads start-cli's single-dash flags (`-pw`, ...) before commander parses the arguments. */
export class CliCommand extends Command {
  override parseOptions(args: string[]): { operands: string[]; unknown: string[] } {
    const flags = new Set(this.options.flatMap((o) => [o.short, o.long]).filter((f): f is string => f !== undefined));
    return super.parseOptions(normalizeCliArgs(args, flags));
  }
}

/** start-cli's flags naming the node, the login and TLS: `-h -p -u -pw -usessl -ts -tpw`. */
export function nodeOptions(command: CliCommand): CliCommand {
  return command
    .option('-h, --host <host>', 'node address', '127.0.0.1')
    .option('-p, --port <port>', 'node RPC port', integer(1, 65535), 6667)
    .option('-u, --user <user>', 'user name', 'root')
    .option('--password <password>', 'password (also -pw)', 'root')
    .option('--use-ssl <true|false>', 'TLS, for a node with enable_thrift_ssl (also -usessl)', boolean)
    .option('--trust-store <path>', 'trust store, PKCS12 or PEM, with the CA of the node (also -ts)')
    .option('--trust-store-pwd <password>', 'password of the trust store (also -tpw)');
}

/** The TLS settings of `-usessl true -ts -tpw`; none when TLS is off. */
export function tlsOptions(options: NodeParsedOptions): { tls?: NodeTls } {
  if (options.useSsl !== true) return {};
  return {
    tls: {
      ...(options.trustStore === undefined ? {} : { trustStore: options.trustStore }),
      ...(options.trustStorePwd === undefined ? {} : { trustStorePwd: options.trustStorePwd }),
    },
  };
}

/**
 * `iotdb-lite cli`, like IoTDB's start-cli: `-h -p -u -pw`, `-e "SQL; SQL"` to run
 * statements and exit (status 1 when one fails), otherwise an interactive prompt with
 * history in ~/.iotdb-lite_history.
 */
export function cliCommand(): Command {
  return nodeOptions(new CliCommand('cli'))
    .description("an SQL client for a node, like IoTDB's start-cli")
    .option('-e, --execute <sql>', "run these statements (separated by ';') and exit")
    .option('-c, --compact', 'Thrift compact protocol (RPC compression)')
    .option('--disable-iso8601', 'show times as numbers (also -disableISO8601)')
    .option('--max-rows <n>', 'rows per printed table', integer(1, 0x7fffffff), MAX_ROWS_DEFAULT)
    .option('--timeout <seconds>', 'time limit per statement on the node (also -timeout)', integer(1, 2_147_483))
    .helpOption('--help', 'display help for command')
    .action(async (options: ParsedOptions) => {
      process.exitCode = await runCli(
        {
          host: options.host,
          port: options.port,
          user: options.user,
          password: options.password,
          ...(options.execute === undefined ? {} : { execute: options.execute }),
          maxRows: options.maxRows,
          compact: options.compact === true,
          numericTimes: options.disableIso8601 === true,
          ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
          ...tlsOptions(options),
        },
        {
          stdin: process.stdin,
          stdout: process.stdout,
          stderr: process.stderr,
          historyFile: join(homedir(), '.iotdb-lite_history'),
        },
      );
    });
}
