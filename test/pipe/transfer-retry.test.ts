import { describe, expect, it } from 'vitest';
import { ConnectorClosedError, PermanentTransferError } from '../../pipe/connector/pipe-connector.js';
import { TransferRetry } from '../../pipe/connector/transfer-retry.js';

describe('the retry discipline of blocking connectors', () => {
  it('makes a failed attempt again after a doubling backoff, resetting the connection each time', async () => {
    const logs: string[] = [];
    const retry = new TransferRetry((m) => logs.push(m));
    let attempts = 0;
    let resets = 0;
    const started = Date.now();
    await retry.run(
      async () => {
        attempts++;
        if (attempts < 3) throw new Error(`down ${attempts}`);
      },
      () => resets++,
    );
    expect(attempts).toBe(3);
    expect(resets).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(logs).toEqual([
      'pipe transfer failed, retrying in 100 ms: down 1',
      'pipe transfer failed, retrying in 200 ms: down 2',
    ]);
  });

  it('gives up at once on a permanent refusal', async () => {
    const retry = new TransferRetry(() => {});
    let attempts = 0;
    const refusal = new PermanentTransferError('refused');
    await expect(
      retry.run(
        async () => {
          attempts++;
          throw refusal;
        },
        () => {},
      ),
    ).rejects.toBe(refusal);
    expect(attempts).toBe(1);
  });

  it('ends a backoff when closed, and refuses to start after', async () => {
    const retry = new TransferRetry(() => {});
    const running = retry.run(
      async () => {
        throw new Error('down');
      },
      () => {},
    );
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    retry.close();
    await expect(running).rejects.toBeInstanceOf(ConnectorClosedError);
    expect(Date.now() - started).toBeLessThan(80);
    await expect(
      retry.run(
        async () => {},
        () => {},
      ),
    ).rejects.toBeInstanceOf(ConnectorClosedError);
  });
});
