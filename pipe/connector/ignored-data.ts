import { basename } from 'node:path';
import { TIME_COLUMN_MASK } from '../../tsfile/format/tsfile-format.js';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { PipeDeletion } from './pipe-connector.js';

/**
 * What a request carried, for the log line of a request whose data the pipe went past
 * (`sink.exception.*.record-ignored-data`): its series with their points, and the total.
 */
export interface RequestContents {
  /** `root.db.d.s=3 root.db.d.t=3`, or `deletion of root.db.** in [0, 9]`; at most RECORD_CHARS_MAX. */
  readonly text: string;
  readonly points: number;
}

/** As IoTDB caps a recorded event in its log. */
const RECORD_CHARS_MAX = 2048;

function listed(points: Map<string, number>): RequestContents {
  let total = 0;
  const parts: string[] = [];
  for (const [series, n] of points) {
    total += n;
    parts.push(`${series}=${n}`);
  }
  const text = parts.join(' ');
  return {
    text: text.length <= RECORD_CHARS_MAX ? text : `${text.slice(0, RECORD_CHARS_MAX)}...(${parts.length} series)`,
    points: total,
  };
}

/** The non-null points of each series of the tablets. */
export function tabletContents(tablets: readonly Tablet[]): RequestContents {
  const points = new Map<string, number>();
  for (const tablet of tablets) {
    tablet.measurements.forEach((m, j) => {
      const nulls = tablet.nulls[j];
      let n = tablet.rowCount;
      if (nulls !== null && nulls !== undefined) for (let i = 0; i < tablet.rowCount; i++) n -= nulls[i] === 1 ? 1 : 0;
      const series = `${tablet.device}.${m}`;
      points.set(series, (points.get(series) ?? 0) + n);
    });
  }
  return listed(points);
}

/** The points of each series of a sealed TsFile, from its index (the points are not read). */
export function fileContents(path: string): RequestContents {
  const points = new Map<string, number>();
  let reader: TsFileReader | null = null;
  try {
    reader = TsFileReader.open(path);
    for (const device of reader.devices()) {
      for (const m of reader.timeseries(device)) {
        if ((m.type & TIME_COLUMN_MASK) === 0) points.set(`${device}.${m.measurementId}`, m.statistics.count);
      }
    }
  } catch (error) {
    // Gone or unreadable by now: the log still names the file.
    return { text: `file ${basename(path)} (${(error as Error).message})`, points: 0 };
  } finally {
    reader?.close();
  }
  const contents = listed(points);
  return { ...contents, text: `file ${basename(path)}: ${contents.text}` };
}

export function deletionContents(deletion: PipeDeletion): RequestContents {
  return { text: `deletion of ${deletion.pattern} in [${deletion.start}, ${deletion.end}]`, points: 0 };
}
