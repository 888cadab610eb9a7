// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Config plans".
//
//   createDatabase := type:int16be(200) TDatabaseSchema        (Thrift binary protocol struct)
//   deleteDatabase := type:int16be(206) name:string
//
// DatabaseSchemaPlan and DeleteDatabasePlan, as IoTDB 1.3's config-region pipe sends them.

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { PayloadError } from '../../payload-error.js';
import { readString, writeString } from '../pipe-bytes.js';
import { readByte, readInt16 } from '../plan-node/plan-node-bytes.js';
import { ConfigPlanType } from './config-plan-type.js';

/** Thrift binary protocol type codes (TType) of the fields a TDatabaseSchema may hold. */
const TType = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11 } as const;
/** Bytes of a fixed-size Thrift value, by its type code. */
const FIXED_BYTES = new Map<number, number>([
  [TType.BOOL, 1],
  [TType.BYTE, 1],
  [TType.DOUBLE, 8],
  [TType.I16, 2],
  [TType.I32, 4],
  [TType.I64, 8],
]);
/** TDatabaseSchema field 1: `required string name`. */
const NAME_FIELD = 1;

/** Writes a DatabaseSchemaPlan of CreateDatabase with the name alone (no TTL, factors or group numbers). */
export function writeCreateDatabasePlan(out: ByteWriter, name: string): void {
  out.writeInt16(ConfigPlanType.CREATE_DATABASE);
  out.writeUInt8(TType.STRING);
  out.writeInt16(NAME_FIELD);
  writeString(out, name);
  out.writeUInt8(TType.STOP);
}

/**
 * Reads a TDatabaseSchema after the type code: its name; the other fields (TTL, replication
 * factors, region group numbers, time partition settings) are read past, as this node has none of them.
 */
export function readDatabaseSchema(r: ByteReader): string {
  let name: string | null = null;
  for (;;) {
    const type = readByte(r, 'database schema: field type');
    if (type === TType.STOP) break;
    const id = readInt16(r, 'database schema: field id');
    if (type === TType.STRING) {
      const text = readString(r, `database schema: field ${id}`);
      if (id === NAME_FIELD) name = text;
      continue;
    }
    const bytes = FIXED_BYTES.get(type);
    if (bytes === undefined) throw new PayloadError(`database schema: field ${id} has Thrift type ${type}, not read`);
    if (r.remaining < bytes) throw new PayloadError(`database schema: field ${id} needs ${bytes} bytes`);
    r.skip(bytes);
  }
  if (name === null) throw new PayloadError('database schema: the required name (field 1) is missing');
  return name;
}

export function writeDeleteDatabasePlan(out: ByteWriter, name: string): void {
  out.writeInt16(ConfigPlanType.DELETE_DATABASE);
  writeString(out, name);
}

export function readDeleteDatabasePlan(r: ByteReader): string {
  return readString(r, 'delete database plan: name');
}
