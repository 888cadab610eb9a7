import { Worker } from 'node:worker_threads';
import { type FlushJob, type FlushResult, runFlushJob } from './flush-job.js';

/** Runs flush jobs one at a time, in order. */
export interface FlushExecutor {
  run(job: FlushJob): Promise<FlushResult>;
  close(): Promise<void>;
}

/** Flushes on the calling thread (embedded use where a worker is not wanted). */
export class InlineFlushExecutor implements FlushExecutor {
  async run(job: FlushJob): Promise<FlushResult> {
    return runFlushJob(job);
  }

  async close(): Promise<void> {}
}

/**
 * Flushes on a worker thread so that encoding and compression never stall ingestion. The
 * worker's entry registers tsx's loader to run the TypeScript sources, as the main thread does.
 */
export class WorkerFlushExecutor implements FlushExecutor {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: FlushResult) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker = new Worker(new URL('./flush-worker-entry.mjs', import.meta.url));
    this.worker.on('message', (m: { id: number; result?: FlushResult; error?: string }) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.error !== undefined) p.reject(new Error(`flush failed: ${m.error}`));
      else p.resolve(m.result!);
    });
    this.worker.on('error', (error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
    this.worker.unref();
  }

  run(job: FlushJob): Promise<FlushResult> {
    const id = this.nextId++;
    // Referenced only while a job runs: an idle flush thread must not keep the process alive.
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const transfer: ArrayBuffer[] = [];
      for (const d of job.devices) {
        for (const series of d.series) {
          transfer.push(series.times.buffer as ArrayBuffer);
          if (!Array.isArray(series.values)) transfer.push(series.values.buffer as ArrayBuffer);
        }
      }
      this.worker.postMessage({ id, job }, transfer);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
