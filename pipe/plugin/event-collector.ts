import { isValueDataType } from '../../tsfile/data-type.js';
import type { PipeConnector } from '../connector/pipe-connector.js';
import type { EventCollector, PipeEvent } from './plugin-api.js';

/** A delivery of a collected event failed: the connector's error, to be handled as the connector's, not the processor's. */
export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

/**
 * Hands an event to the connector behind a processor; what a processor makes of an event
 * keeps that event's origin (the node where its data was first written).
 */
export function deliverTo(connector: PipeConnector, origin?: string): (event: PipeEvent) => Promise<void> {
  return async (event) => {
    switch (event.kind) {
      case 'tablet-insertion':
        if (event.tablet.rowCount > 0) await connector.transferTablet(event.tablet, origin);
        return;
      case 'tsfile-insertion':
        await connector.transferFile(event.path, origin);
        return;
      case 'deletion':
        await connector.transferDeletion({ pattern: event.pattern, start: event.start, end: event.end }, origin);
        return;
    }
  };
}

/** Why a collected event cannot go on, or null. Plugins are plain JavaScript, so the shape is checked here. */
export function flawOf(event: PipeEvent): string | null {
  if (typeof event !== 'object' || event === null) return 'an event must be an object';
  switch (event.kind) {
    case 'tablet-insertion': {
      const t = event.tablet;
      if (typeof t !== 'object' || t === null || typeof t.device !== 'string') return 'a tablet needs a device';
      const n = t.rowCount;
      if (!Number.isInteger(n) || n < 0) return `tablet of ${t.device}: rowCount must be a count`;
      if (!(t.times instanceof BigInt64Array) || t.times.length < n)
        return `tablet of ${t.device}: times must be a BigInt64Array of rowCount`;
      const m = t.measurements.length;
      if (t.dataTypes.length !== m || t.columns.length !== m || t.nulls.length !== m) {
        return `tablet of ${t.device}: measurements, dataTypes, columns and nulls must have one entry per measurement`;
      }
      for (let j = 0; j < m; j++) {
        if (!isValueDataType(t.dataTypes[j]!)) return `tablet of ${t.device}: data type ${t.dataTypes[j]} is unknown`;
        if ((t.columns[j]?.length ?? -1) < n)
          return `tablet of ${t.device}: column ${t.measurements[j]} is shorter than rowCount`;
        const nulls = t.nulls[j];
        if (nulls !== null && !(nulls instanceof Uint8Array && nulls.length >= n)) {
          return `tablet of ${t.device}: nulls of ${t.measurements[j]} must be null or a Uint8Array of rowCount`;
        }
      }
      return null;
    }
    case 'tsfile-insertion':
      return typeof event.path === 'string' ? null : 'a TsFile event needs a path';
    case 'deletion':
      return typeof event.pattern === 'string' && typeof event.start === 'bigint' && typeof event.end === 'bigint'
        ? null
        : 'a deletion needs a pattern and bigint start and end';
    default:
      return `unknown event kind '${(event as { kind?: unknown }).kind}'`;
  }
}

/**
 * The collector handed to one `process` call: collected events are delivered in order,
 * one at a time, while the processor goes on. No promise it returns is ever left
 * rejected without a handler, so a processor that does not await cannot cause an
 * unhandled rejection; failures are reported by `finish` instead.
 */
export class ForwardingCollector implements EventCollector {
  private tail: Promise<void> = Promise.resolve();
  private delivery: { readonly error: unknown } | null = null;
  private firstFault: string | null = null;
  private open = true;

  constructor(private readonly deliver: (event: PipeEvent) => Promise<void>) {}

  collect(event: PipeEvent): Promise<void> {
    const flaw = this.open ? flawOf(event) : 'collect() was called after process() had returned';
    if (flaw !== null) {
      this.firstFault ??= flaw;
      const refused = Promise.reject(new TypeError(flaw));
      refused.catch(() => {});
      return refused;
    }
    const delivered = this.tail.then(() => (this.delivery === null ? this.deliver(event) : undefined));
    delivered.catch(() => {});
    this.tail = delivered.catch((error: unknown) => {
      this.delivery ??= { error };
    });
    return delivered;
  }

  /** What the processor collected that could not go on, if anything (its fault, not the connector's). */
  get fault(): string | null {
    return this.firstFault;
  }

  /**
   * Closes the collector once `process` returned or threw and waits for every delivery;
   * throws a `DeliveryFailure` when the connector failed.
   */
  async finish(): Promise<void> {
    this.open = false;
    await this.tail;
    if (this.delivery !== null) throw new DeliveryFailure(this.delivery.error);
  }
}
