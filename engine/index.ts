export { DEFAULT_ENGINE_CONFIG, type EngineConfig, type TimestampPrecision } from './engine-config.js';
export { EngineError, StatusCode } from './errors.js';
export { formatPath, PathError, parsePath, splitSeriesPath } from './path/path.js';
export { PathPattern } from './path/path-pattern.js';
export {
  AGGREGATIONS,
  type AggregateState,
  type AggregationName,
  accumulate,
  aggregateValue,
  aggregateWindows,
  aggregationApplies,
  emptyAggregate,
} from './query/aggregate.js';
export type { Row } from './rows.js';
export type { SeriesSchema } from './schema/schema-types.js';
export type { TsFileResource } from './storage/tsfile-resource.js';
export { type LoadOptions, StorageEngine, type TimeRange, type WriteOptions } from './storage-engine.js';
export type { TapEvent, TapListener } from './tap/tap-events.js';
export type { WalMode } from './wal/wal-writer.js';
