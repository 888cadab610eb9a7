import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatNode, parsePath } from '../../engine/path/path.js';
import type { AggregationName } from '../../engine/query/aggregate.js';
import type { SeriesSchema } from '../../engine/schema/schema-types.js';
import { type DataType, dataTypeName } from '../../tsfile/data-type.js';
import type { SqlPath } from '../sql/ast.js';

/**
 * IoTDB's name of a series grouped by level: the nodes at the listed levels kept (root is
 * level 0), every other node between root and the measurement a `*`. `root.ln.wf01.wt01.status`
 * at level 1 is `root.ln.*.*.status`, at levels 1 and 3 `root.ln.*.wt01.status`. For
 * `count(*)` (`countStar`) the measurement is a `*` too, so all of a group's series count
 * together.
 */
export function levelPath(series: SeriesSchema, levels: readonly number[], countStar = false): string {
  const nodes = [...parsePath(series.device), series.measurement];
  const last = nodes.length - 1;
  return nodes
    .map((node, k) => {
      if (k === 0) return node;
      if (levels.includes(k) || (k === last && !countStar)) return formatNode(node);
      return '*';
    })
    .join('.');
}

/** Aggregations whose grouped series must share one type (IoTDB's documented list, plus first/last). */
const SAME_TYPE: ReadonlySet<AggregationName> = new Set([
  'sum',
  'avg',
  'min_value',
  'max_value',
  'first_value',
  'last_value',
]);

/** One output column of GROUP BY LEVEL: its grouped name and the series folded into it. */
export interface LevelGroup {
  readonly key: string;
  readonly members: SeriesSchema[];
}

/**
 * Groups one item's series by their level path, groups in order of first appearance.
 * `selected` is the item's path as written: `count` of one ending in `*` or `**` is
 * IoTDB's count(*).
 */
export function groupByLevel(
  fn: AggregationName,
  selected: SqlPath,
  series: readonly SeriesSchema[],
  levels: readonly number[],
): LevelGroup[] {
  const lastNode = selected.nodes.at(-1);
  const countStar = fn === 'count' && (lastNode === '*' || lastNode === '**');
  const groups = new Map<string, LevelGroup>();
  for (const s of series) {
    const key = levelPath(s, levels, countStar);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { key, members: [s] });
    else group.members.push(s);
  }
  for (const g of groups.values()) checkSameType(fn, g);
  return [...groups.values()];
}

function checkSameType(fn: AggregationName, group: LevelGroup): void {
  if (!SAME_TYPE.has(fn)) return;
  const types = new Set<DataType>(group.members.map((m) => m.dataType));
  if (types.size > 1) {
    throw new EngineError(
      StatusCode.SEMANTIC_ERROR,
      `GROUP BY LEVEL: the series of ${fn}(${group.key}) must have one data type, not ${[...types].map((t) => dataTypeName(t)).join(' and ')}`,
    );
  }
}
