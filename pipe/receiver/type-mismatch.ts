import { pointsOf } from '../../engine/engine-counters.js';
import { StatusCode } from '../../engine/status-code.js';
import type { TSStatus } from '../../protocol/rpc-types.js';
import { type DataType, dataTypeName } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';

/** A column the receiver did not write: its series has another type here and is not converted. */
export interface RefusedColumn {
  readonly series: string;
  readonly registered: DataType;
  readonly inserting: DataType;
  readonly points: number;
}

/**
 * IoTDB's partial insert for a sender that asked not to convert: the tablet without the
 * columns whose series have another type here (`typeOf` answers the receiver's type,
 * undefined for a series it lacks), and those columns. The tablet is null when no column
 * is left.
 */
export function withoutMismatches(
  tablet: Tablet,
  typeOf: (measurement: string) => DataType | undefined,
): { readonly tablet: Tablet | null; readonly refused: readonly RefusedColumn[] } {
  const keep: number[] = [];
  const refused: RefusedColumn[] = [];
  tablet.measurements.forEach((m, j) => {
    const registered = typeOf(m);
    const inserting = tablet.dataTypes[j]!;
    if (registered === undefined || registered === inserting) keep.push(j);
    else {
      const points = pointsOf({ rowCount: tablet.rowCount, nulls: [tablet.nulls[j] ?? null] });
      refused.push({ series: `${tablet.device}.${m}`, registered, inserting, points });
    }
  });
  if (refused.length === 0) return { tablet, refused };
  if (keep.length === 0) return { tablet: null, refused };
  const pick = <T>(list: readonly T[]) => keep.map((j) => list[j]!);
  return {
    tablet: {
      ...tablet,
      measurements: pick(tablet.measurements),
      dataTypes: pick(tablet.dataTypes),
      columns: pick(tablet.columns),
      nulls: keep.map((j) => tablet.nulls[j] ?? null),
    },
    refused,
  };
}

/** Series named in one answer at most; the rest are counted. */
const SERIES_LISTED_MAX = 20;

/**
 * The answer to a request some of whose columns were not written for their types: IoTDB's
 * user conflict (1810), which IoTDB's senders and ours resolve by the sink's
 * `exception.conflict.*` options, with IoTDB's mismatch message per series and its points.
 */
export function typeConflictStatus(refused: readonly RefusedColumn[]): TSStatus {
  const bySeries = new Map<string, RefusedColumn>();
  for (const r of refused) {
    const seen = bySeries.get(r.series);
    bySeries.set(r.series, seen === undefined ? r : { ...seen, points: seen.points + r.points });
  }
  const all = [...bySeries.values()];
  const parts = all
    .slice(0, SERIES_LISTED_MAX)
    .map(
      (r) =>
        `data type of ${r.series} is not consistent, registered type ${dataTypeName(r.registered)}, inserting type ${dataTypeName(r.inserting)} (${r.points} point${r.points === 1 ? '' : 's'} not written)`,
    );
  if (all.length > SERIES_LISTED_MAX) parts.push(`and ${all.length - SERIES_LISTED_MAX} more series`);
  return { code: StatusCode.PIPE_RECEIVER_USER_CONFLICT_EXCEPTION, message: parts.join('; ') };
}
