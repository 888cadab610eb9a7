/**
 * The wire formats of IoTDB's client RPC: the Thrift service and its stubs, and pure
 * codecs for the byte payloads inside its messages. Byte-level spec: protocol/FORMAT.md.
 */

export { detectThriftProtocol, encodeFrame, FrameDecoder, FrameTooLargeError } from './frame-decoder.js';
export {
  LEGACY_SYNC_DATABASE,
  LEGACY_SYNC_VERSION,
  majorVersion,
  PipeDataType,
  SERIAL_NUMBER_NONE,
} from './legacy-sync/legacy-sync-format.js';
export type { DeletionPipeData, LegacyPipeData, TsFilePipeData } from './legacy-sync/pipe-data-codec.js';
export { decodePipeData, encodePipeData } from './legacy-sync/pipe-data-codec.js';
export { fileMeta, parseRedirectIndex, redirectMessage, syncIdentity } from './legacy-sync/sync-messages.js';
export { PayloadError } from './payload-error.js';
export type { PipeRequestTypeName } from './pipe/pipe-request-type.js';
export {
  ERROR_END_OFFSET,
  HandshakeKey,
  PIPE_REQUEST_VERSION,
  PipeRequestType,
  PipeStatusCode,
  pipeRequestTypeName,
} from './pipe/pipe-request-type.js';
export type { PipeRequest, PipeRequestKind, SealedFile } from './pipe/pipe-requests.js';
export {
  decodePipeTransferReq,
  encodeHandshakeV1,
  encodeHandshakeV2,
  encodeTabletBatch,
  encodeTabletRaw,
  encodeTsFilePiece,
  encodeTsFilePieceWithMod,
  encodeTsFileSeal,
  encodeTsFileSealWithMod,
  PipeTypeError,
  PipeVersionError,
} from './pipe/pipe-requests.js';
export {
  decodeFilePieceResp,
  decodeHandshakeResp,
  encodeFilePieceResp,
  encodeHandshakeResp,
} from './pipe/pipe-responses.js';
export type { PipeTablet } from './pipe/pipe-tablet-codec.js';
export { NULL_DATE_SLOT, readPipeTablet, writePipeTablet } from './pipe/pipe-tablet-codec.js';
export type { QueryDataSetBuffers } from './query-dataset-codec.js';
export { decodeQueryDataSet, encodeQueryDataSet } from './query-dataset-codec.js';
export type { RecordValue, RecordValues } from './record-values-codec.js';
export { decodeRecordValues, encodeRecordValues, RECORD_NULL_TYPE } from './record-values-codec.js';
export type { ResultBlock, ResultColumn } from './result-block.js';
export type {
  ClientRpcClient,
  ClientRpcHandler,
  ClientRpcProcessor,
  I64,
  ProtocolClass,
  ServerProperties,
  TEndPoint,
  TPipeTransferReq,
  TPipeTransferResp,
  TSAggregationQueryReq,
  TSCancelOperationReq,
  TSCloseOperationReq,
  TSCloseSessionReq,
  TSCreateAlignedTimeseriesReq,
  TSCreateMultiTimeseriesReq,
  TSCreateTimeseriesReq,
  TSDeleteDataReq,
  TSExecuteBatchStatementReq,
  TSExecuteStatementReq,
  TSExecuteStatementResp,
  TSFetchMetadataReq,
  TSFetchMetadataResp,
  TSFetchResultsReq,
  TSFetchResultsResp,
  TSGetTimeZoneResp,
  TSInsertRecordReq,
  TSInsertRecordsOfOneDeviceReq,
  TSInsertRecordsReq,
  TSInsertStringRecordReq,
  TSInsertStringRecordsOfOneDeviceReq,
  TSInsertStringRecordsReq,
  TSInsertTabletReq,
  TSInsertTabletsReq,
  TSLastDataQueryReq,
  TSOpenSessionReq,
  TSOpenSessionResp,
  TSQueryDataSet,
  TSQueryNonAlignDataSet,
  TSRawDataQueryReq,
  TSSetTimeZoneReq,
  TSStatus,
  TSTracingInfo,
  TSyncIdentityInfo,
  TSyncTransportMetaInfo,
} from './rpc-types.js';
export {
  ClientRpcService,
  Int64,
  i64ToBigInt,
  i64ToNumber,
  processRpcFrame,
  SERVED_METHODS,
  TAggregationType,
  TBinaryProtocol,
  TCompactProtocol,
  TFramedTransport,
  Thrift,
  TSProtocolVersion,
  toI64,
  wrapRpcHandler,
} from './rpc-types.js';
export type { StringInference } from './string-record-values.js';
export { DEFAULT_STRING_INFERENCE, inferStringValue, parseStringValue } from './string-record-values.js';
export type { EncodedTablet, TabletColumns, TabletPayload, TabletRequest } from './tablet-codec.js';
export { decodeTablet, decodeTabletPayload, encodeTablet, encodeTabletPayload } from './tablet-codec.js';
export { ColumnEncoding, decodeTsBlock, encodeTsBlock, tsBlockWireType } from './tsblock-codec.js';
