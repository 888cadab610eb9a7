/**
 * The SQL front end: text in, typed statements out. Statements are separated by `;`;
 * each is parsed on its own, so an error names the statement's own tokens, but positions
 * count from the start of the whole text.
 */
import type { IToken } from 'chevrotain';
import type { Statement } from './ast.js';
import { Semicolon, sqlLexer } from './sql-lexer.js';
import { SqlParseError } from './sql-parse-error.js';
import { SqlParser } from './sql-parser.js';
import { SyntaxErrorMessages } from './syntax-error-messages.js';
import { checkTimeZone, systemTimeZone } from './time-literals.js';

export type * from './ast.js';
export {
  formatNode,
  formatPath,
  isWildcard,
  MULTI_LEVEL_WILDCARD,
  needsQuoting,
  ONE_LEVEL_WILDCARD,
  type PathSyntaxOptions,
  parseNode,
  parsePath,
  pathOf,
} from './path-syntax.js';
export { isPrivilegeName, PRIVILEGE_NAMES } from './privilege-names.js';
export { type SqlErrorCode, SqlParseError } from './sql-parse-error.js';
export {
  durationInPrecision,
  parseDuration,
  resolveTimeValue,
  systemTimeZone,
  type TimeContext,
  type TimestampPrecision,
} from './time-literals.js';

export interface ParseOptions {
  /**
   * Zone in which datetime literals without an offset are read: an IANA name
   * (`Asia/Shanghai`) or an offset (`+08:00`, `UTC`). Default: the system's zone.
   */
  readonly timeZone?: string;
}

const messages = new SyntaxErrorMessages();
// Building the parser analyses the whole grammar, so it is done once and reused.
let parser: SqlParser | null = null;

/** Parses zero or more statements separated by `;` (empty statements are skipped). */
export function parseStatements(sql: string, options: ParseOptions = {}): Statement[] {
  return parseLocated(sql, options).map((s) => s.statement);
}

/** Parses exactly one statement (a trailing `;` is allowed). */
export function parseStatement(sql: string, options: ParseOptions = {}): Statement {
  const statements = parseLocated(sql, options);
  if (statements.length === 0) {
    const end = endOfInput(sql);
    throw new SqlParseError(end.line, end.column, '<EOF>', "mismatched input '<EOF>' expecting a statement");
  }
  if (statements.length > 1) {
    const second = statements[1]!.first;
    throw new SqlParseError(
      second.startLine!,
      second.startColumn! - 1,
      second.image,
      `extraneous input '${second.image}': only one statement is allowed here`,
    );
  }
  return statements[0]!.statement;
}

interface LocatedStatement {
  readonly statement: Statement;
  readonly first: IToken;
}

function parseLocated(sql: string, options: ParseOptions): LocatedStatement[] {
  const timeZone = options.timeZone ?? systemTimeZone();
  checkTimeZone(timeZone);
  const lexed = sqlLexer.tokenize(sql);
  const lexError = lexed.errors[0];
  if (lexError !== undefined) {
    // An unclosed quote or comment is shown up to the end of its line, as it was meant.
    const opensSomething = /['"`/]/.test(sql[lexError.offset] ?? '');
    const end = opensSomething ? sql.slice(lexError.offset).search(/\r|\n|$/) : lexError.length;
    const text = sql.slice(lexError.offset, lexError.offset + end);
    throw new SqlParseError(
      lexError.line ?? 1,
      (lexError.column ?? 1) - 1,
      text,
      `token recognition error at: '${text}'`,
    );
  }
  parser ??= new SqlParser(messages);
  parser.timeZone = timeZone;
  const out: LocatedStatement[] = [];
  let start = 0;
  const tokens = lexed.tokens;
  for (let i = 0; i <= tokens.length; i++) {
    const terminator = tokens[i];
    if (terminator !== undefined && terminator.tokenType !== Semicolon) continue;
    if (i > start)
      out.push({ statement: parseOne(sql, tokens.slice(start, i), terminator ?? null), first: tokens[start]! });
    start = i + 1;
  }
  return out;
}

function parseOne(sql: string, tokens: IToken[], terminator: IToken | null): Statement {
  const p = parser!;
  messages.reset(terminator);
  p.input = tokens;
  const statement = p.statement();
  const error = p.errors[0];
  if (error === undefined) return statement;
  const at = messages.offending ?? error.token;
  if (at.tokenType.name !== 'EOF') {
    throw new SqlParseError(at.startLine ?? 1, (at.startColumn ?? 1) - 1, at.image, error.message);
  }
  // The statement ended early: point at its `;`, or at the end of the text.
  if (terminator !== null) {
    throw new SqlParseError(terminator.startLine!, terminator.startColumn! - 1, terminator.image, error.message);
  }
  const end = endOfInput(sql);
  throw new SqlParseError(end.line, end.column, '<EOF>', error.message);
}

function endOfInput(sql: string): { line: number; column: number } {
  const lines = sql.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines.at(-1)!.length };
}
