// Spec: protocol/FORMAT.md, section "Pipe transfer". Constants shared by the encoders and
// the decoder of `pipeTransfer` requests and responses.

/** The `version` byte of every TPipeTransferReq IoTDB 1.x sends (and the only one it reads). */
export const PIPE_REQUEST_VERSION = 1;

/**
 * The `type` codes of TPipeTransferReq in IoTDB 1.3. Data-node pipes use 1..9, 51 and the
 * compression wrapper 300 of later 1.3 releases; the others belong to config-node and
 * schema-region pipes and to the slicing wrapper, and are known here only to be refused by name.
 */
export const PipeRequestType = {
  HANDSHAKE_CONFIGNODE_V1: 0,
  HANDSHAKE_DATANODE_V1: 1,
  TRANSFER_TABLET_INSERT_NODE: 2,
  TRANSFER_TABLET_RAW: 3,
  TRANSFER_TS_FILE_PIECE: 4,
  TRANSFER_TS_FILE_SEAL: 5,
  TRANSFER_TABLET_BATCH: 6,
  TRANSFER_TABLET_BINARY: 7,
  TRANSFER_TS_FILE_PIECE_WITH_MOD: 8,
  TRANSFER_TS_FILE_SEAL_WITH_MOD: 9,
  HANDSHAKE_CONFIGNODE_V2: 50,
  HANDSHAKE_DATANODE_V2: 51,
  TRANSFER_SCHEMA_PLAN: 100,
  TRANSFER_SCHEMA_SNAPSHOT_PIECE: 101,
  TRANSFER_SCHEMA_SNAPSHOT_SEAL: 102,
  TRANSFER_CONFIG_PLAN: 200,
  TRANSFER_CONFIG_SNAPSHOT_PIECE: 201,
  TRANSFER_CONFIG_SNAPSHOT_SEAL: 202,
  TRANSFER_COMPRESSED: 300,
  TRANSFER_SLICE: 400,
} as const;

export type PipeRequestType = (typeof PipeRequestType)[keyof typeof PipeRequestType];
export type PipeRequestTypeName = keyof typeof PipeRequestType;

const namesByCode = new Map<number, PipeRequestTypeName>(
  Object.entries(PipeRequestType).map(([name, code]) => [code, name as PipeRequestTypeName]),
);

/** The IoTDB name of a request type code, or undefined for a code IoTDB 1.3 does not define. */
export function pipeRequestTypeName(code: number): PipeRequestTypeName | undefined {
  return namesByCode.get(code);
}

/** IoTDB's TSStatusCode values that answer pipe transfers. */
export const PipeStatusCode = {
  SUCCESS: 200,
  /** A body that does not follow its layout (IoTDB: ILLEGAL_PARAMETER). */
  ILLEGAL_PARAMETER: 303,
  PIPE_VERSION_ERROR: 1800,
  PIPE_TYPE_ERROR: 1801,
  PIPE_HANDSHAKE_ERROR: 1802,
  /** A file piece that does not start where the receiver's copy ends; the body says where. */
  PIPE_TRANSFER_FILE_OFFSET_RESET: 1803,
  PIPE_TRANSFER_FILE_ERROR: 1804,
  PIPE_TRANSFER_EXECUTE_STATEMENT_ERROR: 1805,
} as const;

/**
 * Keys of the handshake v2 parameter map. IoTDB 1.3 data nodes always send the first two;
 * IoTDB 1.3.3 and later also the sink's options and its user and password, which the
 * receiver logs in with.
 */
export const HandshakeKey = {
  TIMESTAMP_PRECISION: 'timestampPrecision',
  CLUSTER_ID: 'clusterID',
  /**
   * Not IoTDB's (its receivers ignore keys they do not know): the cluster id of the node
   * where the data sent on this connection was first written, when the sender forwards
   * data that came to it through a pipe.
   */
  ORIGIN_CLUSTER_ID: 'originClusterID',
  CONVERT_ON_TYPE_MISMATCH: 'convertOnTypeMismatch',
  LOAD_TSFILE_STRATEGY: 'loadTsFileStrategy',
  USERNAME: 'username',
  PASSWORD: 'password',
} as const;

/** The end offset IoTDB puts in a file-piece answer when it has none to give. */
export const ERROR_END_OFFSET = -1n;
