import type { TsFileResource } from '../storage/tsfile-resource.js';
import type { WalRecord } from '../wal/wal-record.js';

/**
 * A schema change with its place in arrival order: a series created for a write comes
 * before that write, a drop after everything written before it.
 */
export type SchemaEvent = Extract<WalRecord, { kind: 'schema' }>;

/**
 * What pipes consume: every accepted write (with its database) and deletion, as the WAL
 * records them, every schema change, and every sealed file, in order.
 */
export type TapEvent =
  | (Extract<WalRecord, { kind: 'insert' }> & { readonly database: string })
  | Extract<WalRecord, { kind: 'delete' }>
  | SchemaEvent
  | { readonly kind: 'tsfile-sealed'; readonly resource: TsFileResource };

export type TapListener = (event: TapEvent) => void;
