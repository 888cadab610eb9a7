import type { Command } from 'commander';
import { CliCommand, integer, type NodeParsedOptions, nodeOptions, tlsOptions } from './cli-command.js';
import { runPipesWatch } from './pipes-watch.js';

interface ParsedOptions extends NodeParsedOptions {
  watch?: boolean;
  once?: boolean;
  iterations?: number;
}

/**
 * `iotdb-lite pipes [--watch] [-h -p -u -pw -usessl -ts -tpw]`: the progress of every pipe of a node (history
 * files and bytes, rate, ETA, realtime lag, state, last error), once or refreshed each second.
 */
export function pipesCommand(): Command {
  return nodeOptions(new CliCommand('pipes'))
    .description('the progress of the pipes of a node; --watch refreshes it each second')
    .option('-w, --watch', 'refresh each second until interrupted')
    .option('--once', 'one snapshot, then exit (the default without --watch)')
    .option('--iterations <n>', 'with --watch: stop after n snapshots', integer(1, 0x7fffffff))
    .helpOption('--help', 'display help for command')
    .action(async (options: ParsedOptions) => {
      const stop = new AbortController();
      const interrupted = () => stop.abort();
      process.once('SIGINT', interrupted);
      try {
        process.exitCode = await runPipesWatch(
          {
            host: options.host,
            port: options.port,
            user: options.user,
            password: options.password,
            ...tlsOptions(options),
            iterations: options.watch === true && options.once !== true ? (options.iterations ?? Infinity) : 1,
            intervalMs: 1000,
          },
          { stdout: process.stdout, stderr: process.stderr, signal: stop.signal },
        );
      } finally {
        process.off('SIGINT', interrupted);
      }
    });
}
