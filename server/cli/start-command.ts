import { Command } from 'commander';
import { ConfigError, loadNodeConfig } from '../config/node-config.js';
import { IoTDBNode, NodeStartError } from '../node.js';

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

/**
 * `iotdb-lite start`: runs a node until SIGINT/SIGTERM, then flushes and exits 0. A bad
 * setting, a port in use or an unwritable folder is one line on stderr and exit status 1.
 */
export function startCommand(): Command {
  return new Command('start')
    .description('start a node (IoTDB client RPC on 127.0.0.1:6667, data under ./data)')
    .option('--host <address>', 'address to listen on (rpc_address)')
    .option('-p, --port <port>', 'port to listen on (rpc_port)')
    .option('--data <dir>', 'data folder (data_dirs)')
    .option('--wal <dir>', 'WAL folder (wal_dirs)')
    .option('--config <file>', 'properties file (default ./iotdb-lite.properties when present)')
    .option('--wal-mode <mode>', 'SYNC, ASYNC or DISABLE (wal_mode)')
    .action(
      async (options: {
        host?: string;
        port?: string;
        data?: string;
        wal?: string;
        config?: string;
        walMode?: string;
      }) => {
        let node: IoTDBNode;
        try {
          const config = loadNodeConfig({
            baseDir: process.cwd(),
            ...(options.config === undefined ? {} : { configFile: options.config }),
            overrides: {
              rpc_address: options.host,
              rpc_port: options.port,
              data_dirs: options.data,
              wal_dirs: options.wal,
              wal_mode: options.walMode,
            },
          });
          node = await IoTDBNode.start({ config, log });
        } catch (error) {
          if (error instanceof ConfigError || error instanceof NodeStartError) {
            process.stderr.write(`iotdb-lite: ${error.message}\n`);
            process.exitCode = 1;
            return;
          }
          throw error;
        }
        let signals = 0;
        const shutdown = (signal: string) => {
          if (++signals > 1) {
            log(`${signal} again: exiting without waiting for the flush`);
            process.exit(1);
          }
          log(`${signal} received: flushing memtables and stopping`);
          node.stop().then(
            () => process.exit(0),
            (error: Error) => {
              process.stderr.write(`iotdb-lite: stop failed: ${error.message}\n`);
              process.exit(1);
            },
          );
        };
        process.on('SIGINT', () => shutdown('SIGINT'));
        process.on('SIGTERM', () => shutdown('SIGTERM'));
      },
    );
}
