// The client RPC service of Apache IoTDB 1.3 (port 6667), as far as iotdb-lite serves it.
// Service name, method names, field ids and types are the wire contract the official
// Java / Python / Go / C++ sessions use; methods iotdb-lite does not serve are left out
// (a call to one is answered with TApplicationException UNKNOWN_METHOD).
// Payload layouts of the `binary` fields: protocol/FORMAT.md.

include "common.thrift"

namespace java org.apache.iotdb.service.rpc.thrift
namespace py iotdb.thrift.rpc
namespace go rpc

// ---------------------------------------------------------------- sessions

enum TSProtocolVersion {
  IOTDB_SERVICE_PROTOCOL_V1 = 0,
  IOTDB_SERVICE_PROTOCOL_V2 = 1,
  IOTDB_SERVICE_PROTOCOL_V3 = 2
}

struct TSOpenSessionReq {
  1: required TSProtocolVersion client_protocol = TSProtocolVersion.IOTDB_SERVICE_PROTOCOL_V3
  2: required string zoneId
  3: required string username
  4: optional string password
  5: optional map<string, string> configuration
}

struct TSOpenSessionResp {
  1: required common.TSStatus status
  2: required TSProtocolVersion serverProtocolVersion = TSProtocolVersion.IOTDB_SERVICE_PROTOCOL_V1
  3: optional i64 sessionId
  4: optional map<string, string> configuration
}

struct TSCloseSessionReq {
  1: required i64 sessionId
}

struct TSGetTimeZoneResp {
  1: required common.TSStatus status
  2: required string timeZone
}

struct TSSetTimeZoneReq {
  1: required i64 sessionId
  2: required string timeZone
}

struct ServerProperties {
  1: required string version
  2: required list<string> supportedTimeAggregationOperations
  3: required string timestampPrecision
  4: i32 maxConcurrentClientNum
  5: optional i32 thriftMaxFrameSize
  6: optional bool isReadOnly
  7: optional string buildInfo
  8: optional string logo
}

// ---------------------------------------------------------------- statements and results

struct TSExecuteStatementReq {
  1: required i64 sessionId
  2: required string statement
  3: required i64 statementId
  4: optional i32 fetchSize
  5: optional i64 timeout
  6: optional bool enableRedirectQuery
  7: optional bool jdbcQuery
}

struct TSExecuteBatchStatementReq {
  1: required i64 sessionId
  2: required list<string> statements
}

// The old row-set format: a time buffer plus, per column, its non-null values and a
// presence bitmap (protocol/FORMAT.md, "TSQueryDataSet").
struct TSQueryDataSet {
  1: required binary time
  2: required list<binary> valueList
  3: required list<binary> bitmapList
}

struct TSQueryNonAlignDataSet {
  1: required list<binary> timeList
  2: required list<binary> valueList
}

struct TSTracingInfo {
  1: required list<string> activityList
  2: required list<i64> elapsedTimeList
  3: optional i32 seriesPathNum
  4: optional i32 seqFileNum
  5: optional i32 unSeqFileNum
  6: optional i32 sequenceChunkNum
  7: optional i64 sequenceChunkPointNum
  8: optional i32 unsequenceChunkNum
  9: optional i64 unsequenceChunkPointNum
  10: optional i32 totalPageNum
  11: optional i32 overlappedPageNum
}

// The V2 methods answer with `queryResult` (serialized TsBlocks); the V1 methods with
// `queryDataSet`.
struct TSExecuteStatementResp {
  1: required common.TSStatus status
  2: optional i64 queryId
  3: optional list<string> columns
  4: optional string operationType
  5: optional bool ignoreTimeStamp
  6: optional list<string> dataTypeList
  7: optional TSQueryDataSet queryDataSet
  8: optional TSQueryNonAlignDataSet nonAlignQueryDataSet
  9: optional map<string, i32> columnNameIndexMap
  10: optional list<string> sgColumns
  11: optional list<i8> aliasColumns
  12: optional TSTracingInfo tracingInfo
  13: optional list<binary> queryResult
  14: optional bool moreData
}

struct TSFetchResultsReq {
  1: required i64 sessionId
  2: required string statement
  3: required i32 fetchSize
  4: required i64 queryId
  5: required bool isAlign
  6: optional i64 timeout
}

struct TSFetchResultsResp {
  1: required common.TSStatus status
  2: required bool hasResultSet
  3: required bool isAlign
  4: optional TSQueryDataSet queryDataSet
  5: optional TSQueryNonAlignDataSet nonAlignQueryDataSet
  6: optional list<binary> queryResult
  7: optional bool moreData
}

struct TSCancelOperationReq {
  1: required i64 sessionId
  2: required i64 queryId
}

struct TSCloseOperationReq {
  1: required i64 sessionId
  2: optional i64 queryId
  3: optional i64 statementId
}

struct TSFetchMetadataReq {
  1: required i64 sessionId
  2: required string type
  3: optional string columnPath
}

struct TSFetchMetadataResp {
  1: required common.TSStatus status
  2: optional string metadataInJson
  3: optional list<string> columnsList
  4: optional string dataType
}

struct TSRawDataQueryReq {
  1: required i64 sessionId
  2: required list<string> paths
  3: optional i32 fetchSize
  4: required i64 startTime
  5: required i64 endTime
  6: required i64 statementId
  7: optional bool enableRedirectQuery
  8: optional bool jdbcQuery
  9: optional i64 timeout
  10: optional bool legalPathNodes
}

struct TSLastDataQueryReq {
  1: required i64 sessionId
  2: required list<string> paths
  3: optional i32 fetchSize
  4: required i64 time
  5: required i64 statementId
  6: optional bool enableRedirectQuery
  7: optional bool jdbcQuery
  8: optional i64 timeout
  9: optional bool legalPathNodes
}

struct TSAggregationQueryReq {
  1: required i64 sessionId
  2: required i64 statementId
  3: required list<string> paths
  4: required list<common.TAggregationType> aggregations
  5: optional i64 startTime
  6: optional i64 endTime
  7: optional i64 interval
  8: optional i64 slidingStep
  9: optional i32 fetchSize
  10: optional i64 timeout
  11: optional bool legalPathNodes
}

// ---------------------------------------------------------------- schema

struct TSCreateTimeseriesReq {
  1: required i64 sessionId
  2: required string path
  3: required i32 dataType
  4: required i32 encoding
  5: required i32 compressor
  6: optional map<string, string> props
  7: optional map<string, string> tags
  8: optional map<string, string> attributes
  9: optional string measurementAlias
}

struct TSCreateAlignedTimeseriesReq {
  1: required i64 sessionId
  2: required string prefixPath
  3: required list<string> measurements
  4: required list<i32> dataTypes
  5: required list<i32> encodings
  6: required list<i32> compressors
  7: optional list<string> measurementAlias
  8: optional list<map<string, string>> tagsList
  9: optional list<map<string, string>> attributesList
}

struct TSCreateMultiTimeseriesReq {
  1: required i64 sessionId
  2: required list<string> paths
  3: required list<i32> dataTypes
  4: required list<i32> encodings
  5: required list<i32> compressors
  6: optional list<map<string, string>> propsList
  7: optional list<map<string, string>> tagsList
  8: optional list<map<string, string>> attributesList
  9: optional list<string> measurementAliasList
}

struct TSDeleteDataReq {
  1: required i64 sessionId
  2: required list<string> paths
  3: required i64 startTime
  4: required i64 endTime
}

// ---------------------------------------------------------------- writes

// `values` holds one typed value per measurement (FORMAT.md, "Record values").
struct TSInsertRecordReq {
  1: required i64 sessionId
  2: required string prefixPath
  3: required list<string> measurements
  4: required binary values
  5: required i64 timestamp
  6: optional bool isAligned
}

struct TSInsertStringRecordReq {
  1: required i64 sessionId
  2: required string prefixPath
  3: required list<string> measurements
  4: required list<string> values
  5: required i64 timestamp
  6: optional bool isAligned
  7: optional i64 timeout
}

// `timestamps` and `values` are column buffers (FORMAT.md, "Tablet").
struct TSInsertTabletReq {
  1: required i64 sessionId
  2: required string prefixPath
  3: required list<string> measurements
  4: required binary values
  5: required binary timestamps
  6: required list<i32> types
  7: required i32 size
  8: optional bool isAligned
}

struct TSInsertTabletsReq {
  1: required i64 sessionId
  2: required list<string> prefixPaths
  3: required list<list<string>> measurementsList
  4: required list<binary> valuesList
  5: required list<binary> timestampsList
  6: required list<list<i32>> typesList
  7: required list<i32> sizeList
  8: optional bool isAligned
}

struct TSInsertRecordsReq {
  1: required i64 sessionId
  2: required list<string> prefixPaths
  3: required list<list<string>> measurementsList
  4: required list<binary> valuesList
  5: required list<i64> timestamps
  6: optional bool isAligned
}

struct TSInsertRecordsOfOneDeviceReq {
  1: required i64 sessionId
  2: required string prefixPath
  3: required list<list<string>> measurementsList
  4: required list<binary> valuesList
  5: required list<i64> timestamps
  6: optional bool isAligned
}

struct TSInsertStringRecordsOfOneDeviceReq {
  1: required i64 sessionId
  2: required string prefixPath
  3: required list<list<string>> measurementsList
  4: required list<list<string>> valuesList
  5: required list<i64> timestamps
  6: optional bool isAligned
}

struct TSInsertStringRecordsReq {
  1: required i64 sessionId
  2: required list<string> prefixPaths
  3: required list<list<string>> measurementsList
  4: required list<list<string>> valuesList
  5: required list<i64> timestamps
  6: optional bool isAligned
}

// ---------------------------------------------------------------- data sync

// Legacy (pre-1.2) sync protocol: the sender introduces itself, then ships pipe data
// and file slices.
struct TSyncIdentityInfo {
  1: required string pipeName
  2: required i64 createTime
  3: required string version
  4: required string database
}

struct TSyncTransportMetaInfo {
  1: required string fileName
  2: required i64 startIndex
}

// Pipe protocol (1.2+): `type` selects the request kind, `body` is its payload.
struct TPipeTransferReq {
  1: required i8 version
  2: required i16 type
  3: required binary body
}

struct TPipeTransferResp {
  1: required common.TSStatus status
  2: optional binary body
}

// ---------------------------------------------------------------- the service

service IClientRPCService {
  TSExecuteStatementResp executeQueryStatementV2(1: TSExecuteStatementReq req);
  TSExecuteStatementResp executeUpdateStatementV2(1: TSExecuteStatementReq req);
  TSExecuteStatementResp executeStatementV2(1: TSExecuteStatementReq req);
  TSExecuteStatementResp executeRawDataQueryV2(1: TSRawDataQueryReq req);
  TSExecuteStatementResp executeLastDataQueryV2(1: TSLastDataQueryReq req);
  TSExecuteStatementResp executeAggregationQueryV2(1: TSAggregationQueryReq req);
  TSFetchResultsResp fetchResultsV2(1: TSFetchResultsReq req);

  TSOpenSessionResp openSession(1: TSOpenSessionReq req);
  common.TSStatus closeSession(1: TSCloseSessionReq req);

  TSExecuteStatementResp executeStatement(1: TSExecuteStatementReq req);
  common.TSStatus executeBatchStatement(1: TSExecuteBatchStatementReq req);
  TSExecuteStatementResp executeQueryStatement(1: TSExecuteStatementReq req);
  TSExecuteStatementResp executeUpdateStatement(1: TSExecuteStatementReq req);
  TSFetchResultsResp fetchResults(1: TSFetchResultsReq req);
  TSFetchMetadataResp fetchMetadata(1: TSFetchMetadataReq req);
  common.TSStatus cancelOperation(1: TSCancelOperationReq req);
  common.TSStatus closeOperation(1: TSCloseOperationReq req);

  TSGetTimeZoneResp getTimeZone(1: i64 sessionId);
  common.TSStatus setTimeZone(1: TSSetTimeZoneReq req);
  ServerProperties getProperties();

  common.TSStatus setStorageGroup(1: i64 sessionId, 2: string storageGroup);
  common.TSStatus createTimeseries(1: TSCreateTimeseriesReq req);
  common.TSStatus createAlignedTimeseries(1: TSCreateAlignedTimeseriesReq req);
  common.TSStatus createMultiTimeseries(1: TSCreateMultiTimeseriesReq req);
  common.TSStatus deleteTimeseries(1: i64 sessionId, 2: list<string> path);
  common.TSStatus deleteStorageGroups(1: i64 sessionId, 2: list<string> storageGroup);

  common.TSStatus insertRecord(1: TSInsertRecordReq req);
  common.TSStatus insertStringRecord(1: TSInsertStringRecordReq req);
  common.TSStatus insertTablet(1: TSInsertTabletReq req);
  common.TSStatus insertTablets(1: TSInsertTabletsReq req);
  common.TSStatus insertRecords(1: TSInsertRecordsReq req);
  common.TSStatus insertRecordsOfOneDevice(1: TSInsertRecordsOfOneDeviceReq req);
  common.TSStatus insertStringRecordsOfOneDevice(1: TSInsertStringRecordsOfOneDeviceReq req);
  common.TSStatus insertStringRecords(1: TSInsertStringRecordsReq req);

  // Benchmark hooks of the clients: the request is decoded, nothing is written.
  common.TSStatus testInsertTablet(1: TSInsertTabletReq req);
  common.TSStatus testInsertTablets(1: TSInsertTabletsReq req);
  common.TSStatus testInsertRecord(1: TSInsertRecordReq req);
  common.TSStatus testInsertStringRecord(1: TSInsertStringRecordReq req);
  common.TSStatus testInsertRecords(1: TSInsertRecordsReq req);
  common.TSStatus testInsertRecordsOfOneDevice(1: TSInsertRecordsOfOneDeviceReq req);
  common.TSStatus testInsertStringRecords(1: TSInsertStringRecordsReq req);

  common.TSStatus deleteData(1: TSDeleteDataReq req);

  TSExecuteStatementResp executeRawDataQuery(1: TSRawDataQueryReq req);
  TSExecuteStatementResp executeLastDataQuery(1: TSLastDataQueryReq req);
  TSExecuteStatementResp executeAggregationQuery(1: TSAggregationQueryReq req);

  i64 requestStatementId(1: i64 sessionId);

  // IoTDB declares the arguments of handshake and pipeTransfer without a field id, so
  // the compiler numbers them -1; clients send -1 on the wire and so must we.
  common.TSStatus handshake(TSyncIdentityInfo info);
  common.TSStatus sendPipeData(1: binary buff);
  common.TSStatus sendFile(1: TSyncTransportMetaInfo metaInfo, 2: binary buff);
  TPipeTransferResp pipeTransfer(TPipeTransferReq req);
}
