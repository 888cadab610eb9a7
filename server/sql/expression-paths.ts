import type { Expression, PathOperand, SelectItem } from './ast.js';

/** The series an expression names, left to right (repeats kept). */
export function expressionPaths(e: Expression): PathOperand[] {
  switch (e.kind) {
    case 'path':
      return [e];
    case 'negate':
      return expressionPaths(e.operand);
    case 'arithmetic':
      return [...expressionPaths(e.left), ...expressionPaths(e.right)];
    case 'function':
      return e.args.flatMap(expressionPaths);
    default:
      return [];
  }
}

/** The series a SELECT item names. */
export function itemPaths(item: SelectItem): PathOperand[] {
  if (item.kind === 'expression') return expressionPaths(item.expression);
  return [{ kind: 'path', path: item.path, absolute: item.absolute }];
}
