// Format: engine/wal/FORMAT.md § Segments (payload)
import type { ByteReader } from '../../tsfile/io/byte-reader.js';
import { CorruptDataError } from '../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../tsfile/io/byte-writer.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { SchemaChange } from '../schema/schema-change.js';
import { readTablet, writeTablet } from './tablet-serde.js';
import { EntryKind } from './wal-format.js';

/**
 * What one WAL entry records: an insert, a deletion or a schema change with its arrival
 * number and time, and its origin: the id of the node where it was first written, '' for
 * this node.
 */
export type WalRecord =
  | {
      readonly kind: 'insert';
      readonly arrival: number;
      readonly arrivalTime: number;
      readonly origin: string;
      readonly tablet: Tablet;
    }
  | {
      readonly kind: 'delete';
      readonly arrival: number;
      readonly arrivalTime: number;
      readonly origin: string;
      readonly pattern: string;
      readonly start: bigint;
      readonly end: bigint;
    }
  | {
      readonly kind: 'schema';
      readonly arrival: number;
      readonly arrivalTime: number;
      readonly origin: string;
      readonly change: SchemaChange;
    };

const KINDS = {
  insert: [EntryKind.INSERT, EntryKind.INSERT_FROM],
  delete: [EntryKind.DELETE, EntryKind.DELETE_FROM],
  schema: [EntryKind.SCHEMA, EntryKind.SCHEMA_FROM],
} as const;

export function writeWalRecord(r: WalRecord, out: ByteWriter): void {
  // Local entries keep the first format's kinds, so they are byte for byte as before.
  const remote = r.origin !== '';
  out.writeUInt8(KINDS[r.kind][remote ? 1 : 0]);
  out.writeInt64Number(r.arrival);
  out.writeInt64Number(r.arrivalTime);
  if (remote) out.writeVarString(r.origin);
  if (r.kind === 'insert') {
    writeTablet(r.tablet, out);
  } else if (r.kind === 'schema') {
    out.writeVarString(JSON.stringify(r.change));
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
  const remote = kind === EntryKind.INSERT_FROM || kind === EntryKind.DELETE_FROM || kind === EntryKind.SCHEMA_FROM;
  const origin = remote ? payload.readVarString() : '';
  if (kind === EntryKind.INSERT || kind === EntryKind.INSERT_FROM) {
    return { kind: 'insert', arrival, arrivalTime, origin, tablet: readTablet(payload) };
  }
  if (kind === EntryKind.DELETE || kind === EntryKind.DELETE_FROM) {
    const pattern = payload.readVarString();
    const start = payload.readBigInt64();
    const end = payload.readBigInt64();
    return { kind: 'delete', arrival, arrivalTime, origin, pattern, start, end };
  }
  if (kind === EntryKind.SCHEMA || kind === EntryKind.SCHEMA_FROM) {
    return {
      kind: 'schema',
      arrival,
      arrivalTime,
      origin,
      change: JSON.parse(payload.readVarString()) as SchemaChange,
    };
  }
  throw new CorruptDataError(`unknown WAL entry kind ${kind}`);
}
