import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatPath, parsePath } from '../../engine/path/path.js';
import type { Row } from '../../engine/rows.js';
import type {
  ClientRpcHandler,
  I64,
  TPipeTransferReq,
  TPipeTransferResp,
  TSExecuteStatementReq,
  TSExecuteStatementResp,
  TSFetchResultsReq,
  TSFetchResultsResp,
  TSInsertTabletReq,
  TSOpenSessionReq,
  TSOpenSessionResp,
  TSStatus,
  TSyncIdentityInfo,
  TSyncTransportMetaInfo,
} from '../../protocol/rpc-types.js';
import { i64ToBigInt, statusStruct, TSProtocolVersion, toI64 } from '../../protocol/rpc-types.js';
import { decodeTablet } from '../../protocol/tablet-codec.js';
import { dataTypeName } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import { SUPER_USER } from '../auth/user-store.js';
import type { Statement } from '../sql/ast.js';
import { parseStatement } from '../sql/index.js';
import { checkTimeZone } from '../sql/time-literals.js';
import { ClientSession } from './client-session.js';
import { recordRows, stringRecordRows } from './insert-requests.js';
import type { NodeServices } from './node-services.js';
import { firstPageResponse, nextPageResponse, type ResultFormat } from './query-response.js';
import {
  aggregationQuery,
  createTimeseries,
  deleteDataStatement,
  lastDataQuery,
  rawDataQuery,
} from './request-statements.js';
import { errorStatus, isSuccess, SUCCESS, statusOf } from './rpc-status.js';
import { checkPrivileges, runStatement } from './statement-runner.js';

const DEFAULT_FETCH_SIZE = 5000;
const NOT_LOGGED_IN = 'Log in failed. Either you are not authorized or the session has timed out.';

class NotLoggedIn extends EngineError {
  constructor() {
    super(StatusCode.NOT_LOGIN, NOT_LOGGED_IN);
  }
}

function fetchSizeOf(size: number | null | undefined): number {
  return size !== null && size !== undefined && size > 0 ? size : DEFAULT_FETCH_SIZE;
}

/**
 * IoTDB's IClientRPCService for one connection: the session it opened, statements, queries
 * with paging, writes. Every failure becomes a status in a normal reply (never a Thrift
 * exception), so a client sees IoTDB's code and message and the connection stays usable.
 */
export class ClientService implements Partial<ClientRpcHandler> {
  private session: ClientSession | null = null;

  constructor(
    private readonly services: NodeServices,
    private readonly client: string,
  ) {}

  /** Ends the connection's session and its queries. */
  close(): void {
    this.session?.close();
    this.session = null;
  }

  // ------------------------------------------------------------------ sessions

  async openSession(req: TSOpenSessionReq): Promise<TSOpenSessionResp> {
    const reply = (status: TSStatus, sessionId = -1n): TSOpenSessionResp => ({
      status,
      serverProtocolVersion: TSProtocolVersion.IOTDB_SERVICE_PROTOCOL_V3,
      sessionId: toI64(sessionId),
      configuration: { timestamp_precision: this.services.engine.config.timestampPrecision },
    });
    if (req.client_protocol !== TSProtocolVersion.IOTDB_SERVICE_PROTOCOL_V3) {
      return reply(
        statusOf(
          StatusCode.INCOMPATIBLE_VERSION,
          `The version is incompatible: the client speaks protocol V${req.client_protocol + 1}, this node V3 (IoTDB 1.x clients)`,
        ),
      );
    }
    const login = await this.services.users.login(req.username, req.password ?? '');
    if (login !== 'ok') {
      return reply(
        statusOf(StatusCode.WRONG_LOGIN_PASSWORD, 'Authentication failed: the user name or the password is wrong.'),
      );
    }
    let timeZone = req.zoneId;
    try {
      checkTimeZone(timeZone);
    } catch (error) {
      return reply(statusOf(StatusCode.SET_TIME_ZONE_ERROR, (error as Error).message));
    }
    if (timeZone === '') timeZone = this.services.defaultTimeZone;
    this.close();
    const id = this.services.nextSessionId();
    this.session = new ClientSession(id, req.username, timeZone, () => this.services.nextQueryId());
    this.session.sqlDialect = req.configuration?.sql_dialect ?? null;
    this.services.log(`session ${id} opened by ${req.username} from ${this.client}`);
    return reply(statusOf(StatusCode.SUCCESS_STATUS, 'Login successfully'), id);
  }

  closeSession(req: { sessionId: I64 }): TSStatus {
    return this.statusCall(() => {
      this.sessionOf(req.sessionId);
      this.close();
    });
  }

  getTimeZone(sessionId: I64) {
    try {
      return { status: SUCCESS, timeZone: this.sessionOf(sessionId).timeZone };
    } catch (error) {
      return { status: errorStatus(error), timeZone: 'Unknown time zone' };
    }
  }

  setTimeZone(req: { sessionId: I64; timeZone: string }): TSStatus {
    return this.statusCall(() => {
      const session = this.sessionOf(req.sessionId);
      try {
        checkTimeZone(req.timeZone);
      } catch (error) {
        throw new EngineError(StatusCode.SET_TIME_ZONE_ERROR, (error as Error).message);
      }
      session.timeZone = req.timeZone;
    });
  }

  getProperties() {
    return {
      version: this.services.version,
      buildInfo: this.services.buildInfo,
      supportedTimeAggregationOperations: ['max_time', 'min_time'],
      timestampPrecision: this.services.engine.config.timestampPrecision,
      maxConcurrentClientNum: 65535,
      thriftMaxFrameSize: this.services.frameBytesMax,
      isReadOnly: false,
    };
  }

  requestStatementId(sessionId: I64): I64 {
    const session = this.session;
    if (session === null || session.id !== i64ToBigInt(sessionId)) return toI64(-1);
    return toI64(session.requestStatementId());
  }

  // ------------------------------------------------------------------ statements

  executeStatementV2(req: TSExecuteStatementReq) {
    return this.executeSql(req, 'tsblock');
  }
  executeQueryStatementV2(req: TSExecuteStatementReq) {
    return this.executeSql(req, 'tsblock');
  }
  executeUpdateStatementV2(req: TSExecuteStatementReq) {
    return this.executeSql(req, 'tsblock');
  }
  executeStatement(req: TSExecuteStatementReq) {
    return this.executeSql(req, 'dataset');
  }
  executeQueryStatement(req: TSExecuteStatementReq) {
    return this.executeSql(req, 'dataset');
  }
  executeUpdateStatement(req: TSExecuteStatementReq) {
    return this.executeSql(req, 'dataset');
  }

  executeRawDataQueryV2(req: Parameters<ClientRpcHandler['executeRawDataQuery']>[0]) {
    return this.executeParsed(req, () => rawDataQuery(req), 'tsblock');
  }
  executeRawDataQuery(req: Parameters<ClientRpcHandler['executeRawDataQuery']>[0]) {
    return this.executeParsed(req, () => rawDataQuery(req), 'dataset');
  }
  executeLastDataQueryV2(req: Parameters<ClientRpcHandler['executeLastDataQuery']>[0]) {
    return this.executeParsed(req, () => lastDataQuery(req), 'tsblock');
  }
  executeLastDataQuery(req: Parameters<ClientRpcHandler['executeLastDataQuery']>[0]) {
    return this.executeParsed(req, () => lastDataQuery(req), 'dataset');
  }
  executeAggregationQueryV2(req: Parameters<ClientRpcHandler['executeAggregationQuery']>[0]) {
    return this.executeParsed(
      req,
      () => aggregationQuery(req, this.services.engine.config.timestampPrecision),
      'tsblock',
    );
  }
  executeAggregationQuery(req: Parameters<ClientRpcHandler['executeAggregationQuery']>[0]) {
    return this.executeParsed(
      req,
      () => aggregationQuery(req, this.services.engine.config.timestampPrecision),
      'dataset',
    );
  }

  async executeBatchStatement(req: { sessionId: I64; statements: string[] }): Promise<TSStatus> {
    try {
      const session = this.sessionOf(req.sessionId);
      const results: TSStatus[] = [];
      for (const sql of req.statements) {
        try {
          const outcome = await runStatement(this.services, session, this.parse(sql, session), DEFAULT_FETCH_SIZE);
          if (outcome.kind === 'rows') outcome.result.close();
          results.push(SUCCESS);
        } catch (error) {
          results.push(errorStatus(error, this.services.log));
        }
      }
      if (results.every(isSuccess)) return SUCCESS;
      return statusStruct({
        code: StatusCode.MULTIPLE_ERROR,
        message: results
          .filter((s) => !isSuccess(s))
          .map((s) => s.message)
          .join('; '),
        subStatus: results,
      });
    } catch (error) {
      return errorStatus(error, this.services.log);
    }
  }

  fetchResultsV2(req: TSFetchResultsReq) {
    return this.fetch(req, 'tsblock');
  }
  fetchResults(req: TSFetchResultsReq) {
    return this.fetch(req, 'dataset');
  }

  closeOperation(req: { sessionId: I64; queryId?: I64 | null; statementId?: I64 | null }): TSStatus {
    return this.statusCall(() => {
      const session = this.sessionOf(req.sessionId);
      if (req.queryId !== null && req.queryId !== undefined) session.closeQuery(i64ToBigInt(req.queryId));
      else if (req.statementId !== null && req.statementId !== undefined)
        session.closeStatement(i64ToBigInt(req.statementId));
    });
  }

  cancelOperation(req: { sessionId: I64; queryId: I64 }): TSStatus {
    return this.statusCall(() => {
      this.sessionOf(req.sessionId).closeQuery(i64ToBigInt(req.queryId));
    });
  }

  fetchMetadata(req: { sessionId: I64; type: string; columnPath?: string | null }) {
    try {
      this.sessionOf(req.sessionId);
      if (req.type !== 'COLUMN' || req.columnPath === null || req.columnPath === undefined) {
        throw new EngineError(StatusCode.UNSUPPORTED_OPERATION, `fetchMetadata of type ${req.type} is not supported`);
      }
      const series = this.services.engine.matchSeries(req.columnPath);
      if (series.length === 0)
        throw new EngineError(StatusCode.PATH_NOT_EXIST, `Path [${req.columnPath}] does not exist`);
      return { status: SUCCESS, dataType: dataTypeName(series[0]!.dataType) };
    } catch (error) {
      return { status: errorStatus(error, this.services.log) };
    }
  }

  // ------------------------------------------------------------------ schema

  setStorageGroup(sessionId: I64, storageGroup: string) {
    return this.runParsed(sessionId, () => ({ kind: 'create-database', path: parseSqlPath(storageGroup) }));
  }
  deleteStorageGroups(sessionId: I64, storageGroups: string[]) {
    return this.runParsed(sessionId, () => ({
      kind: 'delete-database',
      patterns: storageGroups.map((p) => parseSqlPath(p, true)),
    }));
  }
  createTimeseries(req: Parameters<ClientRpcHandler['createTimeseries']>[0]) {
    return this.runParsed(req.sessionId, () => createTimeseries(req));
  }
  async createMultiTimeseries(req: Parameters<ClientRpcHandler['createMultiTimeseries']>[0]): Promise<TSStatus> {
    const statements = req.paths.map((path, i) =>
      createTimeseries({
        path,
        dataType: req.dataTypes[i]!,
        encoding: req.encodings[i]!,
        compressor: req.compressors[i]!,
        tags: req.tagsList?.[i] ?? null,
        attributes: req.attributesList?.[i] ?? null,
        measurementAlias: req.measurementAliasList?.[i] ?? null,
      }),
    );
    return this.runParsedMany(req.sessionId, () => statements);
  }
  createAlignedTimeseries(req: Parameters<ClientRpcHandler['createAlignedTimeseries']>[0]) {
    return this.runParsed(req.sessionId, () => {
      const single = req.measurements.map((m, i) =>
        createTimeseries({
          path: `${req.prefixPath}.${m}`,
          dataType: req.dataTypes[i]!,
          encoding: req.encodings[i]!,
          compressor: req.compressors[i]!,
          tags: req.tagsList?.[i] ?? null,
          attributes: req.attributesList?.[i] ?? null,
          measurementAlias: req.measurementAlias?.[i] ?? null,
        }),
      );
      return {
        kind: 'create-aligned-timeseries',
        device: parseSqlPath(req.prefixPath),
        measurements: single.map((s) => ({ ...s, name: s.path.nodes.at(-1)! })),
      };
    });
  }
  deleteTimeseries(sessionId: I64, paths: string[]) {
    return this.runParsed(sessionId, () => ({
      kind: 'delete-timeseries',
      patterns: paths.map((p) => parseSqlPath(p, true)),
    }));
  }
  deleteData(req: Parameters<ClientRpcHandler['deleteData']>[0]) {
    return this.runParsed(req.sessionId, () => deleteDataStatement(req.paths, req.startTime, req.endTime));
  }

  // ------------------------------------------------------------------ writes

  insertTablet(req: TSInsertTabletReq) {
    return this.writeTablets(req.sessionId, () => [decodeTablet(req)]);
  }
  insertTablets(req: Parameters<ClientRpcHandler['insertTablets']>[0]) {
    return this.writeTablets(req.sessionId, () => {
      const n = req.prefixPaths.length;
      const lists = [req.measurementsList, req.valuesList, req.timestampsList, req.typesList, req.sizeList];
      if (lists.some((l) => l.length !== n)) {
        throw new EngineError(StatusCode.ILLEGAL_PARAMETER, `insertTablets lists disagree in length with ${n} devices`);
      }
      return req.prefixPaths.map((prefixPath, i) =>
        decodeTablet({
          prefixPath,
          measurements: req.measurementsList[i]!,
          values: req.valuesList[i]!,
          timestamps: req.timestampsList[i]!,
          types: req.typesList[i]!,
          size: req.sizeList[i]!,
          isAligned: req.isAligned ?? false,
        }),
      );
    });
  }
  insertRecord(req: Parameters<ClientRpcHandler['insertRecord']>[0]) {
    return this.writeRows(req.sessionId, () =>
      recordRows({
        devices: [req.prefixPath],
        measurementsList: [req.measurements],
        valuesList: [req.values],
        timestamps: [req.timestamp],
        aligned: req.isAligned ?? false,
      }),
    );
  }
  insertRecords(req: Parameters<ClientRpcHandler['insertRecords']>[0]) {
    return this.writeRows(req.sessionId, () =>
      recordRows({
        devices: req.prefixPaths,
        measurementsList: req.measurementsList,
        valuesList: req.valuesList,
        timestamps: req.timestamps,
        aligned: req.isAligned ?? false,
      }),
    );
  }
  insertRecordsOfOneDevice(req: Parameters<ClientRpcHandler['insertRecordsOfOneDevice']>[0]) {
    return this.writeRows(req.sessionId, () =>
      recordRows({
        devices: req.timestamps.map(() => req.prefixPath),
        measurementsList: req.measurementsList,
        valuesList: req.valuesList,
        timestamps: req.timestamps,
        aligned: req.isAligned ?? false,
      }),
    );
  }
  insertStringRecord(req: Parameters<ClientRpcHandler['insertStringRecord']>[0]) {
    return this.writeRows(req.sessionId, () =>
      stringRecordRows(
        {
          devices: [req.prefixPath],
          measurementsList: [req.measurements],
          valuesList: [req.values],
          timestamps: [req.timestamp],
          aligned: req.isAligned ?? false,
        },
        this.services.engine.schema,
      ),
    );
  }
  insertStringRecords(req: Parameters<ClientRpcHandler['insertStringRecords']>[0]) {
    return this.writeRows(req.sessionId, () =>
      stringRecordRows(
        {
          devices: req.prefixPaths,
          measurementsList: req.measurementsList,
          valuesList: req.valuesList,
          timestamps: req.timestamps,
          aligned: req.isAligned ?? false,
        },
        this.services.engine.schema,
      ),
    );
  }
  insertStringRecordsOfOneDevice(req: Parameters<ClientRpcHandler['insertStringRecordsOfOneDevice']>[0]) {
    return this.writeRows(req.sessionId, () =>
      stringRecordRows(
        {
          devices: req.timestamps.map(() => req.prefixPath),
          measurementsList: req.measurementsList,
          valuesList: req.valuesList,
          timestamps: req.timestamps,
          aligned: req.isAligned ?? false,
        },
        this.services.engine.schema,
      ),
    );
  }

  // IoTDB's testInsert* measure the RPC path only: they answer success and store nothing.
  testInsertTablet() {
    return SUCCESS;
  }
  testInsertTablets() {
    return SUCCESS;
  }
  testInsertRecord() {
    return SUCCESS;
  }
  testInsertStringRecord() {
    return SUCCESS;
  }
  testInsertRecords() {
    return SUCCESS;
  }
  testInsertRecordsOfOneDevice() {
    return SUCCESS;
  }
  testInsertStringRecords() {
    return SUCCESS;
  }

  // ------------------------------------------------------------------ pipes

  async pipeTransfer(req: TPipeTransferReq): Promise<TPipeTransferResp> {
    try {
      return await this.services.pipeTransfer(req, this.client);
    } catch (error) {
      return { status: errorStatus(error, this.services.log) };
    }
  }
  // The pre-1.2 sync protocol. A call before the handshake throws, which reaches the
  // sender as a Thrift exception, as from IoTDB: its senders reconnect and handshake again.
  handshake(info: TSyncIdentityInfo): TSStatus {
    return this.services.legacySync.handshake(info, this.client, this.session?.user);
  }
  sendPipeData(buff: Buffer): Promise<TSStatus> {
    return this.services.legacySync.sendPipeData(buff, this.client);
  }
  sendFile(metaInfo: TSyncTransportMetaInfo, buff: Buffer): Promise<TSStatus> {
    return this.services.legacySync.sendFile(metaInfo, buff, this.client);
  }

  // ------------------------------------------------------------------ plumbing

  private sessionOf(sessionId: I64): ClientSession {
    const session = this.session;
    if (session === null || session.id !== i64ToBigInt(sessionId)) throw new NotLoggedIn();
    return session;
  }

  private parse(sql: string, session: ClientSession): Statement {
    return parseStatement(sql, { timeZone: session.timeZone });
  }

  private statusCall(body: () => void): TSStatus {
    try {
      body();
      return SUCCESS;
    } catch (error) {
      return errorStatus(error, this.services.log);
    }
  }

  private executeSql(req: TSExecuteStatementReq, format: ResultFormat): Promise<TSExecuteStatementResp> {
    return this.executeParsed(req, (session) => this.parse(req.statement, session), format);
  }

  private async executeParsed(
    req: { sessionId: I64; statementId: I64; fetchSize?: number | null },
    build: (session: ClientSession) => Statement,
    format: ResultFormat,
  ): Promise<TSExecuteStatementResp> {
    try {
      const session = this.sessionOf(req.sessionId);
      const fetchSize = fetchSizeOf(req.fetchSize);
      const outcome = await runStatement(this.services, session, build(session), fetchSize);
      if (outcome.kind === 'done') {
        return {
          status: outcome.message === undefined ? SUCCESS : statusOf(StatusCode.SUCCESS_STATUS, outcome.message),
        };
      }
      const cursor = session.openQuery(i64ToBigInt(req.statementId), outcome.result);
      return firstPageResponse(session, cursor, fetchSize, format);
    } catch (error) {
      return { status: errorStatus(error, this.services.log) };
    }
  }

  private fetch(req: TSFetchResultsReq, format: ResultFormat): TSFetchResultsResp {
    try {
      const session = this.sessionOf(req.sessionId);
      const queryId = i64ToBigInt(req.queryId);
      return nextPageResponse(session, session.query(queryId), fetchSizeOf(req.fetchSize), format);
    } catch (error) {
      return { status: errorStatus(error, this.services.log), hasResultSet: false, isAlign: true, moreData: false };
    }
  }

  private runParsed(sessionId: I64, build: () => Statement): Promise<TSStatus> {
    return this.runParsedMany(sessionId, () => [build()]);
  }

  private async runParsedMany(sessionId: I64, build: () => Statement[]): Promise<TSStatus> {
    try {
      const session = this.sessionOf(sessionId);
      for (const statement of build()) {
        const outcome = await runStatement(this.services, session, statement, DEFAULT_FETCH_SIZE);
        if (outcome.kind === 'rows') outcome.result.close();
      }
      return SUCCESS;
    } catch (error) {
      return errorStatus(error, this.services.log);
    }
  }

  private async writeTablets(sessionId: I64, decode: () => Tablet[]): Promise<TSStatus> {
    try {
      const session = this.sessionOf(sessionId);
      const tablets = decode();
      for (const t of tablets) this.checkWrite(session, t.device, t.measurements);
      await this.services.engine.writeAll(tablets);
      return SUCCESS;
    } catch (error) {
      return errorStatus(error, this.services.log);
    }
  }

  private async writeRows(sessionId: I64, decode: () => Row[]): Promise<TSStatus> {
    try {
      const session = this.sessionOf(sessionId);
      const rows = decode();
      for (const r of rows) this.checkWrite(session, r.device, r.measurements);
      await this.services.engine.writeRows(rows);
      return SUCCESS;
    } catch (error) {
      return errorStatus(error, this.services.log);
    }
  }

  /** WRITE_DATA on the written series, as an INSERT statement would need. */
  private checkWrite(session: ClientSession, device: string, measurements: readonly string[]): void {
    if (session.user === SUPER_USER) return;
    checkPrivileges(this.services, session.user, {
      kind: 'insert',
      device: parseSqlPath(device),
      measurements,
      aligned: false,
      rows: [],
    });
  }
}

function parseSqlPath(text: string, wildcards = false) {
  const nodes = parsePath(text, wildcards);
  return { nodes, text: formatPath(nodes) };
}
