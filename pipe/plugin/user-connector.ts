import type { Tablet } from '../../tsfile/tablet.js';
import type { PipeConnector, PipeDeletion } from '../connector/pipe-connector.js';
import { deletionEvent, tabletInsertionEvent, tsFileInsertionEvent } from './pipe-events.js';
import type { ConnectorPlugin, PipeEvent } from './plugin-api.js';
import { callPlugin, closePlugin } from './plugin-call.js';
import type { PluginRuntime } from './plugin-runtime.js';

/**
 * A user connector plugin as the pipe task's connector: `customize` then `handshake` once,
 * then one `transfer` per event, each acknowledged when it resolves. A transfer that
 * throws is retried with backoff; after the last try the pipe stops with its message.
 */
export class UserConnector implements PipeConnector {
  private readonly stopping = new AbortController();
  private customized = false;
  private closed = false;

  constructor(
    private readonly connector: ConnectorPlugin,
    private readonly runtime: PluginRuntime,
  ) {}

  async handshake(): Promise<void> {
    if (!this.customized) {
      const { parameters, context } = this.runtime;
      await this.call('customize', () => this.connector.customize?.(parameters, context));
      this.customized = true;
    }
    await this.call('handshake', () => this.connector.handshake?.());
  }

  transferTablet(tablet: Tablet): Promise<void> {
    return this.transfer(tabletInsertionEvent(tablet, this.runtime.context.timestampPrecision));
  }

  transferFile(path: string): Promise<void> {
    return this.transfer(tsFileInsertionEvent(path, this.runtime.context.timestampPrecision));
  }

  transferDeletion(deletion: PipeDeletion): Promise<void> {
    return this.transfer(deletionEvent(deletion));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopping.abort();
    closePlugin(this.connector, `connector ${this.runtime.name}`, this.runtime.log);
  }

  private async transfer(event: PipeEvent): Promise<void> {
    await this.call(null, () => this.connector.transfer(event));
  }

  private async call(step: string | null, work: () => unknown): Promise<void> {
    const what = `connector ${this.runtime.name}${step === null ? '' : ` (${step})`}`;
    await callPlugin(what, work, { policy: this.runtime.retry, signal: this.stopping.signal, log: this.runtime.log });
  }
}
