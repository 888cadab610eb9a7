import { formatPath, isWildcard, parsePath } from './path.js';

/**
 * A path pattern: `*` matches exactly one node, `**` one or more (IoTDB's meaning).
 * Matching works on node arrays so that quoted nodes containing dots match correctly.
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

  toString(): string {
    return formatPath(this.nodes);
  }

  get hasWildcard(): boolean {
    return this.nodes.some(isWildcard);
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

function matchFrom(p: readonly string[], i: number, path: readonly string[], j: number): boolean {
  if (i === p.length) return j === path.length;
  const node = p[i]!;
  if (node === '**') {
    for (let k = j + 1; k <= path.length; k++) if (matchFrom(p, i + 1, path, k)) return true;
    return false;
  }
  if (j >= path.length) return false;
  if (node !== '*' && node !== path[j]) return false;
  return matchFrom(p, i + 1, path, j + 1);
}

function prefixCompatible(p: readonly string[], i: number, prefix: readonly string[], j: number): boolean {
  if (j === prefix.length) return true;
  if (i === p.length) return false;
  const node = p[i]!;
  if (node === '**') return true;
  if (node !== '*' && node !== prefix[j]) return false;
  return prefixCompatible(p, i + 1, prefix, j + 1);
}
