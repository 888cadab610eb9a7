import { formatNode, isNodeWildcard, parsePath } from './path.js';

/**
 * A path pattern, IoTDB's meaning: `*` matches exactly one node, `**` one or more, and a
 * node with `*` inside its name (`d*`, `*_temp`, `s*x`) matches one node whose name fits,
 * each `*` standing for any run of characters (none included). Matching works on node
 * arrays so that quoted nodes containing dots match correctly.
 *
 * In a pattern every `*` is a wildcard, backquoted or not: a series named `` `a*b` ``
 * is selected by ``root.sg.`a*b` `` (and by `root.sg.a*b`), together with any `axb`.
 */
export class PathPattern {
  readonly nodes: readonly string[];

  constructor(text: string) {
    this.nodes = parsePath(text, true);
  }

  static of(nodes: readonly string[]): PathPattern {
    const p = Object.create(PathPattern.prototype) as PathPattern;
    (p as { nodes: readonly string[] }).nodes = nodes;
    return p;
  }

  /** Canonical text; a node with `*` inside stays bare when it can (`root.sg.d*`). */
  toString(): string {
    return this.nodes
      .map((node, i) => ((i === 0 && node === 'root') || isNodeWildcard(node) ? node : formatNode(node)))
      .join('.');
  }

  get hasWildcard(): boolean {
    return this.nodes.some(hasWildcardChar);
  }

  matches(path: readonly string[]): boolean {
    return matchFrom(this.nodes, 0, path, 0);
  }

  /** Whether some path below `prefix` (or the prefix itself) could match. */
  mayMatchBelow(prefix: readonly string[]): boolean {
    return prefixCompatible(this.nodes, 0, prefix, 0);
  }

  /** The pattern with `.**` appended, as SELECT/DELETE on a prefix means. */
  withDescendants(): PathPattern {
    return PathPattern.of([...this.nodes, '**']);
  }
}

/** Whether a pattern node can match more than one name (`*`, `**`, `d*`). */
export function hasWildcardChar(node: string): boolean {
  return node.includes('*');
}

/**
 * Whether one pattern node (not `**`) matches one node name: `*` any name, `d*` a name
 * starting with `d`, a node without `*` only itself.
 */
export function nodeMatches(patternNode: string, name: string): boolean {
  if (patternNode === '*' || patternNode === '**') return true;
  if (!patternNode.includes('*')) return patternNode === name;
  return globOf(patternNode).test(name);
}

const GLOBS = new Map<string, RegExp>();

/** The node as an anchored regular expression, `*` as `[^]*`; compiled once per node. */
function globOf(node: string): RegExp {
  let re = GLOBS.get(node);
  if (re === undefined) {
    const source = node
      .split('*')
      .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
      .join('[^]*');
    re = new RegExp(`^${source}$`, 'u');
    if (GLOBS.size > 1024) GLOBS.clear();
    GLOBS.set(node, re);
  }
  return re;
}

function matchFrom(p: readonly string[], i: number, path: readonly string[], j: number): boolean {
  if (i === p.length) return j === path.length;
  const node = p[i]!;
  if (node === '**') {
    for (let k = j + 1; k <= path.length; k++) if (matchFrom(p, i + 1, path, k)) return true;
    return false;
  }
  if (j >= path.length) return false;
  if (!nodeMatches(node, path[j]!)) return false;
  return matchFrom(p, i + 1, path, j + 1);
}

function prefixCompatible(p: readonly string[], i: number, prefix: readonly string[], j: number): boolean {
  if (j === prefix.length) return true;
  if (i === p.length) return false;
  const node = p[i]!;
  if (node === '**') return true;
  if (!nodeMatches(node, prefix[j]!)) return false;
  return prefixCompatible(p, i + 1, prefix, j + 1);
}
