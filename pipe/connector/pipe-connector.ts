import type { Tablet } from '../../tsfile/tablet.js';

/** Where a pipe delivers: a tablet or a sealed TsFile at a time, acknowledged when the promise resolves. */
export interface PipeConnector {
  handshake(): Promise<void>;
  transferTablet(tablet: Tablet): Promise<void>;
  transferFile(path: string): Promise<void>;
  close(): void;
}

/** The receiver refused the data for good (retrying the same request cannot help): the pipe stops. */
export class PermanentTransferError extends Error {
  override readonly name = 'PermanentTransferError';
}

/** The do-nothing connector: drops everything and acknowledges, so progress advances. */
export class DoNothingConnector implements PipeConnector {
  async handshake(): Promise<void> {}
  async transferTablet(): Promise<void> {}
  async transferFile(): Promise<void> {}
  close(): void {}
}
