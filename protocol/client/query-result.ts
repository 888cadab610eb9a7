import type { DataType } from '../../tsfile/data-type.js';
import type { ResultBlock } from '../result-block.js';
import type { TSFetchResultsResp } from '../rpc-types.js';
import { verifySuccess } from './iotdb-error.js';

/** What a result needs from its session: the next page, and releasing the query on the node. */
export interface QueryChannel {
  fetch(): Promise<TSFetchResultsResp>;
  closeQuery(): Promise<void>;
}

export interface QueryResultInit {
  readonly columnNames: readonly string[];
  readonly dataTypes: readonly DataType[];
  readonly ignoreTimeStamp: boolean;
  /** TsBlocks of the first page (executeStatementV2's `queryResult`). */
  readonly firstPage: readonly Buffer[];
  /** The node holds more rows (and so keeps the query open). */
  readonly moreData: boolean;
  readonly decode: (bytes: Buffer) => ResultBlock;
  readonly channel: QueryChannel;
}

/**
 * Rows of a statement, read page by page (fetchResultsV2) as the blocks are consumed.
 * One page is requested ahead while the caller works on the current one, so the network
 * and the node overlap with decoding. The query is released on the node once read to the
 * end (the node closes it itself with its last page), when iteration stops early, or on
 * `close()`; a result never iterated must be closed.
 */
export class QueryResult implements AsyncIterable<ResultBlock> {
  readonly columnNames: readonly string[];
  readonly dataTypes: readonly DataType[];
  /** True for results without a Time column (SHOW, COUNT, aggregations without GROUP BY). */
  readonly ignoreTimeStamp: boolean;
  private firstPage: readonly Buffer[] | null;
  private openOnNode: boolean;
  private started = false;
  private inFlight: Promise<TSFetchResultsResp> | null = null;
  private closing: Promise<void> | null = null;
  private readonly decode: (bytes: Buffer) => ResultBlock;
  private readonly channel: QueryChannel;

  constructor(init: QueryResultInit) {
    this.columnNames = init.columnNames;
    this.dataTypes = init.dataTypes;
    this.ignoreTimeStamp = init.ignoreTimeStamp;
    this.firstPage = init.firstPage;
    this.openOnNode = init.moreData;
    this.decode = init.decode;
    this.channel = init.channel;
  }

  /** The result's blocks, in order; can be iterated once. */
  blocks(): AsyncGenerator<ResultBlock, void, undefined> {
    if (this.started) throw new Error('the blocks of a query result can be read only once');
    this.started = true;
    return this.read();
  }

  [Symbol.asyncIterator](): AsyncGenerator<ResultBlock, void, undefined> {
    return this.blocks();
  }

  /** Releases the query on the node (nothing to do once it was read to the end). */
  close(): Promise<void> {
    this.closing ??= this.release();
    return this.closing;
  }

  private async *read(): AsyncGenerator<ResultBlock, void, undefined> {
    let page = this.firstPage ?? [];
    this.firstPage = null;
    let failed = false;
    try {
      for (;;) {
        const next = this.openOnNode && this.closing === null ? this.prefetch() : null;
        for (const bytes of page) yield this.decode(bytes);
        if (next === null) return;
        const resp = await next;
        this.inFlight = null;
        verifySuccess(resp.status);
        if (resp.moreData !== true || !resp.hasResultSet) this.openOnNode = false;
        page = resp.hasResultSet ? (resp.queryResult ?? []) : [];
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // Stopping early releases the query; a failure to do so must not hide the first error.
      if (failed) await this.close().catch(() => {});
      else await this.close();
    }
  }

  private prefetch(): Promise<TSFetchResultsResp> {
    const next = this.channel.fetch();
    // Awaited in read() or release(); until then a rejection is not unhandled.
    next.catch(() => {});
    this.inFlight = next;
    return next;
  }

  private async release(): Promise<void> {
    if (this.inFlight !== null) {
      const resp = await this.inFlight.catch(() => null);
      if (resp !== null && (resp.moreData !== true || !resp.hasResultSet)) this.openOnNode = false;
      this.inFlight = null;
    }
    if (!this.openOnNode) return;
    this.openOnNode = false;
    await this.channel.closeQuery();
  }
}
