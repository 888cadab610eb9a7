import { parseCompression } from '../compression-type.js';
import { allocateColumn, type ColumnValues, type DataType, parseDataType } from '../data-type.js';
import { isEncodingSupported } from '../encoding/registry.js';
import { parseEncoding } from '../encoding-type.js';
import type { DeviceSchema } from '../read/tsfile-reader.js';
import type { Tablet } from '../tablet.js';
import type { TsFileWriter } from '../write/tsfile-writer.js';
import { parseCsvRecords, parseInt64, parseValue } from './point-csv.js';

/** The schema JSON of `iotdb-lite tsfile write` (the fixtures' `.schema.json`). */
export interface SchemaJson {
  devices: {
    device: string;
    aligned: boolean;
    measurements: { name: string; dataType: string; encoding: string; compression: string }[];
  }[];
}

export function parseSchemaJson(text: string): DeviceSchema[] {
  const json = JSON.parse(text) as SchemaJson;
  if (!Array.isArray(json?.devices)) throw new SyntaxError('schema must be {"devices":[...]}');
  return json.devices.map((d) => {
    if (typeof d.device !== 'string' || !Array.isArray(d.measurements)) {
      throw new SyntaxError('each device needs "device" and "measurements"');
    }
    return {
      device: d.device,
      aligned: d.aligned === true,
      measurements: d.measurements.map((m) => {
        const dataType = parseDataType(m.dataType);
        const encoding = parseEncoding(m.encoding);
        if (!isEncodingSupported(encoding, dataType)) {
          throw new SyntaxError(`${d.device}.${m.name}: encoding ${m.encoding} does not support ${m.dataType}`);
        }
        return { name: m.name, dataType, encoding, compression: parseCompression(m.compression) };
      }),
    };
  });
}

type Cell = number | bigint | boolean | Uint8Array;

/**
 * Writes the points of a CSV (`device,measurement,time,value`, any order) with the given
 * schema: points are grouped per device, sorted by time, and written as tablets
 * (aligned devices row by row with nulls where a measurement has no point).
 */
export function writePointsCsv(writer: TsFileWriter, schema: DeviceSchema[], csv: string): number {
  const byDevice = new Map<string, Map<string, Map<bigint, Cell>>>();
  const types = new Map<string, DataType>();
  for (const d of schema) {
    writer.registerDevice(d);
    byDevice.set(d.device, new Map(d.measurements.map((m) => [m.name, new Map()])));
    for (const m of d.measurements) types.set(`${d.device}\u0000${m.name}`, m.dataType);
  }
  let line = 0;
  let points = 0;
  for (const record of parseCsvRecords(csv)) {
    line++;
    if (record.length !== 4) throw new SyntaxError(`CSV record ${line}: expected 4 fields, found ${record.length}`);
    const [device, measurement, time, value] = record as [string, string, string, string];
    const type = types.get(`${device}\u0000${measurement}`);
    if (type === undefined) throw new SyntaxError(`CSV record ${line}: ${device}.${measurement} is not in the schema`);
    try {
      byDevice.get(device)!.get(measurement)!.set(parseInt64(time), parseValue(type, value));
    } catch (error) {
      throw new SyntaxError(`CSV record ${line}: ${(error as Error).message}`);
    }
    points++;
  }
  for (const d of schema) {
    const series = byDevice.get(d.device)!;
    if (d.aligned) {
      const times = [...new Set([...series.values()].flatMap((m) => [...m.keys()]))].sort(compareBigInt);
      writer.write(
        tabletOf(
          d,
          d.measurements.map((m) => m.name),
          times,
          series,
        ),
      );
    } else {
      for (const m of d.measurements) {
        const points = series.get(m.name)!;
        const times = [...points.keys()].sort(compareBigInt);
        if (times.length > 0) writer.write(tabletOf(d, [m.name], times, series));
      }
    }
  }
  return points;
}

function tabletOf(d: DeviceSchema, names: string[], times: bigint[], series: Map<string, Map<bigint, Cell>>): Tablet {
  const rowCount = times.length;
  const dataTypes = names.map((n) => d.measurements.find((m) => m.name === n)!.dataType);
  const columns: ColumnValues[] = [];
  const nulls: (Uint8Array | null)[] = [];
  names.forEach((name, j) => {
    const column = allocateColumn(dataTypes[j]!, rowCount) as unknown as { [i: number]: unknown };
    const rowNulls = new Uint8Array(rowCount);
    const points = series.get(name)!;
    let anyNull = false;
    times.forEach((t, i) => {
      const v = points.get(t);
      if (v === undefined) {
        rowNulls[i] = 1;
        anyNull = true;
      } else {
        column[i] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      }
    });
    columns.push(column as unknown as ColumnValues);
    nulls.push(anyNull ? rowNulls : null);
  });
  return {
    device: d.device,
    measurements: names,
    dataTypes,
    times: BigInt64Array.from(times),
    columns,
    nulls,
    rowCount,
    aligned: d.aligned,
  };
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
