import { EngineError, StatusCode } from '../../engine/errors.js';
import { parsePath } from '../../engine/path/path.js';
import type { ResultBlock, ResultColumn } from '../../protocol/result-block.js';
import { DataType, dataTypeName } from '../../tsfile/data-type.js';
import type { SelectStatement, SqlPath } from '../sql/ast.js';
import { pathOf } from '../sql/path-syntax.js';
import { nullColumn, sliceBlock } from './block-ops.js';
import type { ExecutionContext } from './execution-context.js';
import { type RawColumn, type RawScan, scanRows } from './raw-scan.js';
import { withFill } from './result-fill.js';
import { paginate, reversed, streamResult } from './result-stream.js';
import { seriesPath } from './series-resolution.js';
import type { ResultSet } from './statement-outcome.js';
import { utf8 } from './value-conversion.js';

/** The columns of an ALIGN BY DEVICE result and, per device (sorted), its series by column. */
export interface DeviceLayout<C> {
  /** Measurement columns in first-appearance order: header and type. */
  readonly headers: readonly { readonly name: string; readonly type: DataType }[];
  readonly devices: readonly { readonly device: string; readonly columns: readonly (C | null)[] }[];
}

/**
 * Groups expanded columns by device: a header per distinct key (the measurement name, or
 * what `keyOf` says), typed by its series, which must agree across devices as IoTDB
 * requires.
 */
export function layoutByDevice<C extends { readonly series: RawColumn['series'] }>(
  columns: readonly C[],
  keyOf: (c: C) => { key: string; name: string; type: DataType },
): DeviceLayout<C> {
  const headers: { name: string; type: DataType }[] = [];
  const slot = new Map<string, number>();
  const perDevice = new Map<string, (C | null)[]>();
  for (const c of columns) {
    const { key, name, type } = keyOf(c);
    let j = slot.get(key);
    if (j === undefined) {
      j = headers.length;
      headers.push({ name, type });
      slot.set(key, j);
    } else if (headers[j]!.type !== type) {
      throw new EngineError(
        StatusCode.SEMANTIC_ERROR,
        `the data types of the same measurement column should be the same across devices: ${name} is ${dataTypeName(headers[j]!.type)} and ${dataTypeName(type)}`,
      );
    }
    const row = perDevice.get(c.series.device) ?? [];
    row[j] ??= c;
    perDevice.set(c.series.device, row);
  }
  const devices = [...perDevice.keys()].sort().map((device) => {
    const row = perDevice.get(device)!;
    return { device, columns: headers.map((_, j) => row[j] ?? null) };
  });
  return { headers, devices };
}

/** A `Device` column: the device's name on every row. */
export function deviceColumn(device: string, rows: number): ResultColumn {
  return { type: DataType.TEXT, values: new Array<Uint8Array>(rows).fill(utf8(device)), nulls: null };
}

/**
 * SELECT ... ALIGN BY DEVICE of raw series: devices one after the other (sorted), each
 * device's rows in time order; columns `Device` then one per measurement. WHERE names the
 * device's own measurements.
 */
export function alignedByDevice(
  statement: SelectStatement,
  columns: readonly RawColumn[],
  base: Omit<RawScan, 'series' | 'from'>,
  desc: boolean,
  context: ExecutionContext,
): ResultSet {
  const layout = layoutByDevice(columns, (c) => ({
    key: c.series.measurement,
    name: c.name === seriesPath(c.series) ? c.series.measurement : c.name,
    type: c.series.dataType,
  }));
  return deviceAlignedResult(statement, layout, desc, false, context, (present, from) =>
    scanRows({ ...base, series: present.map((c) => c.series), from }),
  );
}

/**
 * The result of an ALIGN BY DEVICE query: each device's rows in turn (from `rowsOf`, whose
 * columns are the device's present columns in layout order, WHERE read against the
 * device), led by a `Device` column; a column the device lacks is all null.
 */
export function deviceAlignedResult<C>(
  statement: SelectStatement,
  layout: DeviceLayout<C>,
  desc: boolean,
  ignoreTimeStamp: boolean,
  context: ExecutionContext,
  rowsOf: (present: C[], from: SqlPath[]) => Iterable<ResultBlock>,
): ResultSet {
  const deviceKey = statement.orderBy.find((o) => o.key === 'device');
  const devices = deviceKey?.direction === 'desc' ? [...layout.devices].reverse() : layout.devices;
  /** One device's rows in the requested time order, filled, with the Device column. */
  function* deviceRows(entry: DeviceLayout<C>['devices'][number]): Generator<ResultBlock> {
    const { device, columns: own } = entry;
    const present = own.filter((c): c is C => c !== null);
    const scanned = rowsOf(present, [pathOf(parsePath(device))]);
    const ordered = desc ? reversed(scanned, Number.POSITIVE_INFINITY) : scanned;
    // FILL works within a device: a value never carries over to the next device.
    for (const block of withFill(ordered, statement.fill, context.engine.config.timestampPrecision)) {
      let k = 0;
      yield {
        times: block.times,
        rowCount: block.rowCount,
        columns: [
          deviceColumn(device, block.rowCount),
          ...own.map((c, j) =>
            c === null ? nullColumn(layout.headers[j]!.type, block.rowCount) : block.columns[k++]!,
          ),
        ],
      };
    }
  }
  // ORDER BY TIME first (before DEVICE, or alone) interleaves the devices by time; else
  // (IoTDB's default, ORDER BY DEVICE, TIME) each device's rows come in turn.
  const timeFirst = statement.orderBy.length > 0 && statement.orderBy[0]!.key === 'time';
  const rows = timeFirst
    ? interleavedByTime(devices.map(deviceRows), desc)
    : (function* () {
        for (const entry of devices) yield* deviceRows(entry);
      })();
  return streamResult(
    ['Device', ...layout.headers.map((h) => h.name)],
    [DataType.TEXT, ...layout.headers.map((h) => h.type)],
    ignoreTimeStamp,
    paginate(rows, statement.offset ?? 0, statement.limit),
  );
}

/**
 * Rows of several streams (each in time order, ascending or `desc`) merged by time; on
 * equal times the stream listed first goes first. Runs of one stream are passed as slices.
 */
function* interleavedByTime(streams: readonly Iterator<ResultBlock>[], desc: boolean): Generator<ResultBlock> {
  const heads: ({ block: ResultBlock; pos: number } | null)[] = streams.map(() => null);
  const pull = (k: number): void => {
    for (;;) {
      const step = streams[k]!.next();
      if (step.done) {
        heads[k] = null;
        return;
      }
      if (step.value.rowCount > 0) {
        heads[k] = { block: step.value, pos: 0 };
        return;
      }
    }
  };
  // Whether time a (of stream ka) goes before time b (of stream kb).
  const before = (a: bigint, ka: number, b: bigint, kb: number): boolean => (a === b ? ka < kb : desc ? a > b : a < b);
  try {
    for (let k = 0; k < streams.length; k++) pull(k);
    for (;;) {
      let best = -1;
      for (let k = 0; k < heads.length; k++) {
        const h = heads[k] ?? null;
        if (h === null) continue;
        const b = best < 0 ? null : heads[best]!;
        if (b === null || before(h.block.times[h.pos]!, k, b.block.times[b.pos]!, best)) best = k;
      }
      if (best < 0) return;
      const h = heads[best]!;
      // The best stream's rows run until another stream's head would go first.
      let end = h.pos + 1;
      while (
        end < h.block.rowCount &&
        heads.every((o, k) => k === best || o === null || before(h.block.times[end]!, best, o.block.times[o.pos]!, k))
      ) {
        end++;
      }
      yield sliceBlock(h.block, h.pos, end);
      h.pos = end;
      if (h.pos >= h.block.rowCount) pull(best);
    }
  } finally {
    for (const s of streams) s.return?.(undefined);
  }
}
