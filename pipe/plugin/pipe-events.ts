import type { RecordBatch } from 'apache-arrow';
import type { TimestampPrecision } from '../../engine/engine-config.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { PipeDeletion } from '../connector/pipe-connector.js';
import type { DeletionEvent, TabletInsertionEvent, TsFileInsertionEvent } from './plugin-api.js';
import { recordBatchToTablet, tabletToRecordBatch } from './tablet-record-batch.js';
import { tsFileTablets } from './tsfile-tablets.js';

/** The events the node hands to plugins, made from what the pipe task delivers. */
export function tabletInsertionEvent(tablet: Tablet, precision: TimestampPrecision): TabletInsertionEvent {
  return {
    kind: 'tablet-insertion',
    tablet,
    toRecordBatch: () => tabletToRecordBatch(tablet, precision),
    withTablet: (other: Tablet) => tabletInsertionEvent(other, precision),
    withRecordBatch: (batch: RecordBatch) => tabletInsertionEvent(recordBatchToTablet(batch, tablet), precision),
  };
}

export function tsFileInsertionEvent(path: string, precision: TimestampPrecision): TsFileInsertionEvent {
  return {
    kind: 'tsfile-insertion',
    path,
    toTabletInsertionEvents: () => ({
      *[Symbol.iterator]() {
        for (const tablet of tsFileTablets(path)) yield tabletInsertionEvent(tablet, precision);
      },
    }),
  };
}

export function deletionEvent(deletion: PipeDeletion): DeletionEvent {
  return { kind: 'deletion', pattern: deletion.pattern, start: deletion.start, end: deletion.end };
}
