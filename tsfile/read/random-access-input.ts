import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CorruptDataError } from '../io/byte-reader.js';

/** Positional reads over a file or a buffer; reads past the end are corruption, not short reads. */
export interface RandomAccessInput {
  readonly size: number;
  read(offset: number, length: number): Buffer;
  close(): void;
}

export class FileInput implements RandomAccessInput {
  readonly size: number;
  private fd: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  read(offset: number, length: number): Buffer {
    checkRange(offset, length, this.size);
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0)
        throw new CorruptDataError(`file ended at ${offset + done} while reading ${length} bytes at ${offset}`);
      done += n;
    }
    return buf;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

export class BufferInput implements RandomAccessInput {
  readonly size: number;

  constructor(private readonly bytes: Buffer) {
    this.size = bytes.length;
  }

  read(offset: number, length: number): Buffer {
    checkRange(offset, length, this.size);
    return this.bytes.subarray(offset, offset + length);
  }

  close(): void {}
}

function checkRange(offset: number, length: number, size: number): void {
  if (
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > size
  ) {
    throw new CorruptDataError(`read of ${length} bytes at offset ${offset} is outside the file (${size} bytes)`);
  }
}
