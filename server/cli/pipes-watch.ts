import { setTimeout as sleep } from 'node:timers/promises';
import { createLogUpdate } from 'log-update';
import { ConnectionError, IoTDBError } from '../../protocol/client/iotdb-error.js';
import type { Session } from '../../protocol/client/session.js';
import { type NodeLogin, openCliSession } from './cli-session.js';
import {
  byteRates,
  type PipeProgress,
  type ProgressCells,
  pipeProgressOf,
  plainLine,
  terminalFrame,
} from './pipe-progress-view.js';

export interface PipesWatchOptions extends NodeLogin {
  /** Snapshots to take; Infinity refreshes until interrupted. */
  readonly iterations: number;
  readonly intervalMs: number;
}

export interface PipesWatchIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly rows?: number };
  readonly stderr: NodeJS.WritableStream;
  /** Ends the watch early (Ctrl-C). */
  readonly signal?: AbortSignal;
}

async function snapshot(session: Session): Promise<PipeProgress[]> {
  const { result, blocks } = await session.query('show pipes progress');
  const decoder = new TextDecoder();
  const pipes: PipeProgress[] = [];
  for (const block of blocks) {
    for (let i = 0; i < block.rowCount; i++) {
      const cells: Record<string, string | null> = {};
      result.columnNames.forEach((name, j) => {
        const column = block.columns[j]!;
        cells[name] = column.nulls?.[i] === 1 ? null : decoder.decode((column.values as Uint8Array[])[i]!);
      });
      pipes.push(pipeProgressOf(cells as ProgressCells));
    }
  }
  return pipes;
}

/**
 * `iotdb-lite pipes [--watch]`: the progress of every pipe of a node, from SHOW PIPES
 * PROGRESS over the client RPC, each `intervalMs`. On a terminal one frame redrawn in
 * place; otherwise one plain line per pipe per refresh. Returns 1 when the node cannot be
 * reached, refuses the login or goes away; 0 otherwise.
 */
export async function runPipesWatch(options: PipesWatchOptions, io: PipesWatchIo): Promise<number> {
  const node = `${options.host}:${options.port}`;
  const fail = (error: Error) => {
    io.stderr.write(`Error: cannot watch the pipes of ${node}: ${error.message}\n`);
    return 1;
  };
  const session = await openCliSession(options, fail);
  if (session === null) return 1;
  // A terminal that reports no rows (a pseudo-terminal never sized) gets plain lines.
  const terminal = io.stdout.isTTY === true && (io.stdout.rows ?? 0) > 0;
  const frame = terminal ? createLogUpdate(io.stdout) : null;
  try {
    let before: { pipes: PipeProgress[]; at: number } | null = null;
    for (let i = 0; i < options.iterations; i++) {
      if (i > 0) await sleep(options.intervalMs, undefined, { signal: io.signal }).catch(() => {});
      if (io.signal?.aborted === true) break;
      const pipes = await snapshot(session);
      const at = Date.now();
      const rates = byteRates(before?.pipes ?? null, pipes, before === null ? 0 : (at - before.at) / 1000);
      before = { pipes, at };
      if (frame !== null) frame(terminalFrame(node, pipes, rates, new Date(at)));
      else for (const p of pipes) io.stdout.write(`${plainLine(p, rates.get(p.id))}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ConnectionError || error instanceof IoTDBError) return fail(error);
    throw error;
  } finally {
    frame?.done();
    await session.close().catch(() => {});
  }
}
