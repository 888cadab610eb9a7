import type { TPipeTransferReq } from '../../protocol/rpc-types.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { type PipeConnector, type PipeDeletion, transferConfigPlanThrough } from '../connector/pipe-connector.js';
import { DeliveryFailure, deliverTo, ForwardingCollector } from './event-collector.js';
import { deletionEvent, tabletInsertionEvent, tsFileInsertionEvent } from './pipe-events.js';
import type { PipeEvent, ProcessorPlugin } from './plugin-api.js';
import { callPlugin, closePlugin } from './plugin-call.js';
import type { PluginRuntime } from './plugin-runtime.js';

/**
 * A user processor in front of a connector. The pipe task sees one connector: what it
 * delivers becomes an event for the processor (a tablet, a history file shipped whole, a
 * deletion), and what the processor collects goes on to the real connector, in order. An
 * event counts as delivered (and progress moves past it) once the processor returned and
 * everything it collected was delivered. A processor that throws is retried with backoff;
 * after the last try the pipe stops with its message. A retry processes the event again,
 * so what was delivered before the throw may be delivered twice (at least once, as
 * everywhere in pipes).
 *
 * Events go through one at a time (no `inFlightMax`), so a processor sees them in order
 * whatever the connector behind could take at once. Pipes with the built-in do-nothing
 * processor do not get this stage at all.
 */
export class ProcessorStage implements PipeConnector {
  private readonly stopping = new AbortController();
  private customized = false;
  private closed = false;

  constructor(
    private readonly processor: ProcessorPlugin,
    private readonly downstream: PipeConnector,
    private readonly runtime: PluginRuntime,
  ) {}

  async handshake(): Promise<void> {
    if (!this.customized) {
      const { parameters, context } = this.runtime;
      await callPlugin(
        `processor ${this.runtime.name} (customize)`,
        () => this.processor.customize?.(parameters, context),
        this.callOptions(),
      );
      this.customized = true;
    }
    await this.downstream.handshake();
  }

  get receiverId(): string | undefined {
    return this.downstream.receiverId;
  }

  transferTablet(tablet: Tablet, origin?: string): Promise<void> {
    return this.process(tabletInsertionEvent(tablet, this.runtime.context.timestampPrecision), origin);
  }

  transferFile(path: string, origin?: string): Promise<void> {
    return this.process(tsFileInsertionEvent(path, this.runtime.context.timestampPrecision), origin);
  }

  /** A config plan (users) is no event of the processor's: it goes on to the sink. */
  transferConfigPlan(req: TPipeTransferReq, what: string): Promise<void> {
    return transferConfigPlanThrough(this.downstream, req, what);
  }

  transferDeletion(deletion: PipeDeletion, origin?: string): Promise<void> {
    return this.process(deletionEvent(deletion), origin);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopping.abort();
    closePlugin(this.processor, `processor ${this.runtime.name}`, this.runtime.log);
    this.downstream.close();
  }

  private async process(event: PipeEvent, origin: string | undefined): Promise<void> {
    const deliver = deliverTo(this.downstream, origin);
    try {
      await callPlugin(
        `processor ${this.runtime.name}`,
        async () => {
          const collector = new ForwardingCollector(deliver);
          let thrown: { readonly error: unknown } | null = null;
          try {
            await this.processor.process(event, collector);
          } catch (error) {
            thrown = { error };
          }
          // Deliveries end before a retry starts, and a connector failure outranks the processor's.
          await collector.finish();
          if (thrown !== null) throw thrown.error;
          if (collector.fault !== null) throw new TypeError(collector.fault);
        },
        { ...this.callOptions(), passThrough: (error) => error instanceof DeliveryFailure },
      );
    } catch (error) {
      throw error instanceof DeliveryFailure ? error.failure : error;
    }
  }

  private callOptions() {
    return { policy: this.runtime.retry, signal: this.stopping.signal, log: this.runtime.log };
  }
}
