// Format: tsfile/FORMAT.md § Metadata index
import { type ByteReader, CorruptDataError } from '../io/byte-reader.js';
import type { ByteWriter } from '../io/byte-writer.js';
import { MetadataIndexNodeType } from './tsfile-format.js';

export interface MetadataIndexEntry {
  readonly name: string;
  readonly offset: number;
}

/**
 * A node of the two-level B-tree over devices, then over each device's measurements.
 * A child's bytes run from its offset to the next sibling's offset, or to `endOffset`.
 */
export interface MetadataIndexNode {
  readonly children: MetadataIndexEntry[];
  endOffset: number;
  readonly nodeType: MetadataIndexNodeType;
}

export function writeMetadataIndexNode(n: MetadataIndexNode, out: ByteWriter): void {
  out.writeVarUInt(n.children.length);
  for (const c of n.children) {
    out.writeVarString(c.name);
    out.writeInt64Number(c.offset);
  }
  out.writeInt64Number(n.endOffset);
  out.writeUInt8(n.nodeType);
}

export function readMetadataIndexNode(r: ByteReader): MetadataIndexNode {
  const count = r.readVarUInt();
  if (count > r.remaining) throw new CorruptDataError(`index node claims ${count} children`);
  const children: MetadataIndexEntry[] = [];
  for (let i = 0; i < count; i++) {
    const name = r.readVarString();
    const offset = r.readInt64Number();
    children.push({ name, offset });
  }
  const endOffset = r.readInt64Number();
  const nodeType = r.readUInt8();
  if (nodeType > MetadataIndexNodeType.LEAF_MEASUREMENT)
    throw new CorruptDataError(`unknown index node type ${nodeType}`);
  return { children, endOffset, nodeType: nodeType as MetadataIndexNodeType };
}

/** The byte range [start, end) of child i. */
export function childRange(n: MetadataIndexNode, i: number): [number, number] {
  const start = n.children[i]!.offset;
  const end = i + 1 < n.children.length ? n.children[i + 1]!.offset : n.endOffset;
  if (end < start) throw new CorruptDataError(`index child '${n.children[i]!.name}' has range ${start}..${end}`);
  return [start, end];
}
