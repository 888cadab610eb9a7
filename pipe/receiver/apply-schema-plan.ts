import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatPath, PathError, parsePath } from '../../engine/path/path.js';
import { PathPattern } from '../../engine/path/path-pattern.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import type { SchemaPlan } from '../../protocol/pipe/plan-node/schema-plan.js';
import type { SeriesSpec } from '../../protocol/pipe/plan-node/series-spec.js';
import { dataTypeName } from '../../tsfile/data-type.js';

/** Device and measurement of `device`.`measurement` as this node names them (backquotes resolved). */
function seriesPath(device: string, measurement: string): { device: string; measurement: string } {
  let nodes: string[];
  try {
    nodes = parsePath(`${device}.${measurement}`);
  } catch (error) {
    if (error instanceof PathError) throw new EngineError(StatusCode.ILLEGAL_PATH, error.message);
    throw error;
  }
  return { device: formatPath(nodes.slice(0, -1)), measurement: nodes.at(-1)! };
}

/**
 * Creates what is missing of one device's series. A series that exists with the sender's
 * data type is taken as created (a plan sent again after a restart changes nothing); one
 * with another type is a user conflict (1810), refused naming both types, which the
 * sender's conflict strategy resolves.
 */
function createSeries(
  engine: StorageEngine,
  device: string,
  aligned: boolean,
  specs: readonly SeriesSpec[],
  origin: string,
): void {
  const missing: (SeriesSpec & { measurement: string })[] = [];
  let canonical = device;
  for (const spec of specs) {
    const path = seriesPath(device, spec.measurement);
    canonical = path.device;
    const existing = engine.schema.device(path.device)?.measurements.get(path.measurement);
    if (existing === undefined) {
      missing.push({ ...spec, measurement: path.measurement });
    } else if (existing.dataType !== spec.dataType) {
      throw new EngineError(
        StatusCode.PIPE_RECEIVER_USER_CONFLICT_EXCEPTION,
        `Timeseries [${path.device}.${spec.measurement}] already exists here as ${dataTypeName(existing.dataType)}; the sender's is ${dataTypeName(spec.dataType)}`,
      );
    }
  }
  if (missing.length === 0) return;
  engine.createTimeseries(canonical, aligned, missing, { origin });
}

/**
 * Applies a time-series plan a pipe sent, idempotently: creating what exists alike and
 * dropping what is gone already succeed, so at-least-once delivery leaves the schema as
 * the sender's.
 */
export async function applySchemaPlan(engine: StorageEngine, plan: SchemaPlan, origin: string): Promise<void> {
  switch (plan.kind) {
    case 'create-timeseries':
      createSeries(engine, plan.device, false, [plan.series], origin);
      return;
    case 'create-aligned-timeseries':
      createSeries(engine, plan.device, true, plan.series, origin);
      return;
    case 'delete-timeseries':
      for (const pattern of plan.patterns) {
        let matched: boolean;
        try {
          matched = engine.schema.matchSeries(new PathPattern(pattern)).length > 0;
        } catch (error) {
          throw new EngineError(StatusCode.ILLEGAL_PATH, (error as Error).message);
        }
        if (matched) await engine.deleteTimeseries(pattern, { origin });
      }
      return;
  }
}
