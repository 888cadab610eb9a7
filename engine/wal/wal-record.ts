// Format: engine/wal/FORMAT.md § Segments (payload)
import type { ByteReader } from '../../tsfile/io/byte-reader.js';
import { CorruptDataError } from '../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../tsfile/io/byte-writer.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { readTablet, writeTablet } from './tablet-serde.js';
import { EntryKind } from './wal-format.js';

/** What one WAL entry records: an insert or a deletion with its arrival number and time. */
export type WalRecord =
  | { readonly kind: 'insert'; readonly arrival: number; readonly arrivalTime: number; readonly tablet: Tablet }
  | {
      readonly kind: 'delete';
      readonly arrival: number;
      readonly arrivalTime: number;
      readonly pattern: string;
      readonly start: bigint;
      readonly end: bigint;
    };

export function writeWalRecord(r: WalRecord, out: ByteWriter): void {
  out.writeUInt8(r.kind === 'insert' ? EntryKind.INSERT : EntryKind.DELETE);
  out.writeInt64Number(r.arrival);
  out.writeInt64Number(r.arrivalTime);
  if (r.kind === 'insert') {
    writeTablet(r.tablet, out);
  } else {
    out.writeVarString(r.pattern);
    out.writeBigInt64(r.start);
    out.writeBigInt64(r.end);
  }
}

export function readWalRecord(payload: ByteReader): WalRecord {
  const kind = payload.readUInt8();
  const arrival = payload.readInt64Number();
  const arrivalTime = payload.readInt64Number();
  if (kind === EntryKind.INSERT) return { kind: 'insert', arrival, arrivalTime, tablet: readTablet(payload) };
  if (kind === EntryKind.DELETE) {
    const pattern = payload.readVarString();
    const start = payload.readBigInt64();
    const end = payload.readBigInt64();
    return { kind: 'delete', arrival, arrivalTime, pattern, start, end };
  }
  throw new CorruptDataError(`unknown WAL entry kind ${kind}`);
}
