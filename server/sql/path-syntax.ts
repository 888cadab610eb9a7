/**
 * IoTDB's rules for path text, shared by the SQL parser and by callers that receive paths
 * as plain strings (session API device ids, measurement names).
 *
 * A node is written unquoted when it is made of `0-9 a-z A-Z _` and CJK characters
 * (U+2E80..U+9FFF), is not a number (`123`, `1e5`) and is not one of the words the grammar
 * reserves (`root`, `time`, `timestamp`); otherwise it is written in backquotes, with ``
 * standing for a backquote. In a path's canonical text a node keeps its backquotes only
 * when it needs them: `` root.sg.`abc` `` is `root.sg.abc`, ``root.sg.`a@b` `` stays.
 *
 * Nodes are held unquoted (`a@b`). `*` (one level) and `**` (any number of levels) are
 * wildcards; no node may be named `*` or `**`, so they never need telling apart. In a
 * pattern a `*` inside a name (`d*`, `*_temp`) makes a one-level wildcard.
 */
import { formatNode, formatPath, isNodeWildcard, isWildcard, needsQuoting } from '../../engine/path/path.js';
import type { SqlPath } from './ast.js';
import { SqlParseError } from './sql-parse-error.js';

export { formatNode, formatPath, isWildcard, needsQuoting };

export const ONE_LEVEL_WILDCARD = '*';
export const MULTI_LEVEL_WILDCARD = '**';

/** A path value from unquoted nodes. */
export function pathOf(nodes: readonly string[]): SqlPath {
  return { nodes: [...nodes], text: formatPath(nodes) };
}

/** Options of {@link parsePath}. */
export interface PathSyntaxOptions {
  /** Admit `*` and `**` (a pattern); default false (a full path). */
  readonly wildcards?: boolean;
  /** Admit a path that does not start at `root` (a suffix such as `d1.s1`); default false. */
  readonly relative?: boolean;
}

/**
 * Reads path text (`root.sg.d1.s1`, ``root.sg.`a.b`.s1``) into a {@link SqlPath} in
 * canonical form. Throws {@link SqlParseError} (line 1, the column of the bad node) when
 * the text is not a legal path.
 */
export function parsePath(text: string, options: PathSyntaxOptions = {}): SqlPath {
  const nodes: string[] = [];
  let i = 0;
  const fail = (at: number, why: string): never => {
    throw new SqlParseError(1, at, text.slice(at) || '<EOF>', `${text} is not a legal path: ${why}`);
  };
  for (;;) {
    const start = i;
    let node: string;
    if (text[i] === '`') {
      const end = closingBackquote(text, i);
      if (end < 0) fail(start, 'unclosed backquote');
      node = text.slice(i + 1, end).replaceAll('``', '`');
      i = end + 1;
      if (node.length === 0) fail(start, 'empty node');
      if (isWildcard(node)) fail(start, `no node may be named ${node}`);
    } else {
      const dot = text.indexOf('.', i);
      i = dot < 0 ? text.length : dot;
      node = text.slice(start, i);
      if (node.length === 0) fail(start, 'empty node');
      if (isWildcard(node) || isNodeWildcard(node)) {
        if (options.wildcards !== true) fail(start, 'wildcards are not allowed here');
      } else if (nodes.length === 0 && node.toLowerCase() === 'root') {
        node = 'root';
      } else if (needsQuoting(node)) {
        fail(start, `node ${node} must be quoted with backquotes`);
      }
    }
    nodes.push(node);
    if (i === text.length) break;
    if (text[i] !== '.') fail(i, `unexpected ${text[i]} after a quoted node`);
    i++;
  }
  if (options.relative !== true && nodes[0] !== 'root') fail(0, 'it must start with root');
  return pathOf(nodes);
}

/** Reads one node (a measurement name such as `s1` or `` `a.b` ``) into its unquoted form. */
export function parseNode(text: string): string {
  const path = parsePath(text, { relative: true });
  if (path.nodes.length !== 1) {
    throw new SqlParseError(1, 0, text, `${text} is not a legal node name: it has ${path.nodes.length} nodes`);
  }
  return path.nodes[0]!;
}

/** Index of the backquote closing the one at `open`, skipping doubled backquotes; -1 if none. */
function closingBackquote(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === '`') {
      if (text[i + 1] === '`') {
        i += 2;
        continue;
      }
      return i;
    }
    i++;
  }
  return -1;
}
