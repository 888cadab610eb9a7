/** The project's own IoTDB client: a Session over the Thrift client RPC. */
export { ConnectionError, IoTDBError, verifySuccess } from './iotdb-error.js';
export { type QueryResult, Session, type SessionOptions } from './session.js';
