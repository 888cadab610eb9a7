import { PermanentTransferError } from '../connector/pipe-connector.js';
import { SubtaskSlots } from '../subtask-slots.js';

/** How often a failing plugin call is tried, and the waits between tries (doubling). */
export interface RetryPolicy {
  readonly attempts: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/** Five tries over about 1.5 s, as IoTDB retries a failing pipe subtask a few times before it stops the pipe. */
export const PLUGIN_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 100, maxDelayMs: 2000 };

/** A plugin kept failing: its pipe stops with this message. */
export class PipePluginError extends PermanentTransferError {}

/** The pipe is stopping: a plugin call in progress is abandoned (its pipe task ends quietly). */
export class PipeStoppingError extends Error {
  override readonly name = 'PipeStoppingError';
}

export interface PluginCallOptions {
  readonly policy: RetryPolicy;
  /** Aborted when the pipe stops: waits end and a hung call is abandoned. */
  readonly signal: AbortSignal;
  readonly log: (message: string) => void;
  /** Errors that are not the plugin's (a connector's, downstream of a processor): rethrown at once, untried. */
  readonly passThrough?: (error: unknown) => boolean;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `work` or the pipe stopping, whichever comes first. A late rejection of `work` is swallowed. */
async function unlessStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {});
  if (signal.aborted) throw new PipeStoppingError('the pipe is stopping');
  let onAbort: (() => void) | null = null;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(new PipeStoppingError('the pipe is stopping'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  stopped.catch(() => {});
  try {
    return await Promise.race([work, stopped]);
  } finally {
    if (onAbort !== null) signal.removeEventListener('abort', onAbort);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs one call into plugin code. A throw (or rejection) is retried with backoff, the
 * pipe's subtask slot given up while waiting; after the last attempt it becomes a
 * `PipePluginError` carrying the plugin's message, which stops the pipe. Plugin code can
 * never take the node down from here: a synchronous throw, a rejection and a call that
 * never settles (abandoned when the pipe stops) all end in this function.
 */
export async function callPlugin<T>(what: string, call: () => T | Promise<T>, options: PluginCallOptions): Promise<T> {
  const { policy, signal, log } = options;
  let delay = policy.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await unlessStopped(new Promise<T>((resolve) => resolve(call())), signal);
    } catch (error) {
      if (error instanceof PipeStoppingError || signal.aborted) throw new PipeStoppingError('the pipe is stopping');
      if (options.passThrough?.(error)) throw error;
      if (attempt >= policy.attempts) {
        throw new PipePluginError(`${what} failed ${attempt} times; last error: ${messageOf(error)}`);
      }
      log(`${what} failed (attempt ${attempt} of ${policy.attempts}), retrying in ${delay} ms: ${messageOf(error)}`);
      await SubtaskSlots.idle(pause(delay, signal));
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

/** Calls a plugin's optional `close`, logging (never throwing) what it throws or rejects with. */
export function closePlugin(plugin: { close?(): unknown }, what: string, log: (message: string) => void): void {
  const report = (error: unknown) => log(`${what} failed to close: ${messageOf(error)}`);
  try {
    const closing = plugin.close?.();
    if (closing instanceof Promise) closing.catch(report);
  } catch (error) {
    report(error);
  }
}
