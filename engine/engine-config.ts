import { Compression } from '../tsfile/compression-type.js';
import type { WalMode } from './wal/wal-writer.js';

export type TimestampPrecision = 'ms' | 'us' | 'ns';

/** Engine settings; names follow IoTDB's properties where IoTDB has one (units last). */
export interface EngineConfig {
  /** Root folder: `system/`, `wal/` and `data/` live under it unless set apart. */
  readonly dir: string;
  readonly walDir?: string;
  readonly walMode: WalMode;
  readonly walAsyncSyncMs: number;
  readonly walSegmentBytesMax: number;
  /** A region's working memtables are flushed past this many bytes. */
  readonly memtableBytesMax: number;
  /** All memtables together: writers wait while flushing lags past this. */
  readonly memtableBudgetBytes: number;
  readonly autoCreateSchema: boolean;
  /** Level of the database created automatically: 1 makes `root.sg` for `root.sg.d.s`. */
  readonly defaultDatabaseLevel: number;
  readonly defaultCompression: Compression;
  readonly timestampPrecision: TimestampPrecision;
  /** Flush on a worker thread (default) or inline. */
  readonly flushInWorker: boolean;
  /**
   * A tap consumer (a pipe) whose pin keeps more WAL than this lets go of it, and resumes
   * from sealed files: a stalled pipe costs bounded disk.
   */
  readonly pinnedWalBytesMax: number;
}

export const DEFAULT_ENGINE_CONFIG: Omit<EngineConfig, 'dir'> = {
  walMode: 'ASYNC',
  walAsyncSyncMs: 10,
  walSegmentBytesMax: 64 * 1024 * 1024,
  memtableBytesMax: 64 * 1024 * 1024,
  memtableBudgetBytes: 256 * 1024 * 1024,
  autoCreateSchema: true,
  defaultDatabaseLevel: 1,
  defaultCompression: Compression.LZ4,
  timestampPrecision: 'ms',
  flushInWorker: true,
  pinnedWalBytesMax: 1024 * 1024 * 1024,
};

export function resolveEngineConfig(config: Partial<EngineConfig> & { dir: string }): EngineConfig {
  const c = { ...DEFAULT_ENGINE_CONFIG, ...config };
  if (!(c.memtableBytesMax > 0)) throw new RangeError('memtableBytesMax must be > 0');
  if (!(c.memtableBudgetBytes >= c.memtableBytesMax)) {
    throw new RangeError('memtableBudgetBytes must be at least memtableBytesMax');
  }
  if (!(c.pinnedWalBytesMax >= 0)) throw new RangeError('pinnedWalBytesMax must be >= 0');
  if (!(c.defaultDatabaseLevel >= 1)) throw new RangeError('defaultDatabaseLevel must be >= 1');
  return c;
}
