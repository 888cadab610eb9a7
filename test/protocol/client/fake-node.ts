import type { AddressInfo, Socket } from 'node:net';
import net from 'node:net';
import { FrameDecoder } from '../../../protocol/frame-decoder.js';
import { writeFramed } from '../../../protocol/framed-writer.js';
import type { ResultBlock } from '../../../protocol/result-block.js';
import type {
  ClientRpcHandler,
  I64,
  TSExecuteStatementResp,
  TSFetchResultsResp,
  TSStatus,
} from '../../../protocol/rpc-types.js';
import {
  ClientRpcService,
  i64ToBigInt,
  processRpcFrame,
  SERVED_METHODS,
  toI64,
  wrapRpcHandler,
} from '../../../protocol/rpc-types.js';
import { encodeTsBlock } from '../../../protocol/tsblock-codec.js';
import { type DataType, dataTypeName } from '../../../tsfile/data-type.js';

/** Rows a fake statement answers with, paged by the request's fetch size (or `pageRows`). */
export interface FakeResult {
  readonly columns: readonly string[];
  readonly dataTypes: readonly DataType[];
  readonly ignoreTimeStamp?: boolean;
  readonly rows: ResultBlock;
  readonly pageRows?: number;
  /** Columns of the TsBlocks, when they differ from `columns` (IoTDB's deduplicated layout). */
  readonly blockColumns?: readonly number[];
  readonly columnNameIndexMap?: Record<string, number>;
}

export type FakeAnswer = FakeResult | TSStatus;

export interface FakeCall {
  readonly method: string;
  readonly args: unknown[];
}

export interface FakeNode {
  readonly port: number;
  /** Every call received, in order. */
  readonly calls: FakeCall[];
  /** How many queries the node still holds open. */
  openQueryCount(): number;
  callsOf(method: string): unknown[][];
  /** Destroys every client connection (the node "dies" while listening). */
  dropConnections(): void;
  close(): Promise<void>;
}

export const FAKE_SESSION_ID = 2n ** 53n + 5n;
export const FAKE_STATEMENT_ID = 7n;

interface Cursor {
  readonly result: FakeResult;
  offset: number;
}

function isResult(answer: FakeAnswer): answer is FakeResult {
  return 'rows' in answer;
}

/**
 * An in-process stand-in for a node: FrameDecoder + processRpcFrame + the generated
 * processor, answering from a table of statements. `overrides` replace any method.
 */
export async function startFakeNode(
  options: {
    statements?: Record<string, FakeAnswer>;
    overrides?: Partial<ClientRpcHandler>;
    precision?: string;
    password?: string;
  } = {},
): Promise<FakeNode> {
  const calls: FakeCall[] = [];
  const cursors = new Map<bigint, Cursor>();
  let nextQueryId = 100n;

  const page = (cursor: Cursor, fetchSize: number): { blocks: Buffer[]; more: boolean } => {
    const { result } = cursor;
    const size = result.pageRows ?? fetchSize;
    const from = cursor.offset;
    const to = Math.min(result.rows.rowCount, from + size);
    cursor.offset = to;
    const block = result.blockColumns
      ? { ...result.rows, columns: result.blockColumns.map((j) => result.rows.columns[j]!) }
      : result.rows;
    return { blocks: to > from ? [encodeTsBlock(block, from, to)] : [], more: to < result.rows.rowCount };
  };

  const base: Partial<ClientRpcHandler> = {
    openSession(req) {
      if (req.password !== (options.password ?? 'root')) {
        return { status: { code: 801, message: 'Authentication failed.' }, serverProtocolVersion: 2 };
      }
      return {
        status: { code: 200 },
        serverProtocolVersion: 2,
        sessionId: toI64(FAKE_SESSION_ID),
        configuration: { timestamp_precision: options.precision ?? 'ms' },
      };
    },
    requestStatementId: () => toI64(FAKE_STATEMENT_ID),
    closeSession: () => ({ code: 200 }),
    executeStatementV2(req): TSExecuteStatementResp {
      const answer = options.statements?.[req.statement];
      if (answer === undefined) return { status: { code: 200, message: 'Execute successfully' } };
      if (!isResult(answer)) return { status: answer };
      const id = nextQueryId++;
      const cursor: Cursor = { result: answer, offset: 0 };
      const first = page(cursor, req.fetchSize ?? 5000);
      if (first.more) cursors.set(id, cursor);
      return {
        status: { code: 200 },
        queryId: toI64(id),
        columns: [...answer.columns],
        dataTypeList: answer.dataTypes.map(dataTypeName),
        ignoreTimeStamp: answer.ignoreTimeStamp ?? false,
        columnNameIndexMap: answer.columnNameIndexMap ?? null,
        queryResult: first.blocks,
        moreData: first.more,
      };
    },
    fetchResultsV2(req): TSFetchResultsResp {
      const cursor = cursors.get(i64ToBigInt(req.queryId));
      if (cursor === undefined) return { status: { code: 200 }, hasResultSet: false, isAlign: true, moreData: false };
      const next = page(cursor, req.fetchSize);
      if (!next.more) cursors.delete(i64ToBigInt(req.queryId));
      return {
        status: { code: 200 },
        hasResultSet: true,
        isAlign: true,
        queryResult: next.blocks,
        moreData: next.more,
      };
    },
    closeOperation(req) {
      if (req.queryId !== null && req.queryId !== undefined) cursors.delete(i64ToBigInt(req.queryId));
      return { code: 200 };
    },
  };

  const handler: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of SERVED_METHODS) {
    const method =
      (options.overrides as Record<string, ((...a: unknown[]) => unknown) | undefined>)?.[name] ??
      (base as Record<string, ((...a: unknown[]) => unknown) | undefined>)[name] ??
      (() => ({ code: 200 }));
    handler[name] = (...args: unknown[]) => {
      calls.push({ method: name, args });
      return method(...args);
    };
  }
  const processor = new ClientRpcService.Processor(wrapRpcHandler(handler as unknown as ClientRpcHandler));
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const frames = new FrameDecoder(1 << 26);
    socket.on('data', (chunk) => {
      for (const frame of frames.push(chunk)) processRpcFrame(processor, frame, (out) => writeFramed(socket, out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    calls,
    openQueryCount: () => cursors.size,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The exact value of an i64 a fake call received. */
export function i64(v: unknown): bigint {
  return i64ToBigInt(v as I64);
}

/** A port nothing listens on (bound, then released). */
export async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
