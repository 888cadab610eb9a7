import { Command, CommanderError } from 'commander';
import { cliCommand } from './cli-command.js';
import { pipesCommand } from './pipes-command.js';
import { startCommand } from './start-command.js';
import { tsfileCommand } from './tsfile-command.js';

/** `iotdb-lite <command>`: the one entry point of the package's bin. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('iotdb-lite')
    .description('A miniature Apache-IoTDB-compatible time-series node with TsFile storage and Pipe data sync')
    .exitOverride();
  program.addCommand(startCommand());
  program.addCommand(cliCommand());
  program.addCommand(pipesCommand());
  program.addCommand(tsfileCommand());
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
}
