/** The project's own IoTDB client: a Session over the Thrift client RPC. */
export { ConnectionError, IoTDBError, StatusCode, verifySuccess } from './iotdb-error.js';
export { type QueryChannel, QueryResult } from './query-result.js';
export { RpcConnection, type RpcConnectionOptions } from './rpc-connection.js';
export {
  type InsertTabletOptions,
  Session,
  type SessionOptions,
  type StatementOptions,
  type StringRecord,
  type TimeseriesOptions,
  type TypedRecord,
} from './session.js';
export { isSortedByTime, sortTabletByTime } from './tablet-order.js';
