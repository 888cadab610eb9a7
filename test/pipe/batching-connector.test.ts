import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchingConnector, type BatchTarget } from '../../pipe/connector/transport/batching-connector.js';
import { DataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';

function tablet(value: number, rows = 1): Tablet {
  return {
    device: 'root.db.d',
    measurements: ['s'],
    dataTypes: [DataType.INT64],
    times: BigInt64Array.from({ length: rows }, (_, i) => BigInt(value * 1000 + i)),
    columns: [BigInt64Array.from({ length: rows }, () => BigInt(value))],
    nulls: [null],
    rowCount: rows,
    aligned: false,
  };
}

/** A sink whose requests are answered only when the test says so; it records what was sent, in order. */
class HeldSink implements BatchTarget {
  readonly sent: string[] = [];
  private readonly answers: (() => void)[] = [];

  constructor(
    readonly inFlightMax = 1,
    readonly filesInFlightMax = 2,
  ) {}

  async handshake(): Promise<void> {}
  transferTablet(): Promise<void> {
    throw new Error('tablets go in batches');
  }
  transferTablets(tablets: readonly Tablet[]): Promise<void> {
    return this.hold(`batch ${tablets.map((t) => t.columns[0]![0]).join(',')}`);
  }
  transferFile(path: string): Promise<void> {
    return this.hold(`file ${path}`);
  }
  transferDeletion(): Promise<void> {
    return this.hold('deletion');
  }
  close(): void {}

  /** Answers the oldest request still open. */
  async answer(): Promise<void> {
    this.answers.shift()!();
    await new Promise((r) => setImmediate(r));
  }

  get open(): number {
    return this.answers.length;
  }

  private hold(what: string): Promise<void> {
    this.sent.push(what);
    return new Promise((resolve) => this.answers.push(resolve));
  }
}

const SIZE = 16 * 1024 * 1024;

describe('the batcher', () => {
  it('sends the first tablet at once and what gathers meanwhile as the next batch (group commit)', async () => {
    const sink = new HeldSink();
    const batcher = new BatchingConnector(sink, { maxDelayMs: 60_000, sizeBytes: SIZE });
    const acked: number[] = [];
    const deliveries = [1, 2, 3, 4].map((v) => batcher.transferTablet(tablet(v)).then(() => acked.push(v)));
    expect(sink.sent).toEqual(['batch 1']);
    await sink.answer();
    expect(acked).toEqual([1]);
    expect(sink.sent).toEqual(['batch 1', 'batch 2,3,4']);
    const more = batcher.transferTablet(tablet(5)).then(() => acked.push(5));
    expect(sink.open).toBe(1);
    await sink.answer();
    expect(sink.sent).toEqual(['batch 1', 'batch 2,3,4', 'batch 5']);
    await sink.answer();
    await Promise.all([...deliveries, more]);
    expect(acked).toEqual([1, 2, 3, 4, 5]);
  });

  it('caps a batch at size-bytes; a tablet larger than that goes alone', async () => {
    const sink = new HeldSink();
    const batcher = new BatchingConnector(sink, { maxDelayMs: 60_000, sizeBytes: 2000 });
    const all = [tablet(1), tablet(2, 100), tablet(3, 100), tablet(4, 1000), tablet(5)].map((t) =>
      batcher.transferTablet(t),
    );
    for (let i = 0; i < 5; i++) await sink.answer();
    await Promise.all(all);
    // About 1.7 kB for 100 rows of one INT64 series: two do not fit in 2000 bytes; 1000 rows
    // (16 kB) go alone; the last one-row tablet is left out of a batch that is full.
    expect(sink.sent).toEqual(['batch 1', 'batch 2', 'batch 3', 'batch 4', 'batch 5']);
  });

  it('keeps the order of an ordered sink across files and deletions', async () => {
    const sink = new HeldSink();
    const batcher = new BatchingConnector(sink, { maxDelayMs: 60_000, sizeBytes: SIZE });
    const all = [
      batcher.transferTablet(tablet(1)),
      batcher.transferTablet(tablet(2)),
      batcher.transferDeletion({ pattern: 'root.db.d.s', start: 0n, end: 10n }),
      batcher.transferTablet(tablet(3)),
      batcher.transferFile('a.tsfile'),
      batcher.transferFile('b.tsfile'),
      batcher.transferFile('c.tsfile'),
      batcher.transferTablet(tablet(4)),
      batcher.transferTablet(tablet(5)),
    ];
    const steps: string[][] = [];
    while (sink.open > 0) {
      steps.push([...sink.sent]);
      await sink.answer();
    }
    await Promise.all(all);
    expect(sink.sent).toEqual([
      'batch 1',
      'batch 2',
      'deletion',
      'batch 3',
      'file a.tsfile',
      'file b.tsfile',
      'file c.tsfile',
      'batch 4,5',
    ]);
    // Two files overlap (the sink's filesInFlightMax), nothing else does: c starts when a
    // is answered, the tablets after c when c is.
    expect(steps.map((s) => s.length)).toEqual([1, 2, 3, 4, 6, 7, 7, 8]);
  });

  describe('on a sink with several lanes (the async sink)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('a free lane sends what gathered once the oldest tablet waited max-delay, or at once when a batch is full', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const sink = new HeldSink(3, 2);
      const batcher = new BatchingConnector(sink, { maxDelayMs: 100, sizeBytes: 200 });
      const all = [batcher.transferTablet(tablet(1)), batcher.transferTablet(tablet(2))];
      // Nothing in flight: the first goes at once; the second waits for more.
      expect(sink.sent).toEqual(['batch 1']);
      await vi.advanceTimersByTimeAsync(60);
      all.push(batcher.transferTablet(tablet(3)));
      expect(sink.sent).toEqual(['batch 1']);
      await vi.advanceTimersByTimeAsync(40);
      expect(sink.sent).toEqual(['batch 1', 'batch 2,3']);
      // Two tablets fill a 200-byte batch, the third starts the next one: the full one goes at once.
      all.push(batcher.transferTablet(tablet(4)), batcher.transferTablet(tablet(5)), batcher.transferTablet(tablet(6)));
      expect(sink.sent).toEqual(['batch 1', 'batch 2,3', 'batch 4,5']);
      // Every lane busy: tablet 6 waits for a lane even past max-delay.
      await vi.advanceTimersByTimeAsync(500);
      expect(sink.sent).toEqual(['batch 1', 'batch 2,3', 'batch 4,5']);
      await sink.answer();
      expect(sink.sent).toEqual(['batch 1', 'batch 2,3', 'batch 4,5', 'batch 6']);
      while (sink.open > 0) await sink.answer();
      await Promise.all(all);
    });
  });
});
