// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Schema plans".

import type { ByteReader } from '../../../tsfile/io/byte-reader.js';
import type { ByteWriter } from '../../../tsfile/io/byte-writer.js';
import {
  type CreateAlignedTimeSeries,
  readCreateAlignedTimeSeriesNode,
  writeCreateAlignedTimeSeriesNode,
} from './create-aligned-timeseries-node.js';
import {
  type CreateTimeSeries,
  readCreateTimeSeriesNode,
  writeCreateTimeSeriesNode,
} from './create-timeseries-node.js';
import { readDeleteTimeSeriesNode, writeDeleteTimeSeriesNode } from './delete-timeseries-node.js';
import { PlanNodeType } from './plan-node-format.js';

/** A schema-region plan a TRANSFER_SCHEMA_PLAN request carries (besides a DeleteDataNode). */
export type SchemaPlan =
  | ({ readonly kind: 'create-timeseries' } & CreateTimeSeries)
  | ({ readonly kind: 'create-aligned-timeseries' } & CreateAlignedTimeSeries)
  | { readonly kind: 'delete-timeseries'; readonly patterns: readonly string[] };

/** The plan node codes read as schema plans. */
export const SCHEMA_PLAN_NODE_TYPES: readonly number[] = [
  PlanNodeType.CREATE_TIME_SERIES,
  PlanNodeType.CREATE_ALIGNED_TIME_SERIES,
  PlanNodeType.DELETE_TIME_SERIES,
];

export function writeSchemaPlanNode(out: ByteWriter, plan: SchemaPlan): void {
  switch (plan.kind) {
    case 'create-timeseries':
      writeCreateTimeSeriesNode(out, plan);
      return;
    case 'create-aligned-timeseries':
      writeCreateAlignedTimeSeriesNode(out, plan);
      return;
    case 'delete-timeseries':
      writeDeleteTimeSeriesNode(out, plan.patterns);
      return;
  }
}

/** Reads the node after its type code `code`, one of SCHEMA_PLAN_NODE_TYPES. */
export function readSchemaPlanNode(code: number, r: ByteReader): SchemaPlan {
  switch (code) {
    case PlanNodeType.CREATE_TIME_SERIES:
      return { kind: 'create-timeseries', ...readCreateTimeSeriesNode(r) };
    case PlanNodeType.CREATE_ALIGNED_TIME_SERIES:
      return { kind: 'create-aligned-timeseries', ...readCreateAlignedTimeSeriesNode(r) };
    case PlanNodeType.DELETE_TIME_SERIES:
      return { kind: 'delete-timeseries', patterns: readDeleteTimeSeriesNode(r) };
    default:
      throw new RangeError(`plan node type ${code} is not one of SCHEMA_PLAN_NODE_TYPES`);
  }
}
