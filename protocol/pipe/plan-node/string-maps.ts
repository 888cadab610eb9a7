// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Schema plans" (smap, label).

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { PayloadError } from '../../payload-error.js';
import { javaHashMapOrder } from '../java-hash-map-order.js';
import { readCount, writeString } from '../pipe-bytes.js';
import { readByte, readNullableString } from './plan-node-bytes.js';

/** Tags, attributes or properties of a series: text keys to text values. */
export type StringMap = Readonly<Record<string, string>>;

/**
 * `smap := count:int32be (key:nstring value:nstring){count}` (ReadWriteIOUtils' map), the
 * entries in the order Java's HashMap holds them, as IoTDB writes its maps.
 */
export function writeStringMapOf(out: ByteWriter, map: StringMap): void {
  const ordered = javaHashMapOrder(Object.entries(map));
  out.writeInt32(ordered.size);
  for (const [key, value] of ordered) {
    writeString(out, key);
    writeString(out, value);
  }
}

/** A map; a null key is refused, a null value reads as ''. Count -1 (Java's null map) reads as empty. */
export function readStringMapOf(r: ByteReader, what: string): Record<string, string> {
  if (r.remaining >= 4 && r.buf.readInt32BE(r.pos) === -1) {
    r.skip(4);
    return {};
  }
  const count = readCount(r, what, 8);
  const map: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const key = readNullableString(r, `${what} key ${i}`);
    if (key === null) throw new PayloadError(`${what}: key ${i} is null`);
    map[key] = readNullableString(r, `${what} value of '${key}'`) ?? '';
  }
  return map;
}

/**
 * The label byte before an optional part: -1 (Java's null), 0 (present and empty),
 * 1 (present, its content follows). Any other value is refused.
 */
export function readLabel(r: ByteReader, what: string): -1 | 0 | 1 {
  const label = readByte(r, `${what} label`);
  if (label !== -1 && label !== 0 && label !== 1) {
    throw new PayloadError(`${what}: label ${label} at offset ${r.pos - 1}, expected -1, 0 or 1`);
  }
  return label;
}

/** Writes a label and the map when it has entries: 0 for an empty map, 1 and the map otherwise. */
export function writeLabelledMap(out: ByteWriter, map: StringMap): void {
  if (Object.keys(map).length === 0) {
    out.writeUInt8(0);
    return;
  }
  out.writeUInt8(1);
  writeStringMapOf(out, map);
}
