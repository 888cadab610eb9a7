import { formatNode } from '../../engine/path/path.js';
import type { SchemaChange } from '../../engine/schema/schema-change.js';
import type { SchemaStore } from '../../engine/schema/schema-store.js';
import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import type { SeriesSpec } from '../../protocol/pipe/plan-node/series-spec.js';
import type { PipeSchemaPlan } from '../connector/pipe-connector.js';
import type { SeriesFilter } from '../series-filter.js';
import type { PipeInclusion } from './inclusion.js';

/** A database is the pipe's when some series under it may be selected. */
function databaseSelected(filter: SeriesFilter, database: string): boolean {
  return filter.matchesAll || filter.mayMatchDevice(database);
}

function specOf(s: SeriesSchema): SeriesSpec {
  return {
    measurement: formatNode(s.measurement),
    dataType: s.dataType,
    encoding: s.encoding,
    compression: s.compression,
    alias: s.alias,
    tags: s.tags,
    attributes: s.attributes,
  };
}

/**
 * The requests that carry a schema change to a receiver, for the part of it the pipe
 * selects (series by its pattern / paths, kinds by its inclusion): none when it selects
 * nothing. An aligned device's series go as one CreateAlignedTimeSeriesNode, others one
 * CreateTimeSeriesNode each, as IoTDB's schema region records them.
 */
export function schemaPlansOf(change: SchemaChange, filter: SeriesFilter, inclusion: PipeInclusion): PipeSchemaPlan[] {
  switch (change.op) {
    case 'create-database':
      return inclusion.schemaDatabase && databaseSelected(filter, change.database)
        ? [{ request: 'config', plan: { kind: 'create-database', name: change.database } }]
        : [];
    case 'delete-database':
      return inclusion.schemaDatabaseDrop && databaseSelected(filter, change.database)
        ? [{ request: 'config', plan: { kind: 'delete-database', name: change.database } }]
        : [];
    case 'create-series': {
      if (!inclusion.schemaTimeseries) return [];
      const selected = change.series.filter((s) => filter.matchesSeries(change.device, s.measurement));
      if (selected.length === 0) return [];
      const { device } = change;
      if (change.aligned) {
        return [
          { request: 'schema', plan: { kind: 'create-aligned-timeseries', device, series: selected.map(specOf) } },
        ];
      }
      return selected.map((s) => ({
        request: 'schema',
        plan: { kind: 'create-timeseries', device, series: specOf(s) },
      }));
    }
    case 'delete-series': {
      if (!inclusion.schemaTimeseriesDrop) return [];
      const patterns = change.series
        .filter((s) => filter.matchesSeries(s.device, s.measurement))
        .map((s) => `${s.device}.${formatNode(s.measurement)}`);
      return patterns.length === 0 ? [] : [{ request: 'schema', plan: { kind: 'delete-timeseries', patterns } }];
    }
  }
}

/**
 * The schema a pipe's history starts with: its databases, then the series it selects,
 * device by device, as creations. Applied on a receiver that has them already, they change
 * nothing, so shipping them again (a restart before history ends) is harmless.
 */
export function schemaSnapshot(schema: SchemaStore, filter: SeriesFilter, inclusion: PipeInclusion): PipeSchemaPlan[] {
  const plans: PipeSchemaPlan[] = [];
  for (const database of schema.listDatabases()) {
    plans.push(...schemaPlansOf({ op: 'create-database', database }, filter, inclusion));
  }
  const devices = [...schema.allDevices()].sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
  for (const d of devices) {
    const series = [...d.measurements.values()];
    plans.push(
      ...schemaPlansOf({ op: 'create-series', device: d.device, aligned: d.aligned, series }, filter, inclusion),
    );
  }
  return plans;
}
