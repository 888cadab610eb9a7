import { hasWildcardChar, nodeMatches } from '../../engine/path/path-pattern.js';

/**
 * Whether every path `inner` can match is also matched by `outer` (`*` one node, `**` one
 * or more, `d*` one node named so, IoTDB's meaning). A privilege granted on `outer` then
 * covers a statement on `inner`. A `**` in `inner` is only covered by a `**` in `outer`,
 * since it may stand for any number of nodes; a `d*` in `inner` only by `*` or the same
 * `d*` (a looser test than glob inclusion, on the safe side).
 */
export function patternCovers(outer: readonly string[], inner: readonly string[]): boolean {
  return covers(outer, 0, inner, 0);
}

function covers(g: readonly string[], i: number, p: readonly string[], j: number): boolean {
  if (i === g.length) return j === p.length;
  const node = g[i]!;
  if (node === '**') return j < p.length && afterDoubleStar(g, i, p, j + 1);
  if (j === p.length || p[j] === '**') return false;
  const own = p[j]!;
  if (hasWildcardChar(own) ? node !== '*' && node !== own : !nodeMatches(node, own)) return false;
  return covers(g, i + 1, p, j + 1);
}

/** `g[i]` is a `**` that has taken at least one node: it may stop here or take more. */
function afterDoubleStar(g: readonly string[], i: number, p: readonly string[], j: number): boolean {
  return covers(g, i + 1, p, j) || (j < p.length && afterDoubleStar(g, i, p, j + 1));
}
