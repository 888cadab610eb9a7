import { renameSync, rmSync } from 'node:fs';
import { isTimeChunk } from '../format/chunk-header.js';
import { chunkStatistics, type ScanResult, scanFile } from '../read/chunk-group-scanner.js';
import { decodeTimes, uncompressPage } from '../read/page-decoder.js';
import { pagesOf } from '../read/tsfile-reader.js';
import { TsFileWriter } from './tsfile-writer.js';

export interface RecoveryReport {
  readonly chunkGroups: number;
  readonly chunks: number;
  /** Bytes after the last complete chunk group that were dropped. */
  readonly droppedBytes: number;
  readonly stoppedBy: string | null;
}

/**
 * Turns a file that was never sealed into a sealed one holding its complete chunk groups:
 * they are copied unchanged into a new file with a fresh index, which then replaces the
 * original. What was torn is reported, never silently dropped.
 */
export function recoverTsFile(path: string, fileSize: number): RecoveryReport {
  const scan: ScanResult = scanFile(path);
  const tmp = `${path}.recovering`;
  rmSync(tmp, { force: true });
  const writer = TsFileWriter.create(tmp);
  let chunks = 0;
  for (const group of scan.chunkGroups) {
    let rowTimes: BigInt64Array | undefined;
    const raw = group.chunks.map((chunk) => {
      if (isTimeChunk(chunk.header.marker)) rowTimes = timesOfSinglePage(chunk);
      chunks++;
      return { header: chunk.header, data: chunk.data, statistics: chunkStatistics(chunk, rowTimes) };
    });
    writer.writeRawChunkGroup(group.device, raw);
  }
  writer.close();
  renameSync(tmp, path);
  return {
    chunkGroups: scan.chunkGroups.length,
    chunks,
    droppedBytes: scan.sawSeparator ? 0 : Math.max(0, fileSize - scan.completeEnd),
    stoppedBy: scan.stoppedBy,
  };
}

/** The times of a single-page time chunk (value chunks without page statistics need them). */
function timesOfSinglePage(chunk: Parameters<typeof chunkStatistics>[0]): BigInt64Array | undefined {
  const pages = [...pagesOf(chunk)];
  if (pages.length !== 1) return undefined;
  const page = pages[0]!;
  const bytes = uncompressPage(chunk.header.compression, page.data, page.header.uncompressedSize);
  return decodeTimes(chunk.header.encoding, bytes, 0, bytes.length);
}
