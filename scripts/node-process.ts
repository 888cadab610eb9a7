// Real `iotdb-lite start` processes for the benchmarks and the quick start: a free loopback
// port, a node started on it and awaited until it listens, and its stop.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

const BIN = new URL('../bin/iotdb-lite.js', import.meta.url).pathname;

/** Characters of a node's log (stdout) kept for error messages; the rest is discarded. */
const OUTPUT_TAIL_BYTES_MAX = 16 * 1024;

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface NodeOptions {
  readonly port: number;
  /** The node's data folder (`--data`). */
  readonly data: string;
  /** Named in error messages. */
  readonly name?: string;
  /** More `iotdb-lite start` arguments. */
  readonly args?: readonly string[];
  /** More environment variables (`IOTDB_LITE_<SETTING>`). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A running node process. */
export interface NodeProcess {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** The end of the node's log (its stdout; its stderr goes to ours). */
  readonly output: () => string;
  /**
   * Sends `signal` (SIGTERM: the node flushes its memtables and exits 0; SIGKILL when its
   * data does not matter) and waits for the exit. A node already gone is fine.
   */
  readonly stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/** Nodes started here and not yet exited; killed when this process exits, however it exits. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `iotdb-lite start --port PORT --data DATA ...`; resolves once it listens, rejects if it exits first. */
export function startNode(options: NodeOptions): Promise<NodeProcess> {
  const name = options.name ?? `node on ${options.port}`;
  const child = spawn(
    process.execPath,
    [BIN, 'start', '--port', String(options.port), '--data', options.data, ...(options.args ?? [])],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...options.env } },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  let output = '';
  const keep = (d: Buffer) => {
    output += d;
    if (output.length > OUTPUT_TAIL_BYTES_MAX) output = output.slice(-OUTPUT_TAIL_BYTES_MAX);
  };
  child.stdout!.on('data', keep);
  const node: NodeProcess = {
    name,
    port: options.port,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const onData = () => {
      if (!output.includes('listening on')) return;
      child.stdout!.off('data', onData);
      resolve(node);
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output}`)));
  });
}

/** Stops every node started here that is still running (cleanup on a signal or a failure). */
export async function stopAllNodes(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          if (!child.kill(signal) || child.exitCode !== null) resolve();
        }),
    ),
  );
}
