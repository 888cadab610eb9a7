// Spec: protocol/FORMAT.md, section "Pipe transfer", subsection "Plan nodes". Constants
// shared by the plan-node readers and the DeleteDataNode writer (IoTDB 1.3 layouts).

/**
 * The int16 codes IoTDB 1.3 writes first in every serialized plan node (PlanNodeType). Only
 * the insert and delete nodes are read; the schema-region nodes are listed so that a
 * refusal can name them.
 */
export const PlanNodeType = {
  INSERT_TABLET: 13,
  INSERT_ROW: 14,
  INSERT_ROWS: 15,
  INSERT_ROWS_OF_ONE_DEVICE: 16,
  INSERT_MULTI_TABLET: 17,
  CREATE_TIME_SERIES: 19,
  ALTER_TIME_SERIES: 21,
  CREATE_ALIGNED_TIME_SERIES: 22,
  CREATE_MULTI_TIME_SERIES: 39,
  DELETE_DATA: 44,
  DELETE_TIME_SERIES: 45,
  INTERNAL_CREATE_TIME_SERIES: 52,
  ACTIVATE_TEMPLATE: 53,
  PRE_DEACTIVATE_TEMPLATE_NODE: 59,
  ROLLBACK_PRE_DEACTIVATE_TEMPLATE_NODE: 60,
  DEACTIVATE_TEMPLATE_NODE: 61,
  INTERNAL_BATCH_ACTIVATE_TEMPLATE: 68,
  INTERNAL_CREATE_MULTI_TIMESERIES: 69,
  BATCH_ACTIVATE_TEMPLATE: 72,
  CREATE_LOGICAL_VIEW: 73,
  DELETE_LOGICAL_VIEW: 76,
  ALTER_LOGICAL_VIEW: 78,
  PIPE_ENRICHED_INSERT_DATA: 79,
  PIPE_ENRICHED_DELETE_DATA: 84,
  PIPE_ENRICHED_WRITE: 85,
  PIPE_ENRICHED_NON_WRITE: 86,
} as const;

export type PlanNodeTypeCode = (typeof PlanNodeType)[keyof typeof PlanNodeType];

const namesByCode = new Map<number, string>(Object.entries(PlanNodeType).map(([name, code]) => [code, name]));

/** `NAME (code)` for the codes above, `plan node type <code>` for any other. */
export function describePlanNodeType(code: number): string {
  const name = namesByCode.get(code);
  return name === undefined ? `plan node type ${code}` : `${name} (${code})`;
}

/**
 * A node comes in two forms. `plan` is PlanNode.serialize (what TRANSFER_TABLET_INSERT_NODE
 * and TRANSFER_SCHEMA_PLAN carry): attributes, then the plan node id and the child count.
 * `wal` is serializeToWAL (inside TRANSFER_TABLET_BINARY): a search index first, measurement
 * schemas instead of names, no id.
 */
export type NodeForm = 'plan' | 'wal';

/** A write-ahead-log entry opens with its entry type (u8) and memtable id (int64); both unread. */
export const WAL_ENTRY_HEADER_BYTES = 1 + 8;

/**
 * The marker byte an InsertRowNode writes instead of a type code: a value still to be typed
 * (sent as text), a null whose type is unknown, a null followed by its type code.
 */
export const RowValueMarker = {
  RAW_STRING: -1,
  NULL_WITHOUT_TYPE: -2,
  NULL_WITH_TYPE: -3,
} as const;

/** The u8 IoTDB's PathDeserializeUtil reads first: which Path class follows. */
export const PathKind = {
  MEASUREMENT_PATH: 0,
  ALIGNED_PATH: 1,
  PARTIAL_PATH: 2,
  TSFILE_PATH: 3,
} as const;

/** MeasurementPath's schema kind byte: a plain MeasurementSchema (a vector one is not read). */
export const MEASUREMENT_SCHEMA_KIND_PLAIN = 0;

/**
 * The plan node id our encoder writes. IoTDB numbers the nodes of a query from "0"
 * (QueryId.genPlanNodeId), and a deletion's plan is that single node.
 */
export const DEFAULT_PLAN_NODE_ID = '0';
