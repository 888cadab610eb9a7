// Shared types of the IoTDB 1.3 client RPC that iotdb-lite serves.
// Names, field ids and types follow the wire contract of Apache IoTDB 1.3 so that
// unmodified clients interoperate; only the parts iotdb-lite uses are declared.
// Byte-level notes: protocol/FORMAT.md.

namespace java org.apache.iotdb.common.rpc.thrift
namespace py iotdb.thrift.common
namespace go common

// A host and port, e.g. the node a client should be redirected to.
struct TEndPoint {
  1: required string ip
  2: required i32 port
}

// The outcome of every call: a TSStatusCode plus an optional message. A batch call
// answers with code 302 (MULTIPLE_ERROR) and one sub-status per item.
struct TSStatus {
  1: required i32 code
  2: optional string message
  3: optional list<TSStatus> subStatus
  4: optional TEndPoint redirectNode
  5: optional bool needRetry
}

// Aggregations of executeAggregationQuery, by wire ordinal.
enum TAggregationType {
  COUNT = 0,
  AVG = 1,
  SUM = 2,
  FIRST_VALUE = 3,
  LAST_VALUE = 4,
  MAX_TIME = 5,
  MIN_TIME = 6,
  MAX_VALUE = 7,
  MIN_VALUE = 8,
  EXTREME = 9,
  COUNT_IF = 10,
  TIME_DURATION = 11,
  MODE = 12,
  COUNT_TIME = 13,
  STDDEV = 14,
  STDDEV_POP = 15,
  STDDEV_SAMP = 16,
  VARIANCE = 17,
  VAR_POP = 18,
  VAR_SAMP = 19,
  MAX_BY = 20,
  MIN_BY = 21,
  UDAF = 22
}
