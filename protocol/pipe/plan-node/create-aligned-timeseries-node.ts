// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Schema plans" (createAlignedTimeSeries).
//
//   createAlignedTimeSeries := type:int16be(22) device:string n:int32be measurement:string{n}
//                              dtype{n} encoding:u8{n} compressor:u8{n}
//                              (i8(-1) | i8(0) | i8(1) alias:nstring{n})
//                              (i8(-1) | i8(0) | i8(1) tags:smap{n})
//                              (i8(-1) | i8(0) | i8(1) attributes:smap{n}) trailer
//
// What IoTDB 1.3's schema-region pipe sends for CREATE ALIGNED TIMESERIES.

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { readCount, readString, writeString } from '../pipe-bytes.js';
import { readDataType, readNullableString, readPlanNodeTrailer, writePlanNodeTrailer } from './plan-node-bytes.js';
import { DEFAULT_PLAN_NODE_ID, PlanNodeType } from './plan-node-format.js';
import { readCompression, readEncoding, type SeriesSpec } from './series-spec.js';
import { readLabel, readStringMapOf, type StringMap, writeStringMapOf } from './string-maps.js';

/** The label byte -1 (Java's null list), unsigned. */
const NULL_LABEL = 0xff;

/** The series of one aligned device. */
export interface CreateAlignedTimeSeries {
  readonly device: string;
  readonly series: readonly SeriesSpec[];
}

/** Writes the node, type code to trailer; a list with nothing in it (no alias, no tag) is written as Java's null. */
export function writeCreateAlignedTimeSeriesNode(out: ByteWriter, { device, series }: CreateAlignedTimeSeries): void {
  out.writeInt16(PlanNodeType.CREATE_ALIGNED_TIME_SERIES);
  writeString(out, device);
  out.writeInt32(series.length);
  for (const s of series) writeString(out, s.measurement);
  for (const s of series) out.writeUInt8(s.dataType);
  for (const s of series) out.writeUInt8(s.encoding);
  for (const s of series) out.writeUInt8(s.compression);
  if (series.every((s) => s.alias === null)) out.writeUInt8(NULL_LABEL);
  else {
    out.writeUInt8(1);
    for (const s of series) {
      if (s.alias === null) out.writeInt32(-1);
      else writeString(out, s.alias);
    }
  }
  for (const maps of [series.map((s) => s.tags), series.map((s) => s.attributes)]) writeMapList(out, maps);
  writePlanNodeTrailer(out, DEFAULT_PLAN_NODE_ID);
}

function writeMapList(out: ByteWriter, maps: readonly StringMap[]): void {
  if (maps.every((m) => Object.keys(m).length === 0)) {
    out.writeUInt8(NULL_LABEL);
    return;
  }
  out.writeUInt8(1);
  for (const m of maps) writeStringMapOf(out, m);
}

/** Reads the node after its type code, trailer included. */
export function readCreateAlignedTimeSeriesNode(r: ByteReader): CreateAlignedTimeSeries {
  const device = readString(r, 'create aligned time series node: device');
  const what = `create aligned time series node ${device}:`;
  const n = readCount(r, `${what} measurements`, 4 + 3);
  const measurements: string[] = [];
  for (let i = 0; i < n; i++) measurements.push(readString(r, `${what} measurement ${i}`));
  const dataTypes = measurements.map((m) => readDataType(r, `${what} ${m} data type`));
  const encodings = measurements.map((m) => readEncoding(r, `${what} ${m}`));
  const compressions = measurements.map((m) => readCompression(r, `${what} ${m}`));
  const aliases =
    readLabel(r, `${what} aliases`) === 1
      ? measurements.map((m) => readNullableString(r, `${what} alias of ${m}`))
      : measurements.map(() => null);
  const lists: Record<string, string>[][] = [];
  for (const part of ['tags', 'attributes']) {
    lists.push(
      readLabel(r, `${what} ${part}`) === 1
        ? measurements.map((m) => readStringMapOf(r, `${what} ${part} of ${m}`))
        : measurements.map(() => ({})),
    );
  }
  readPlanNodeTrailer(r, 'create aligned time series node');
  return {
    device,
    series: measurements.map((measurement, i) => ({
      measurement,
      dataType: dataTypes[i]!,
      encoding: encodings[i]!,
      compression: compressions[i]!,
      alias: aliases[i]!,
      tags: lists[0]![i]!,
      attributes: lists[1]![i]!,
    })),
  };
}
