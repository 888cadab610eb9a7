import { PermanentTransferError } from './connector/pipe-connector.js';

/** What a running pipe task needs to end its pipe on a failure. */
export interface PipeFailureSink {
  readonly name: string;
  /** The pipe failed for good: it is stopped with this message. */
  readonly fail: (message: string) => void;
  readonly log: (message: string) => void;
}

/**
 * Ends a pipe task's run on `error`: a failure while the task was being stopped is the stop
 * itself (a transfer cut short), unless the receiver refused for good; anything else stops
 * the pipe with the error's message.
 */
export function endPipeOnFailure(sink: PipeFailureSink, error: unknown, stopping: boolean): void {
  if (stopping && !(error instanceof PermanentTransferError)) return;
  const message = error instanceof Error ? error.message : String(error);
  sink.log(`pipe ${sink.name} stopped: ${message}`);
  sink.fail(message);
}
