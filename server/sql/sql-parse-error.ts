import { StatusCode } from '../../engine/index.js';

/** The two codes a statement can be refused with before it runs (IoTDB's numbers). */
export type SqlErrorCode = typeof StatusCode.SQL_PARSE_ERROR | typeof StatusCode.SEMANTIC_ERROR;

/**
 * A statement that cannot be read. `line` counts from 1 and `column` from 0, as IoTDB
 * (ANTLR) reports them, so `message` reads like IoTDB's: "line 1:9 mismatched input 'form'
 * expecting FROM". `token` is the offending text (`<EOF>` at the end of the input).
 *
 * `code` is SQL_PARSE_ERROR (700) for malformed SQL and SEMANTIC_ERROR (701) for
 * well-formed SQL the parser already knows to be meaningless (a column list and a row of
 * different lengths, an unknown function), as IoTDB's own parser does.
 */
export class SqlParseError extends Error {
  override readonly name = 'SqlParseError';

  constructor(
    readonly line: number,
    readonly column: number,
    readonly token: string,
    /** The message without its "line L:C " prefix. */
    readonly detail: string,
    readonly code: SqlErrorCode = StatusCode.SQL_PARSE_ERROR,
  ) {
    super(`line ${line}:${column} ${detail}`);
  }
}
