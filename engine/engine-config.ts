import { Compression } from '../tsfile/compression-type.js';
import type { DiskIo } from './storage/disk-space.js';
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
  /**
   * IoTDB's `disk_space_warning_threshold`: writes are refused (DISK_SPACE_INSUFFICIENT)
   * while the data or WAL folder's file system has less than this share of its size free.
   */
  readonly diskSpaceWarningThreshold: number;
  /** The file-system calls for free space and WAL writes (a test may make a disk look full). */
  readonly diskIo?: DiskIo;
}

export const DEFAULT_ENGINE_CONFIG: Omit<EngineConfig, 'dir'> = {
  walMode: 'ASYNC',
  walAsyncSyncMs: 1000,
  walSegmentBytesMax: 64 * 1024 * 1024,
  memtableBytesMax: 64 * 1024 * 1024,
  memtableBudgetBytes: 256 * 1024 * 1024,
  autoCreateSchema: true,
  defaultDatabaseLevel: 1,
  defaultCompression: Compression.LZ4,
  timestampPrecision: 'ms',
  flushInWorker: true,
  pinnedWalBytesMax: 1024 * 1024 * 1024,
  diskSpaceWarningThreshold: 0.05,
};

export function resolveEngineConfig(config: Partial<EngineConfig> & { dir: string }): EngineConfig {
  const c = { ...DEFAULT_ENGINE_CONFIG, ...config };
  if (!(c.memtableBytesMax > 0)) throw new RangeError('memtableBytesMax must be > 0');
  if (!(c.memtableBudgetBytes >= c.memtableBytesMax)) {
    throw new RangeError('memtableBudgetBytes must be at least memtableBytesMax');
  }
  if (!(c.diskSpaceWarningThreshold >= 0 && c.diskSpaceWarningThreshold < 1)) {
    throw new RangeError('diskSpaceWarningThreshold must be in [0, 1)');
  }
  if (!(c.pinnedWalBytesMax >= 0)) throw new RangeError('pinnedWalBytesMax must be >= 0');
  if (!(c.defaultDatabaseLevel >= 1)) throw new RangeError('defaultDatabaseLevel must be >= 1');
  return c;
}
