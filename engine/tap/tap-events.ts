import type { TsFileResource } from '../storage/tsfile-resource.js';
import type { WalRecord } from '../wal/wal-record.js';

/**
 * What pipes consume: every accepted write (with its database) and deletion, as the WAL
 * records them, and every sealed file, in order.
 */
export type TapEvent =
  | (Extract<WalRecord, { kind: 'insert' }> & { readonly database: string })
  | Extract<WalRecord, { kind: 'delete' }>
  | { readonly kind: 'tsfile-sealed'; readonly resource: TsFileResource };

export type TapListener = (event: TapEvent) => void;
