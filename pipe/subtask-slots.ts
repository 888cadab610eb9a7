import { AsyncLocalStorage } from 'node:async_hooks';
import { availableParallelism } from 'node:os';

/**
 * IoTDB's pipe subtask executor, as slots: at most `size` pipe subtasks deliver events at
 * once, and the others wait their turn in FIFO order. A subtask holds a slot while it
 * processes one unit of work (a history file, a realtime event), not while it waits for
 * new events, and gives it up while it backs off from an unreachable receiver (`idle`), so
 * a pipe to a dead receiver never starves the others.
 */
export class SubtaskSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  private static readonly current = new AsyncLocalStorage<SubtaskSlots>();

  constructor(readonly size: number) {
    this.free = size;
  }

  /** IoTDB's effective thread number: the configured one, at most half the cores, at least 1. */
  static effectiveSize(configured: number, cores: number = availableParallelism()): number {
    return Math.min(configured, Math.max(1, Math.floor(cores / 2)));
  }

  /** Runs `work` while holding a slot. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await SubtaskSlots.current.run(this, work);
    } finally {
      this.release();
    }
  }

  /**
   * Waits for `pause` without holding the caller's slot (when it holds one), then takes a
   * slot again.
   */
  static async idle<T>(pause: Promise<T>): Promise<T> {
    const slots = SubtaskSlots.current.getStore();
    if (slots === undefined) return pause;
    slots.release();
    try {
      return await pause;
    } finally {
      await slots.acquire();
    }
  }

  private acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.free++;
    else next();
  }
}
