import type { SeriesSchema } from './schema-types.js';

/**
 * One committed change of the schema, as the engine's tap tells pipes of it: databases and
 * series created (with everything a receiver needs to create them alike) and dropped.
 */
export type SchemaChange =
  | { readonly op: 'create-database'; readonly database: string }
  | { readonly op: 'delete-database'; readonly database: string }
  | {
      readonly op: 'create-series';
      readonly device: string;
      readonly aligned: boolean;
      readonly series: readonly SeriesSchema[];
    }
  | {
      readonly op: 'delete-series';
      /** The dropped series, by device and measurement. */
      readonly series: readonly { readonly device: string; readonly measurement: string }[];
    };

export type SchemaChangeListener = (change: SchemaChange) => void;
