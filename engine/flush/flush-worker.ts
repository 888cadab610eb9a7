// The flush thread: encodes and compresses memtables into TsFiles off the write path.
import { parentPort } from 'node:worker_threads';
import { type FlushJob, runFlushJob } from './flush-job.js';

parentPort?.on('message', (message: { id: number; job: FlushJob }) => {
  try {
    parentPort!.postMessage({ id: message.id, result: runFlushJob(message.job) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
