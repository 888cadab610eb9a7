import { encodeQueryDataSet } from '../../protocol/query-dataset-codec.js';
import type { TSExecuteStatementResp, TSFetchResultsResp, TSQueryDataSet } from '../../protocol/rpc-types.js';
import { toI64 } from '../../protocol/rpc-types.js';
import { encodeTsBlock } from '../../protocol/tsblock-codec.js';
import { dataTypeName } from '../../tsfile/data-type.js';
import type { ClientSession } from './client-session.js';
import { joinSlices, type Page, type QueryCursor } from './query-cursor.js';
import { SUCCESS } from './rpc-status.js';

/** The result format a call asks for: TsBlocks (the V2 methods) or a TSQueryDataSet (V1). */
export type ResultFormat = 'tsblock' | 'dataset';

function tsBlocks(page: Page): Buffer[] {
  return page.slices.map((s) => encodeTsBlock(s.block, s.from, s.to));
}

function dataSet(cursor: QueryCursor, page: Page): TSQueryDataSet {
  if (page.rowCount === 0) {
    return {
      time: Buffer.alloc(0),
      valueList: cursor.result.dataTypes.map(() => Buffer.alloc(0)),
      bitmapList: cursor.result.dataTypes.map(() => Buffer.alloc(0)),
    };
  }
  const joined = joinSlices(page.slices, page.rowCount);
  return encodeQueryDataSet(joined.block, joined.from, joined.to);
}

function columnIndexMap(names: readonly string[]): Record<string, number> {
  const map: Record<string, number> = {};
  names.forEach((name, i) => {
    if (!(name in map)) map[name] = i;
  });
  return map;
}

/**
 * The reply to a statement with rows: the header, then the first page. A query read to the
 * end in its first page is closed at once; its id is still sent, as IoTDB does.
 */
export function firstPageResponse(
  session: ClientSession,
  cursor: QueryCursor,
  fetchSize: number,
  format: ResultFormat,
): TSExecuteStatementResp {
  const result = cursor.result;
  const page = cursor.nextPage(fetchSize);
  if (page.finished) session.closeQuery(cursor.id);
  return {
    status: SUCCESS,
    queryId: toI64(cursor.id),
    columns: [...result.columnNames],
    dataTypeList: result.dataTypes.map(dataTypeName),
    ignoreTimeStamp: result.ignoreTimeStamp,
    columnNameIndexMap: columnIndexMap(result.columnNames),
    ...(format === 'tsblock' ? { queryResult: tsBlocks(page) } : { queryDataSet: dataSet(cursor, page) }),
    moreData: !page.finished,
  };
}

/** fetchResults(V2): the next page, or no result set once the query is gone. */
export function nextPageResponse(
  session: ClientSession,
  cursor: QueryCursor | undefined,
  fetchSize: number,
  format: ResultFormat,
): TSFetchResultsResp {
  if (cursor === undefined) return { status: SUCCESS, hasResultSet: false, isAlign: true, moreData: false };
  const page = cursor.nextPage(fetchSize);
  if (page.finished) session.closeQuery(cursor.id);
  return {
    status: SUCCESS,
    hasResultSet: page.rowCount > 0,
    isAlign: true,
    ...(format === 'tsblock' ? { queryResult: tsBlocks(page) } : { queryDataSet: dataSet(cursor, page) }),
    moreData: !page.finished,
  };
}
