import { describe, expect, it } from 'vitest';
import { SubtaskSlots } from '../../pipe/subtask-slots.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('pipe subtask slots', () => {
  it('caps the configured number at half the cores, at least one', () => {
    expect(SubtaskSlots.effectiveSize(5, 2)).toBe(1);
    expect(SubtaskSlots.effectiveSize(5, 1)).toBe(1);
    expect(SubtaskSlots.effectiveSize(5, 16)).toBe(5);
    expect(SubtaskSlots.effectiveSize(2, 16)).toBe(2);
  });

  it('runs at most `size` units of work at once, the others in FIFO order', async () => {
    const slots = new SubtaskSlots(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        slots.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await tick();
          order.push(i);
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('lends the slot to others while a unit waits in `idle`', async () => {
    const slots = new SubtaskSlots(1);
    const events: string[] = [];
    let wake = () => {};
    const stuck = slots.run(async () => {
      events.push('stuck: backing off');
      await SubtaskSlots.idle(new Promise<void>((r) => (wake = r)));
      events.push('stuck: retried');
    });
    await tick();
    await slots.run(async () => {
      events.push('other: delivered');
    });
    wake();
    await stuck;
    expect(events).toEqual(['stuck: backing off', 'other: delivered', 'stuck: retried']);
  });

  it('releases the slot when the work throws', async () => {
    const slots = new SubtaskSlots(1);
    await expect(slots.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(async () => 'ok')).resolves.toBe('ok');
  });
});
