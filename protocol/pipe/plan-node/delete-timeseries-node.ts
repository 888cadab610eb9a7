// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Schema plans" (deleteTimeSeries).
//
//   deleteTimeSeries := type:int16be(45) patternNode trailer
//   patternNode      := name:string mark:int32be(-1 | -2) children:int32be patternNode{children}
//
// What IoTDB 1.3's schema-region pipe sends for DELETE TIMESERIES: the paths (patterns) as
// IoTDB's PathPatternTree, a tree of path nodes from `root`, where mark -1 ends a path.

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import { PayloadError } from '../../payload-error.js';
import { javaHashMapOrder } from '../java-hash-map-order.js';
import { readCount, readString, writeString } from '../pipe-bytes.js';
import { splitPathNodes } from './partial-path.js';
import { readInt32, readPlanNodeTrailer, writePlanNodeTrailer } from './plan-node-bytes.js';
import { DEFAULT_PLAN_NODE_ID, PlanNodeType } from './plan-node-format.js';

const ENDS_PATH = -1;
const INNER = -2;
/** Deeper trees are refused: no IoTDB path has this many levels, and reading stays bounded. */
const TREE_DEPTH_MAX = 64;

interface TreeNode {
  readonly children: Map<string, TreeNode>;
  endsPath: boolean;
}

/** Writes the node for these paths or patterns (each from `root`), type code to trailer. */
export function writeDeleteTimeSeriesNode(out: ByteWriter, patterns: readonly string[]): void {
  const root: TreeNode = { children: new Map(), endsPath: false };
  for (const pattern of patterns) {
    const nodes = splitPathNodes(pattern);
    if (nodes[0] !== 'root') throw new RangeError(`'${pattern}' does not start with root`);
    let at = root;
    for (const node of nodes.slice(1)) {
      let next = at.children.get(node);
      if (next === undefined) {
        next = { children: new Map(), endsPath: false };
        at.children.set(node, next);
      }
      at = next;
    }
    at.endsPath = true;
  }
  out.writeInt16(PlanNodeType.DELETE_TIME_SERIES);
  writeTreeNode(out, 'root', root);
  writePlanNodeTrailer(out, DEFAULT_PLAN_NODE_ID);
}

function writeTreeNode(out: ByteWriter, name: string, node: TreeNode): void {
  writeString(out, name);
  out.writeInt32(node.endsPath ? ENDS_PATH : INNER);
  out.writeInt32(node.children.size);
  // Children in the order Java's HashMap of the tree holds them.
  const order = javaHashMapOrder([...node.children.keys()].map((k) => [k, k] as const));
  for (const key of order.keys()) writeTreeNode(out, key, node.children.get(key)!);
}

/** Reads the node after its type code, trailer included: the paths (patterns) it holds. */
export function readDeleteTimeSeriesNode(r: ByteReader): string[] {
  const patterns: string[] = [];
  readTreeNode(r, [], patterns);
  readPlanNodeTrailer(r, 'delete time series node');
  if (patterns.length === 0) throw new PayloadError('delete time series node: the tree holds no path');
  return patterns;
}

/** A node ends a path when marked so or when it is a leaf, as IoTDB reads the tree. */
function readTreeNode(r: ByteReader, above: readonly string[], patterns: string[]): void {
  const what = `delete time series node: path node ${above.length}`;
  if (above.length >= TREE_DEPTH_MAX) throw new PayloadError(`${what}: the tree is deeper than ${TREE_DEPTH_MAX}`);
  const nodes = [...above, readString(r, `${what} name`)];
  if (above.length === 0 && nodes[0] !== 'root') throw new PayloadError(`${what}: the tree starts at '${nodes[0]}'`);
  const mark = readInt32(r, `${what} mark`);
  if (mark !== ENDS_PATH && mark !== INNER) {
    throw new PayloadError(`${what}: mark ${mark}, expected -1 (ends a path) or -2`);
  }
  const children = readCount(r, `${what} children`, 4 + 4 + 4);
  if ((mark === ENDS_PATH || children === 0) && nodes.length > 1) patterns.push(nodes.join('.'));
  for (let i = 0; i < children; i++) readTreeNode(r, nodes, patterns);
}
