/**
 * IoTDB tree paths: `root.sg.d1.s1`. A node is written unquoted when it is made of
 * `0-9 a-z A-Z _` and CJK characters (U+2E80..U+9FFF), is not a number (`123`, `1e5`) and
 * not a word the grammar reserves (`root`, `time`, `timestamp`); otherwise in backquotes,
 * with `` for a backquote. A node that needs quoting keeps its backquotes in a path's
 * canonical string (``root.sg.`a@b` ``), one that does not loses them (`` `abc` `` is `abc`).
 */
export class PathError extends Error {
  override readonly name = 'PathError';
}

const UNQUOTED = /^[0-9A-Za-z_\u2E80-\u9FFF]+$/;
const NUMBER_LIKE = /^[0-9]+(?:[eE][0-9]+)?$/;
const RESERVED_WORDS = new Set(['root', 'time', 'timestamp']);
const UNQUOTED_WILDCARD = /^[0-9A-Za-z_\u2E80-\u9FFF*]+$/;

export function isWildcard(node: string): boolean {
  return node === '*' || node === '**';
}

/** A pattern node written unquoted with `*` in its name (`d*`, `*_temp`, `s*x`): a one-level wildcard. */
export function isNodeWildcard(node: string): boolean {
  return node.includes('*') && !isWildcard(node) && UNQUOTED_WILDCARD.test(node);
}

/** Whether `node` (unquoted) must be written in backquotes to be read back as itself. */
export function needsQuoting(node: string): boolean {
  return !UNQUOTED.test(node) || NUMBER_LIKE.test(node) || RESERVED_WORDS.has(node.toLowerCase());
}

/** The node as it appears in canonical path text (wildcards as they are). */
export function formatNode(node: string): string {
  if (isWildcard(node)) return node;
  return needsQuoting(node) ? `\`${node.replaceAll('`', '``')}\`` : node;
}

/** Canonical text of a path given its unquoted nodes; a leading `root` is the root. */
export function formatPath(nodes: readonly string[]): string {
  return nodes.map((node, i) => (i === 0 && node === 'root' ? node : formatNode(node))).join('.');
}

/**
 * Splits a path into its nodes (backquotes removed). `allowWildcards` admits `*` and `**`
 * as whole nodes and `*` inside unquoted names (`d*`), as patterns do.
 */
export function parsePath(text: string, allowWildcards = false): string[] {
  const nodes: string[] = [];
  let i = 0;
  if (text.length === 0) throw new PathError('empty path');
  while (i <= text.length) {
    let node = '';
    if (text[i] === '`') {
      i++;
      for (;;) {
        if (i >= text.length) throw new PathError(`${text} is not a legal path: unclosed backquote`);
        if (text[i] === '`') {
          if (text[i + 1] === '`') {
            node += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        node += text[i++];
      }
      if (node.length === 0) throw new PathError(`${text} is not a legal path: empty node`);
      if (i < text.length && text[i] !== '.') throw new PathError(`${text} is not a legal path`);
    } else {
      const end = text.indexOf('.', i);
      node = text.slice(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
      const wildcard = allowWildcards && (isWildcard(node) || isNodeWildcard(node));
      const isRoot = nodes.length === 0 && node === 'root';
      if (!wildcard && !isRoot && (node.length === 0 || needsQuoting(node))) {
        throw new PathError(`${text} is not a legal path`);
      }
    }
    nodes.push(node);
    if (i >= text.length) break;
    i++; // the dot
    if (i === text.length) throw new PathError(`${text} is not a legal path: it ends with '.'`);
  }
  if (nodes[0] !== 'root') throw new PathError(`${text} is not a legal path: it must start with root`);
  return nodes;
}

/** A full path (no wildcards) in canonical form; throws PathError when illegal. */
export function canonicalPath(text: string): string {
  return formatPath(parsePath(text));
}

/** Splits a full series path into its device and measurement. */
export function splitSeriesPath(text: string): { device: string; measurement: string } {
  const nodes = parsePath(text);
  if (nodes.length < 3) throw new PathError(`${text} is not a legal series path: it needs a device and a measurement`);
  return { device: formatPath(nodes.slice(0, -1)), measurement: nodes.at(-1)! };
}
