import { Compression } from '../../tsfile/compression-type.js';
import { type DataType, parseDataType } from '../../tsfile/data-type.js';
import { defaultEncoding, type Encoding } from '../../tsfile/encoding-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { PayloadError } from '../payload-error.js';
import type { RecordValue } from '../record-values-codec.js';
import { encodeRecordValues } from '../record-values-codec.js';
import type { ResultBlock } from '../result-block.js';
import type { ClientRpcClient, I64, TSExecuteStatementResp, TSStatus } from '../rpc-types.js';
import { TSProtocolVersion, toI64 } from '../rpc-types.js';
import { encodeTablet } from '../tablet-codec.js';
import { ConnectionError, verifySuccess } from './iotdb-error.js';
import { QueryResult } from './query-result.js';
import { resultBlockDecoder } from './result-block-decoder.js';
import { RpcConnection } from './rpc-connection.js';
import { type SocketFactory, tlsSockets } from './socket-factory.js';
import { sortTabletByTime } from './tablet-order.js';

export interface SessionOptions {
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  /** The session's time zone (IANA name or offset such as `+08:00`); default the system's. */
  readonly zoneId?: string;
  /** Rows per result page; default 5000. */
  readonly fetchSize?: number;
  /** Thrift compact protocol (IoTDB's "RPC compression"). */
  readonly compact?: boolean;
  /** Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** How long any call may wait for its answer before the connection is given up; no limit by default. */
  readonly timeoutMs?: number;
  /** Sent as `sql_dialect` in openSession, as IoTDB's later clients do (`tree`); none when absent. */
  readonly sqlDialect?: string;
  /** TLS, for a node with `enable_thrift_ssl` (IoTDB's `useSSL`). */
  readonly useSsl?: boolean;
  /** The trust store (PKCS12 or PEM) holding the CA of the node's certificate; the system's CAs when absent. */
  readonly trustStore?: string;
  readonly trustStorePwd?: string;
}

/** Per-statement settings. */
export interface StatementOptions {
  /** Rows per result page for this statement; default the session's. */
  readonly fetchSize?: number;
  /** Server-side time limit of the statement (TSExecuteStatementReq.timeout). */
  readonly timeoutMs?: number;
}

/** One row for insertRecords: typed values, null for a null. */
export interface TypedRecord {
  readonly device: string;
  readonly time: bigint | number;
  readonly measurements: readonly string[];
  readonly dataTypes: readonly DataType[];
  /** By type: BOOLEAN boolean; INT32, DATE, FLOAT, DOUBLE number; INT64, TIMESTAMP bigint; TEXT, STRING, BLOB bytes. */
  readonly values: readonly RecordValue[];
}

/** One row for insertStringRecords: the node parses each value by its series' type (or infers one). */
export interface StringRecord {
  readonly device: string;
  readonly time: bigint | number;
  readonly measurements: readonly string[];
  readonly values: readonly string[];
}

export interface TimeseriesOptions {
  /** Default IoTDB's for the type (BOOLEAN RLE, INT32/INT64 TS_2DIFF, FLOAT/DOUBLE GORILLA, others PLAIN). */
  readonly encoding?: Encoding;
  /** Default LZ4, as IoTDB. */
  readonly compressor?: Compression;
  readonly alias?: string;
  readonly props?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface InsertTabletOptions {
  /** The caller promises time order; otherwise out-of-order rows are sorted first, as IoTDB's Session does. */
  readonly sorted?: boolean;
}

const FETCH_SIZE_DEFAULT = 5000;

/**
 * A session with an IoTDB node over its Thrift client RPC, like IoTDB's Session API:
 * statements, queries read page by page, tablet and record writes, schema calls. A failing
 * status rejects with IoTDBError (code, message); an unreachable or lost node with
 * ConnectionError. Calls may overlap: answers are matched to their calls.
 */
function sessionTls(options: SessionOptions, where: string): SocketFactory {
  const sockets = tlsSockets({
    ...(options.trustStore === undefined ? {} : { trustStorePath: options.trustStore }),
    ...(options.trustStorePwd === undefined ? {} : { trustStorePassword: options.trustStorePwd }),
  });
  return {
    tls: true,
    connect: (host, port) => {
      try {
        return sockets.connect(host, port);
      } catch (error) {
        throw new ConnectionError(`cannot connect to ${where}: ${(error as Error).message}`);
      }
    },
  };
}

export class Session {
  private closed = false;

  private constructor(
    private readonly connection: RpcConnection,
    readonly sessionId: I64,
    readonly statementId: I64,
    /** Rows per result page unless a statement says otherwise. */
    readonly fetchSize: number,
    /** The node's timestamp unit (`ms`, `us` or `ns`), from openSession. */
    readonly timestampPrecision: string,
    private zone: string,
  ) {}

  /** Connects and logs in (openSession, protocol V3, client version V_1_0). */
  static async open(options: SessionOptions = {}): Promise<Session> {
    const fetchSize = options.fetchSize ?? FETCH_SIZE_DEFAULT;
    checkFetchSize(fetchSize);
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 6667;
    const connection = await RpcConnection.open(host, port, {
      ...(options.useSsl === true ? { sockets: sessionTls(options, `${host}:${port}`) } : {}),
      compact: options.compact === true,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    const zone = options.zoneId ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    try {
      const open = await connection.call((rpc) =>
        rpc.openSession({
          client_protocol: TSProtocolVersion.IOTDB_SERVICE_PROTOCOL_V3,
          zoneId: zone,
          username: options.user ?? 'root',
          password: options.password ?? 'root',
          configuration: {
            version: 'V_1_0',
            ...(options.sqlDialect === undefined ? {} : { sql_dialect: options.sqlDialect }),
          },
        }),
      );
      verifySuccess(open.status);
      if (open.sessionId === null || open.sessionId === undefined) {
        throw new PayloadError('openSession succeeded without a session id');
      }
      const sessionId = open.sessionId;
      const statementId = await connection.call((rpc) => rpc.requestStatementId(sessionId));
      const precision = open.configuration?.timestamp_precision ?? 'ms';
      return new Session(connection, sessionId, statementId, fetchSize, precision, zone);
    } catch (error) {
      connection.end();
      throw error;
    }
  }

  /** The session's time zone, as last set (the node formats and parses times in it). */
  get zoneId(): string {
    return this.zone;
  }

  /** False once closed or once the connection is lost. */
  get isOpen(): boolean {
    return !this.closed && this.connection.open;
  }

  /**
   * Runs one statement (executeStatementV2). Its rows when it has some (SELECT, SHOW,
   * COUNT, ...), else null. Read the result to the end, or close it.
   */
  async executeStatement(sql: string, options: StatementOptions = {}): Promise<QueryResult | null> {
    const fetchSize = options.fetchSize ?? this.fetchSize;
    checkFetchSize(fetchSize);
    const resp = await this.call((rpc) =>
      rpc.executeStatementV2({
        sessionId: this.sessionId,
        statement: sql,
        statementId: this.statementId,
        fetchSize,
        ...(options.timeoutMs === undefined ? {} : { timeout: toI64(options.timeoutMs) }),
      }),
    );
    verifySuccess(resp.status);
    if (resp.columns === null || resp.columns === undefined) return null;
    return this.queryResult(resp, sql, fetchSize);
  }

  /** Runs a statement that must have rows; an Error when it has none. */
  async executeQuery(sql: string, options: StatementOptions = {}): Promise<QueryResult> {
    const result = await this.executeStatement(sql, options);
    if (result === null) throw new Error(`the statement returned no result set: ${sql}`);
    return result;
  }

  /** Runs a query and reads all of its rows (for small results). */
  async query(sql: string, options: StatementOptions = {}): Promise<{ result: QueryResult; blocks: ResultBlock[] }> {
    const result = await this.executeQuery(sql, options);
    const blocks: ResultBlock[] = [];
    for await (const b of result.blocks()) blocks.push(b);
    return { result, blocks };
  }

  async insertTablet(tablet: Tablet, options: InsertTabletOptions = {}): Promise<void> {
    const encoded = encodeTablet(options.sorted === true ? tablet : sortTabletByTime(tablet));
    await this.status((rpc) => rpc.insertTablet({ sessionId: this.sessionId, ...encoded }));
  }

  /** Several tablets in one call; `isAligned` is one flag for all, so they must agree on it. */
  async insertTablets(tablets: readonly Tablet[], options: InsertTabletOptions = {}): Promise<void> {
    const aligned = sameAlignment(tablets.map((t) => t.aligned));
    const encoded = tablets.map((t) => encodeTablet(options.sorted === true ? t : sortTabletByTime(t)));
    await this.status((rpc) =>
      rpc.insertTablets({
        sessionId: this.sessionId,
        prefixPaths: encoded.map((t) => t.prefixPath),
        measurementsList: encoded.map((t) => t.measurements),
        valuesList: encoded.map((t) => t.values),
        timestampsList: encoded.map((t) => t.timestamps),
        typesList: encoded.map((t) => t.types),
        sizeList: encoded.map((t) => t.size),
        isAligned: aligned,
      }),
    );
  }

  async insertRecord(record: TypedRecord, aligned = false): Promise<void> {
    await this.status((rpc) =>
      rpc.insertRecord({
        sessionId: this.sessionId,
        prefixPath: record.device,
        measurements: [...record.measurements],
        values: encodeRecordValues(record.dataTypes, record.values),
        timestamp: toI64(record.time),
        isAligned: aligned,
      }),
    );
  }

  /** Rows of any devices in one call; a failing part rejects with 302 and its message. */
  async insertRecords(records: readonly TypedRecord[], aligned = false): Promise<void> {
    await this.status((rpc) =>
      rpc.insertRecords({
        sessionId: this.sessionId,
        prefixPaths: records.map((r) => r.device),
        measurementsList: records.map((r) => [...r.measurements]),
        valuesList: records.map((r) => encodeRecordValues(r.dataTypes, r.values)),
        timestamps: records.map((r) => toI64(r.time)),
        isAligned: aligned,
      }),
    );
  }

  async insertStringRecords(records: readonly StringRecord[], aligned = false): Promise<void> {
    await this.status((rpc) =>
      rpc.insertStringRecords({
        sessionId: this.sessionId,
        prefixPaths: records.map((r) => r.device),
        measurementsList: records.map((r) => [...r.measurements]),
        valuesList: records.map((r) => [...r.values]),
        timestamps: records.map((r) => toI64(r.time)),
        isAligned: aligned,
      }),
    );
  }

  /** CREATE DATABASE (setStorageGroup). */
  async createDatabase(database: string): Promise<void> {
    await this.status((rpc) => rpc.setStorageGroup(this.sessionId, database));
  }

  async deleteDatabases(databases: readonly string[]): Promise<void> {
    await this.status((rpc) => rpc.deleteStorageGroups(this.sessionId, [...databases]));
  }

  async createTimeseries(path: string, dataType: DataType, options: TimeseriesOptions = {}): Promise<void> {
    await this.status((rpc) =>
      rpc.createTimeseries({
        sessionId: this.sessionId,
        path,
        dataType,
        encoding: options.encoding ?? defaultEncoding(dataType),
        compressor: options.compressor ?? Compression.LZ4,
        props: options.props === undefined ? null : { ...options.props },
        tags: options.tags === undefined ? null : { ...options.tags },
        attributes: options.attributes === undefined ? null : { ...options.attributes },
        measurementAlias: options.alias ?? null,
      }),
    );
  }

  async deleteTimeseries(paths: readonly string[]): Promise<void> {
    await this.status((rpc) => rpc.deleteTimeseries(this.sessionId, [...paths]));
  }

  /** Deletes the points of `paths` with startTime <= time <= endTime. */
  async deleteData(paths: readonly string[], startTime: bigint | number, endTime: bigint | number): Promise<void> {
    await this.status((rpc) =>
      rpc.deleteData({
        sessionId: this.sessionId,
        paths: [...paths],
        startTime: toI64(startTime),
        endTime: toI64(endTime),
      }),
    );
  }

  /** Sets the session's time zone on the node (setTimeZone). */
  async setTimeZone(zoneId: string): Promise<void> {
    await this.status((rpc) => rpc.setTimeZone({ sessionId: this.sessionId, timeZone: zoneId }));
    this.zone = zoneId;
  }

  /** Logs out and closes the connection. A connection already lost is not an error here. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.connection.open) {
        verifySuccess(await this.connection.call((rpc) => rpc.closeSession({ sessionId: this.sessionId })));
      }
    } catch (error) {
      if (!(error instanceof ConnectionError)) throw error;
    } finally {
      this.connection.end();
    }
  }

  private call<T>(request: (rpc: ClientRpcClient) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ConnectionError('the session is closed'));
    return this.connection.call(request);
  }

  private async status(request: (rpc: ClientRpcClient) => Promise<TSStatus>): Promise<void> {
    verifySuccess(await this.call(request));
  }

  private queryResult(resp: TSExecuteStatementResp, sql: string, fetchSize: number): QueryResult {
    const columnNames = resp.columns ?? [];
    const dataTypes = (resp.dataTypeList ?? []).map((t) => parseDataType(t));
    const queryId = resp.queryId ?? null;
    if (dataTypes.length !== columnNames.length) {
      if (queryId !== null && resp.moreData === true) {
        this.status((rpc) =>
          rpc.closeOperation({ sessionId: this.sessionId, queryId, statementId: this.statementId }),
        ).catch(() => {});
      }
      throw new PayloadError(`result of ${columnNames.length} columns but ${dataTypes.length} data types`);
    }
    return new QueryResult({
      columnNames,
      dataTypes,
      ignoreTimeStamp: resp.ignoreTimeStamp === true,
      firstPage: resp.queryResult ?? [],
      moreData: queryId !== null && resp.moreData === true,
      decode: resultBlockDecoder(columnNames, dataTypes, resp.columnNameIndexMap ?? null),
      channel: {
        fetch: () =>
          this.call((rpc) =>
            rpc.fetchResultsV2({
              sessionId: this.sessionId,
              statement: sql,
              fetchSize,
              queryId: queryId!,
              isAlign: true,
            }),
          ),
        closeQuery: () =>
          this.status((rpc) =>
            rpc.closeOperation({ sessionId: this.sessionId, queryId: queryId!, statementId: this.statementId }),
          ),
      },
    });
  }
}

function checkFetchSize(fetchSize: number): void {
  if (!Number.isInteger(fetchSize) || fetchSize <= 0 || fetchSize > 0x7fffffff) {
    throw new RangeError(`fetch size ${fetchSize} is not a positive 32-bit integer`);
  }
}

function sameAlignment(flags: readonly boolean[]): boolean {
  const aligned = flags[0] ?? false;
  if (flags.some((f) => f !== aligned)) {
    throw new RangeError('insertTablets sends one isAligned flag: the tablets must be all aligned or all not');
  }
  return aligned;
}
