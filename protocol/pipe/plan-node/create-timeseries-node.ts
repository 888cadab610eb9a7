// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Schema plans" (createTimeSeries).
//
//   createTimeSeries := type:int16be(19) path:string dtype encoding:u8 compressor:u8
//                       (u8(0) | u8(1) alias:string) props:label tags:label attributes:label trailer
//   label            := i8(-1) | i8(0) | i8(1) smap
//
// What IoTDB 1.3's schema-region pipe sends for CREATE TIMESERIES, as a TRANSFER_SCHEMA_PLAN body.

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { PayloadError } from '../../payload-error.js';
import { readFlag, readString, writeString } from '../pipe-bytes.js';
import { splitPathNodes } from './partial-path.js';
import { readPlanNodeTrailer, writePlanNodeTrailer } from './plan-node-bytes.js';
import { DEFAULT_PLAN_NODE_ID, PlanNodeType } from './plan-node-format.js';
import { readTypeEncodingCompression, type SeriesSpec } from './series-spec.js';
import { readLabel, readStringMapOf, writeLabelledMap } from './string-maps.js';

/** One series of one device: `device` and the spec's measurement make its full path. */
export interface CreateTimeSeries {
  readonly device: string;
  readonly series: SeriesSpec;
}

/** Writes the node, type code to trailer (props as an empty map, as IoTDB's statements leave them). */
export function writeCreateTimeSeriesNode(out: ByteWriter, { device, series }: CreateTimeSeries): void {
  out.writeInt16(PlanNodeType.CREATE_TIME_SERIES);
  writeString(out, `${device}.${series.measurement}`);
  out.writeUInt8(series.dataType);
  out.writeUInt8(series.encoding);
  out.writeUInt8(series.compression);
  if (series.alias === null) out.writeUInt8(0);
  else {
    out.writeUInt8(1);
    writeString(out, series.alias);
  }
  out.writeUInt8(0); // props
  writeLabelledMap(out, series.tags);
  writeLabelledMap(out, series.attributes);
  writePlanNodeTrailer(out, DEFAULT_PLAN_NODE_ID);
}

/** Reads the node after its type code, trailer included. */
export function readCreateTimeSeriesNode(r: ByteReader): CreateTimeSeries {
  const path = readString(r, 'create time series node: path');
  let nodes: string[];
  try {
    nodes = splitPathNodes(path);
  } catch (error) {
    throw new PayloadError(`create time series node: ${(error as Error).message}`);
  }
  if (nodes.length < 3) throw new PayloadError(`create time series node: '${path}' is not a series path`);
  const what = `create time series node ${path}:`;
  const types = readTypeEncodingCompression(r, what);
  const alias = readFlag(r, `${what} alias flag`) ? readString(r, `${what} alias`) : null;
  const maps: Record<string, string>[] = [];
  for (const part of ['props', 'tags', 'attributes']) {
    maps.push(readLabel(r, `${what} ${part}`) === 1 ? readStringMapOf(r, `${what} ${part}`) : {});
  }
  readPlanNodeTrailer(r, 'create time series node');
  return {
    device: nodes.slice(0, -1).join('.'),
    series: { measurement: nodes.at(-1)!, ...types, alias, tags: maps[1]!, attributes: maps[2]! },
  };
}
