import { type DataType, parseDataType } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { ResultBlock } from '../result-block.js';
import type { ClientRpcClient, I64, TSExecuteStatementResp } from '../rpc-types.js';
import { TSProtocolVersion, toI64 } from '../rpc-types.js';
import { encodeTablet } from '../tablet-codec.js';
import { decodeTsBlock } from '../tsblock-codec.js';
import { ConnectionError, verifySuccess } from './iotdb-error.js';
import { RpcConnection } from './rpc-connection.js';

export interface SessionOptions {
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  /** The session's time zone (IANA name or offset); default the system's. */
  readonly zoneId?: string;
  /** Rows per result page. */
  readonly fetchSize?: number;
  /** Thrift compact protocol (IoTDB's "RPC compression"). */
  readonly compact?: boolean;
  readonly connectTimeoutMs?: number;
}

/** Rows of a statement, read page by page (fetchResultsV2) as the blocks are consumed. */
export interface QueryResult {
  readonly columnNames: readonly string[];
  readonly dataTypes: readonly DataType[];
  readonly ignoreTimeStamp: boolean;
  blocks(): AsyncGenerator<ResultBlock>;
  /** Ends the query on the node (also done once the rows are read to the end). */
  close(): Promise<void>;
}

/**
 * A session with an IoTDB node over its Thrift client RPC, like the official Session API:
 * statements, queries with paging, tablet and record writes. Failing statuses reject with
 * IoTDBError; a lost connection rejects pending and later calls with ConnectionError.
 */
export class Session {
  private closed = false;

  private constructor(
    private readonly connection: RpcConnection,
    readonly sessionId: I64,
    readonly statementId: I64,
    readonly fetchSize: number,
    /** The node's timestamp precision, from openSession. */
    readonly timestampPrecision: string,
  ) {}

  static async open(options: SessionOptions = {}): Promise<Session> {
    const connection = await RpcConnection.open(options.host ?? '127.0.0.1', options.port ?? 6667, {
      compact: options.compact === true,
      timeoutMs: options.connectTimeoutMs ?? 10_000,
    });
    try {
      const open = await connection.call((rpc) =>
        rpc.openSession({
          client_protocol: TSProtocolVersion.IOTDB_SERVICE_PROTOCOL_V3,
          zoneId: options.zoneId ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
          username: options.user ?? 'root',
          password: options.password ?? 'root',
          configuration: { version: 'V_1_0' },
        }),
      );
      verifySuccess(open.status);
      const statementId = await connection.call((rpc) => rpc.requestStatementId(open.sessionId!));
      return new Session(
        connection,
        open.sessionId!,
        statementId,
        options.fetchSize ?? 5000,
        open.configuration?.timestamp_precision ?? 'ms',
      );
    } catch (error) {
      connection.end();
      throw error;
    }
  }

  private call<T>(request: (rpc: ClientRpcClient) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ConnectionError('the session is closed'));
    return this.connection.call(request);
  }

  /** Runs one statement; its rows when it has some (SELECT, SHOW, ...), else null. */
  async executeStatement(sql: string): Promise<QueryResult | null> {
    const resp = await this.call((rpc) =>
      rpc.executeStatementV2({
        sessionId: this.sessionId,
        statement: sql,
        statementId: this.statementId,
        fetchSize: this.fetchSize,
      }),
    );
    verifySuccess(resp.status);
    if (resp.columns === null || resp.columns === undefined) return null;
    return this.queryResult(resp, sql);
  }

  /** Runs a query and reads every row into one list of blocks (small results). */
  async query(sql: string): Promise<{ result: QueryResult; blocks: ResultBlock[] }> {
    const result = await this.executeStatement(sql);
    if (result === null) throw new Error(`not a query: ${sql}`);
    const blocks: ResultBlock[] = [];
    for await (const b of result.blocks()) blocks.push(b);
    return { result, blocks };
  }

  async insertTablet(tablet: Tablet): Promise<void> {
    verifySuccess(await this.call((rpc) => rpc.insertTablet({ sessionId: this.sessionId, ...encodeTablet(tablet) })));
  }

  async insertTablets(tablets: readonly Tablet[]): Promise<void> {
    const encoded = tablets.map(encodeTablet);
    verifySuccess(
      await this.call((rpc) =>
        rpc.insertTablets({
          sessionId: this.sessionId,
          prefixPaths: encoded.map((t) => t.prefixPath),
          measurementsList: encoded.map((t) => t.measurements),
          valuesList: encoded.map((t) => t.values),
          timestampsList: encoded.map((t) => t.timestamps),
          typesList: encoded.map((t) => t.types),
          sizeList: encoded.map((t) => t.size),
          isAligned: encoded.some((t) => t.isAligned),
        }),
      ),
    );
  }

  /** insertStringRecords: values as text, typed by the node (existing series) or inferred. */
  async insertStringRecords(
    records: readonly { device: string; time: bigint | number; measurements: string[]; values: string[] }[],
    aligned = false,
  ): Promise<void> {
    verifySuccess(
      await this.call((rpc) =>
        rpc.insertStringRecords({
          sessionId: this.sessionId,
          prefixPaths: records.map((r) => r.device),
          measurementsList: records.map((r) => r.measurements),
          valuesList: records.map((r) => r.values),
          timestamps: records.map((r) => toI64(r.time)),
          isAligned: aligned,
        }),
      ),
    );
  }

  /** Closes the session and the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.call((rpc) => rpc.closeSession({ sessionId: this.sessionId }));
    } finally {
      this.closed = true;
      this.connection.end();
    }
  }

  private queryResult(resp: TSExecuteStatementResp, sql: string): QueryResult {
    const dataTypes = (resp.dataTypeList ?? []).map((t) => parseDataType(t));
    const queryId = resp.queryId ?? null;
    let open = queryId !== null && resp.moreData === true;
    const closeQuery = async () => {
      if (!open || queryId === null) return;
      open = false;
      verifySuccess(
        await this.call((rpc) =>
          rpc.closeOperation({ sessionId: this.sessionId, queryId, statementId: this.statementId }),
        ),
      );
    };
    const first = resp.queryResult ?? [];
    const decode = (bytes: Buffer) => decodeTsBlock(bytes, dataTypes);
    const session = this;
    return {
      columnNames: resp.columns ?? [],
      dataTypes,
      ignoreTimeStamp: resp.ignoreTimeStamp === true,
      async *blocks() {
        try {
          for (const b of first) yield decode(b);
          let more = resp.moreData === true && queryId !== null;
          while (more) {
            const page = await session.call((rpc) =>
              rpc.fetchResultsV2({
                sessionId: session.sessionId,
                statement: sql,
                fetchSize: session.fetchSize,
                queryId: queryId!,
                isAlign: true,
              }),
            );
            verifySuccess(page.status);
            if (!page.hasResultSet) break;
            for (const b of page.queryResult ?? []) yield decode(b);
            more = page.moreData === true;
          }
          open = false;
        } finally {
          await closeQuery();
        }
      },
      close: closeQuery,
    };
  }
}
