import { compressionName } from '../compression-type.js';
import { dataTypeName } from '../data-type.js';
import { encodingName } from '../encoding-type.js';
import { TIME_COLUMN_MASK } from '../format/tsfile-format.js';
import type { TsFileReader } from '../read/tsfile-reader.js';

/** A human-readable outline: per device its series with type, encoding, compression, counts. */
export function summarize(reader: TsFileReader, sizeBytes: number): string {
  const lines: string[] = [];
  let totalPoints = 0;
  let totalChunks = 0;
  const devices = reader.devices();
  for (const device of devices) {
    const series = reader.timeseries(device);
    const aligned = series.some((m) => (m.type & TIME_COLUMN_MASK) !== 0);
    lines.push(`device ${device}${aligned ? ' (aligned)' : ''}`);
    for (const m of series) {
      if ((m.type & TIME_COLUMN_MASK) !== 0) continue;
      const header = reader.readChunkHeaderAt(m.chunks[0]!.offsetOfChunkHeader);
      const s = m.statistics;
      totalPoints += s.count;
      totalChunks += m.chunks.length;
      lines.push(
        `  ${m.measurementId}  ${dataTypeName(m.dataType)}  ${encodingName(header.encoding)}  ${compressionName(header.compression)}` +
          `  points=${s.count}  chunks=${m.chunks.length}  time=[${s.startTime}, ${s.endTime}]`,
      );
    }
  }
  lines.unshift(
    `TsFile version 3, ${sizeBytes} bytes, ${devices.length} devices, ${totalChunks} chunks, ${totalPoints} points`,
  );
  return `${lines.join('\n')}\n`;
}
