import type { Compression } from '../../tsfile/compression-type.js';
import type { DataType } from '../../tsfile/data-type.js';
import type { Encoding } from '../../tsfile/encoding-type.js';

export interface SeriesSchema {
  readonly device: string;
  readonly measurement: string;
  readonly dataType: DataType;
  readonly encoding: Encoding;
  readonly compression: Compression;
  readonly alias: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface DeviceSchemaEntry {
  readonly device: string;
  /** Device path nodes, for pattern matching. */
  readonly nodes: readonly string[];
  readonly database: string;
  readonly aligned: boolean;
  readonly measurements: Map<string, SeriesSchema>;
}

export interface CreateSeriesOptions {
  readonly dataType: DataType;
  readonly encoding?: Encoding;
  readonly compression?: Compression;
  readonly alias?: string | null;
  readonly tags?: Record<string, string>;
  readonly attributes?: Record<string, string>;
}
