import { describe, expect, it } from 'vitest';
import { PieceBuffers } from '../../pipe/connector/piece-buffers.js';

describe('PieceBuffers', () => {
  it('hands a returned buffer out again when it is large enough, and keeps a bounded number', () => {
    const pool = new PieceBuffers(2);
    const a = pool.take(100);
    expect(a.length).toBe(100);
    pool.give(a);
    expect(pool.take(200)).not.toBe(a);
    expect(pool.take(50)).toBe(a);
    const [x, y, z] = [pool.take(10), pool.take(10), pool.take(10)];
    for (const b of [x, y, z]) pool.give(b);
    const again = new Set([pool.take(10), pool.take(10), pool.take(10)]);
    expect([x, y, z].filter((b) => again.has(b))).toHaveLength(2);
  });
});
