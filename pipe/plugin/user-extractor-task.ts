import type { PipeConnector } from '../connector/pipe-connector.js';
import { endPipeOnFailure } from '../pipe-failure.js';
import type { SubtaskSlots } from '../subtask-slots.js';
import { deliverTo, flawOf } from './event-collector.js';
import type { ExtractorPlugin, PipeEvent } from './plugin-api.js';
import { callPlugin, closePlugin, PipePluginError, PipeStoppingError } from './plugin-call.js';
import type { PluginRuntime } from './plugin-runtime.js';

export interface UserExtractorTaskOptions {
  readonly name: string;
  readonly extractor: ExtractorPlugin;
  readonly runtime: PluginRuntime;
  /** The connector, behind the pipe's processor when it has a user one. */
  readonly connector: PipeConnector;
  readonly slots: SubtaskSlots;
  /** The pipe failed for good: it is stopped with this message. */
  readonly fail: (message: string) => void;
  readonly log: (message: string) => void;
}

/** How long an extractor with nothing to supply is left alone, at first and at most. */
const IDLE_FIRST_MS = 5;
const IDLE_MAX_MS = 200;

/**
 * A pipe whose extractor is a user plugin (IoTDB's PipeExtractor): `customize`, `start`,
 * then `supply` in a loop, each event delivered (through the processor, if any) before the
 * next is asked for. The extractor owns its position: the node keeps no progress for it,
 * so what it supplies again after a restart is delivered again (at least once). `supply`
 * returning null means nothing for now: it is asked again after a growing pause. A call
 * that keeps throwing stops the pipe with its message, as for processors.
 */
export class UserExtractorTask {
  private readonly stopping = new AbortController();
  private readonly done: Promise<void>;

  constructor(private readonly options: UserExtractorTaskOptions) {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.options.connector.close();
    await this.done;
  }

  private async run(): Promise<void> {
    const { options } = this;
    const { extractor, runtime } = options;
    const what = `extractor ${runtime.name}`;
    const call = { policy: runtime.retry, signal: this.stopping.signal, log: runtime.log };
    const deliver = deliverTo(options.connector);
    try {
      await callPlugin(`${what} (customize)`, () => extractor.customize?.(runtime.parameters, runtime.context), call);
      await callPlugin(`${what} (start)`, () => extractor.start?.(), call);
      await options.connector.handshake();
      let idle = IDLE_FIRST_MS;
      while (!this.stopping.signal.aborted) {
        const event = await callPlugin(what, () => extractor.supply(), call);
        if (event === null || event === undefined) {
          await new Promise((resolve) => setTimeout(resolve, idle).unref());
          idle = Math.min(idle * 2, IDLE_MAX_MS);
          continue;
        }
        idle = IDLE_FIRST_MS;
        const flaw = flawOf(event as PipeEvent);
        if (flaw !== null) throw new PipePluginError(`${what} supplied a malformed event: ${flaw}`);
        await options.slots.run(() => deliver(event as PipeEvent));
      }
    } catch (error) {
      if (error instanceof PipeStoppingError) return;
      endPipeOnFailure(options, error, this.stopping.signal.aborted);
    } finally {
      closePlugin(extractor, what, runtime.log);
      options.connector.close();
    }
  }
}
