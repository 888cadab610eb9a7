import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

const BIN = new URL('../../bin/iotdb-lite.js', import.meta.url).pathname;

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real `iotdb-lite start` process: its combined output so far and its exit code. */
export interface NodeProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Spawns `iotdb-lite start ARGS`; `track` receives a killer for the test's cleanup. */
export function spawnNode(args: readonly string[], cwd: string, track: (kill: () => void) => void): NodeProcess {
  const child = spawn(process.execPath, [BIN, 'start', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  track(() => child.kill('SIGKILL'));
  return { child, output: () => output, exited };
}

/**
 * Waits until the process printed `text` (or exited); throws with its output if it did not.
 * The deadline is generous: a node start takes seconds on a loaded two-core machine.
 */
export async function waitForOutput(running: NodeProcess, text: string, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline && !running.output().includes(text)) {
    if (running.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!running.output().includes(text)) throw new Error(`no "${text}" in: ${running.output()}`);
}
