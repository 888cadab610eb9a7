import { describe, expect, it } from 'vitest';
import { ByteRateLimiter } from '../../pipe/connector/transport/byte-rate-limiter.js';
import { TargetOrder } from '../../pipe/connector/transport/load-balance.js';
import { compressing, rateLimited, stacked, wireBytes } from '../../pipe/connector/transport/outbound-layers.js';
import { pipeCompressor } from '../../protocol/pipe/pipe-compression.js';
import { decodePipeTransferReq, encodeHandshakeV1, PipeRequestType } from '../../protocol/pipe/pipe-requests.js';

describe('load-balance strategies', () => {
  const tries = (order: TargetOrder, n: number) => Array.from({ length: n }, () => order.take());

  it('round-robin starts each connection of a pool at the next receiver and fails over in turn', () => {
    expect(tries(new TargetOrder('round-robin', 3, 0), 4)).toEqual([0, 1, 2, 0]);
    expect(tries(new TargetOrder('round-robin', 3, 1), 3)).toEqual([1, 2, 0]);
    expect(tries(new TargetOrder('round-robin', 3, 5), 1)).toEqual([2]);
  });

  it('priority starts every connection at the first receiver and goes back to it after a connection', () => {
    const order = new TargetOrder('priority', 3, 2);
    expect(tries(order, 2)).toEqual([0, 1]);
    order.connected();
    expect(tries(order, 2)).toEqual([0, 1]);
  });

  it('random starts where the random draw says, then fails over in turn', () => {
    expect(tries(new TargetOrder('random', 4, 0, () => 0.6), 3)).toEqual([2, 3, 0]);
    expect(tries(new TargetOrder('random', 4, 0, () => 0.99), 2)).toEqual([3, 0]);
  });
});

describe('rate limiter', () => {
  it('lets a request go when those before it are paid for, whatever its size', () => {
    let now = 1000;
    const limiter = new ByteRateLimiter(1000, () => now);
    // A request bigger than a second's worth goes at once; its 5 s are paid by the next ones.
    expect(limiter.reserve(5000)).toBe(0);
    expect(limiter.reserve(10)).toBe(5000);
    now = 3000;
    expect(limiter.reserve(10)).toBe(3010);
    // Paid until 6020: at 7000 the link has been idle, nothing waits, and nothing is saved up.
    now = 7000;
    expect(limiter.reserve(1000)).toBe(0);
    expect(limiter.reserve(1)).toBe(1000);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new ByteRateLimiter(0)).toThrow('a rate limit must be positive, not 0');
  });
});

describe('outbound layers', () => {
  it('compress then count the compressed bytes on the wire', async () => {
    const counted: number[] = [];
    const counter = { bytesPerSecond: 1e12, acquire: async (n: number) => void counted.push(n) } as ByteRateLimiter;
    const layer = stacked([compressing([pipeCompressor('zstd')]), rateLimited([counter])])!;
    const req = await layer(encodeHandshakeV1('ms'));
    expect(req.type).toBe(PipeRequestType.TRANSFER_COMPRESSED);
    expect(counted).toEqual([wireBytes(req)]);
    expect(decodePipeTransferReq(req)).toEqual({ kind: 'handshake-v1', timestampPrecision: 'ms' });
    expect(stacked([])).toBeUndefined();
  });
});
