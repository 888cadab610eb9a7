import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Sequential file output with its own buffer and a position that counts every byte given to it. */
export interface TsFileOutput {
  readonly position: number;
  write(bytes: Uint8Array): void;
  /** Writes buffered bytes to the file (and to disk when `sync`). */
  flush(sync?: boolean): void;
  close(): void;
}

const BUFFER_BYTES = 1 << 20;

export class FileOutput implements TsFileOutput {
  private fd: number;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private buffered = 0;
  private written = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx');
  }

  get position(): number {
    return this.written + this.buffered;
  }

  write(bytes: Uint8Array): void {
    if (bytes.length >= BUFFER_BYTES) {
      this.flush();
      this.writeFully(bytes);
      return;
    }
    if (this.buffered + bytes.length > BUFFER_BYTES) this.flush();
    this.buffer.set(bytes, this.buffered);
    this.buffered += bytes.length;
  }

  flush(sync = false): void {
    if (this.buffered > 0) {
      this.writeFully(this.buffer.subarray(0, this.buffered));
      this.buffered = 0;
    }
    if (sync) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush(true);
    closeSync(this.fd);
    this.fd = -1;
  }

  private writeFully(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.written += bytes.length;
  }
}

/** Collects a whole file in memory (tests, pipe transfers of small files). */
export class MemoryOutput implements TsFileOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  get position(): number {
    return this.size;
  }

  write(bytes: Uint8Array): void {
    this.chunks.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  flush(): void {}

  close(): void {}

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
