import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';

/**
 * Open readers of sealed TsFiles, least recently used first out. Opening a reader parses
 * the file's tail and index; a scan touches every series of a file, so readers are kept
 * (bounded by `readersMax` open files).
 */
export class ReaderCache {
  private readonly readers = new Map<string, TsFileReader>();

  constructor(private readonly readersMax = 64) {}

  get(path: string): TsFileReader {
    let reader = this.readers.get(path);
    if (reader !== undefined) {
      this.readers.delete(path);
      this.readers.set(path, reader);
      return reader;
    }
    reader = TsFileReader.open(path);
    this.readers.set(path, reader);
    if (this.readers.size > this.readersMax) {
      const [oldest, r] = this.readers.entries().next().value as [string, TsFileReader];
      this.readers.delete(oldest);
      r.close();
    }
    return reader;
  }

  /** Closes the reader of a file about to be removed. */
  evict(path: string): void {
    this.readers.get(path)?.close();
    this.readers.delete(path);
  }

  close(): void {
    for (const r of this.readers.values()) r.close();
    this.readers.clear();
  }
}
