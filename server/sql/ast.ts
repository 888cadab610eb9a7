/**
 * The statements the node understands, as the parser produces them: readonly data with a
 * `kind` discriminant. The parser checks form only; whether a data type, an encoding, a
 * user or a pipe exists is for the executor to decide.
 */
import type { AggregationName } from '../../engine/index.js';

// ---------------------------------------------------------------------------------------
// Paths and values

/**
 * A path: its nodes unquoted (`a@b`, wildcards `*` and `**`) and its canonical text, in
 * which a node is backquoted only when it must be (``root.sg.`a@b` ``). A suffix path (in
 * a SELECT list or a WHERE clause) does not start at `root`.
 */
export interface SqlPath {
  readonly nodes: readonly string[];
  readonly text: string;
}

/** `(key, value)` pairs in the order written; keys and values unquoted. */
export type AttributeList = readonly (readonly [key: string, value: string])[];

/**
 * A duration literal (`1d`, `1h30m`, `10ms`): calendar months (`mo`, `y` = 12 months) kept
 * apart from the fixed part, which is in nanoseconds so `us` and `ns` lose nothing.
 */
export interface Duration {
  readonly text: string;
  readonly months: number;
  readonly nanos: bigint;
}

/** `+ 1d` or `- 1h` after a datetime or `now()`. */
export interface DurationShift {
  readonly sign: 1 | -1;
  readonly duration: Duration;
}

/** An integer literal; `value` is exact (int64 and beyond). */
export interface IntegerLiteral {
  readonly kind: 'integer';
  /** As written, sign included (`-5`), so the executor can infer a type as IoTDB does. */
  readonly text: string;
  readonly value: bigint;
}

/** A floating literal: `1.5`, `.5`, `1e10`, `-2.5E-3`, `NaN`. */
export interface FloatLiteral {
  readonly kind: 'float';
  readonly text: string;
  readonly value: number;
}

export interface StringLiteral {
  readonly kind: 'string';
  /** Unquoted, doubled quotes undone. */
  readonly value: string;
}

/** `X'0a1b'`: bytes, for BLOB series. */
export interface BinaryLiteral {
  readonly kind: 'binary';
  /** As written. */
  readonly text: string;
  readonly value: Uint8Array;
}

export interface BooleanLiteral {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface NullLiteral {
  readonly kind: 'null';
}

/**
 * An ISO-8601 datetime (`2024-01-01T08:00:00.123+08:00`, `2024-01-01 08:00:00`,
 * `2024-01-01`) read in the statement's time zone unless it names an offset.
 * The instant is `epochMillis` plus `extraNanos` (the digits past milliseconds);
 * `shifts` (`2024-01-01 + 1d`) are not applied yet: see `resolveTimeValue`.
 */
export interface DatetimeLiteral {
  readonly kind: 'datetime';
  readonly text: string;
  readonly epochMillis: number;
  readonly extraNanos: number;
  readonly shifts: readonly DurationShift[];
}

/** `now()`, evaluated when the statement runs, with its shifts (`now() - 1h`). */
export interface NowLiteral {
  readonly kind: 'now';
  readonly shifts: readonly DurationShift[];
}

export type Literal =
  | IntegerLiteral
  | FloatLiteral
  | StringLiteral
  | BinaryLiteral
  | BooleanLiteral
  | NullLiteral
  | DatetimeLiteral
  | NowLiteral;

/**
 * A point in time as written. An integer is in the database's timestamp precision;
 * datetimes and shifts are absolute, so the executor scales them to that precision.
 */
export type TimeValue = IntegerLiteral | DatetimeLiteral | NowLiteral;

// ---------------------------------------------------------------------------------------
// Predicates (WHERE)

/** The `time` (or `timestamp`) column. */
export interface TimeColumn {
  readonly kind: 'time';
}

/** A series named in an expression: relative to the FROM prefixes unless `absolute`. */
export interface PathOperand {
  readonly kind: 'path';
  readonly path: SqlPath;
  readonly absolute: boolean;
}

/**
 * An arithmetic expression or a scalar function (`s1 + s2`, `-s1`, `sin(s1)`,
 * `cast(s1 as INT32)`, `round(s1, 2)`). Function names are kept as written (IoTDB prints
 * them so); `castType` is the upper-cased target of CAST.
 */
export type Expression =
  | PathOperand
  | TimeColumn
  | IntegerLiteral
  | FloatLiteral
  | StringLiteral
  | BooleanLiteral
  | NullLiteral
  | DatetimeLiteral
  | NowLiteral
  | BinaryLiteral
  | { readonly kind: 'negate'; readonly operand: Expression }
  | {
      readonly kind: 'arithmetic';
      readonly op: '+' | '-' | '*' | '/' | '%';
      readonly left: Expression;
      readonly right: Expression;
    }
  | {
      readonly kind: 'function';
      readonly name: string;
      readonly args: readonly Expression[];
      readonly castType: string | null;
    };

/** A WHERE operand more complex than a series, the time or a literal. */
export interface ExpressionOperand {
  readonly kind: 'expression';
  readonly expression: Expression;
}

export type Operand = TimeColumn | PathOperand | Literal | ExpressionOperand;

/** `==` is read as `=`, `<>` as `!=`. */
export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Predicate =
  | { readonly kind: 'and'; readonly left: Predicate; readonly right: Predicate }
  | { readonly kind: 'or'; readonly left: Predicate; readonly right: Predicate }
  | { readonly kind: 'not'; readonly operand: Predicate }
  | { readonly kind: 'compare'; readonly op: CompareOperator; readonly left: Operand; readonly right: Operand }
  /** `x [NOT] BETWEEN low AND high`, both ends included. */
  | {
      readonly kind: 'between';
      readonly operand: Operand;
      readonly low: Operand;
      readonly high: Operand;
      readonly negated: boolean;
    }
  | { readonly kind: 'in'; readonly operand: Operand; readonly values: readonly Literal[]; readonly negated: boolean }
  | { readonly kind: 'is-null'; readonly operand: Operand; readonly negated: boolean };

// ---------------------------------------------------------------------------------------
// Databases and time series

/** `CREATE DATABASE root.sg`, `SET STORAGE GROUP TO root.sg`, `CREATE STORAGE GROUP root.sg`. */
export interface CreateDatabaseStatement {
  readonly kind: 'create-database';
  readonly path: SqlPath;
}

/** `SHOW DATABASES [DETAILS] [pattern]` (also `SHOW STORAGE GROUP`). */
export interface ShowDatabasesStatement {
  readonly kind: 'show-databases';
  readonly pattern: SqlPath | null;
  readonly details: boolean;
}

/** `DELETE DATABASE p[, p]` (also `DROP`, `STORAGE GROUP`); patterns allowed. */
export interface DeleteDatabaseStatement {
  readonly kind: 'delete-database';
  readonly patterns: readonly SqlPath[];
}

/** `COUNT DATABASES [pattern]` (also `COUNT STORAGE GROUP`). */
export interface CountDatabasesStatement {
  readonly kind: 'count-databases';
  readonly pattern: SqlPath | null;
}

/** What CREATE TIMESERIES says about one series. Words are upper-cased, not checked. */
export interface SeriesOptions {
  readonly dataType: string;
  readonly encoding: string | null;
  /** From `COMPRESSOR=` or `COMPRESSION=`. */
  readonly compressor: string | null;
  /** From `root.sg.d.s(alias)`. */
  readonly alias: string | null;
  readonly tags: AttributeList;
  readonly attributes: AttributeList;
}

/**
 * `CREATE TIMESERIES root.sg.d.s[(alias)] WITH DATATYPE=T[, ENCODING=E][, COMPRESSOR=C]
 * [TAGS(...)] [ATTRIBUTES(...)]`, or the short form `CREATE TIMESERIES root.sg.d.s INT32
 * [encoding=E] [compressor=C]`.
 */
export interface CreateTimeseriesStatement extends SeriesOptions {
  readonly kind: 'create-timeseries';
  readonly path: SqlPath;
}

/** One measurement of CREATE ALIGNED TIMESERIES. */
export interface AlignedMeasurement extends SeriesOptions {
  readonly name: string;
}

/** `CREATE ALIGNED TIMESERIES root.sg.d(s1 INT32 encoding=RLE, s2 FLOAT)`. */
export interface CreateAlignedTimeseriesStatement {
  readonly kind: 'create-aligned-timeseries';
  readonly device: SqlPath;
  readonly measurements: readonly AlignedMeasurement[];
}

/** `SHOW TIMESERIES [pattern] [LIMIT n] [OFFSET m]`. */
export interface ShowTimeseriesStatement {
  readonly kind: 'show-timeseries';
  readonly pattern: SqlPath | null;
  readonly limit: number | null;
  readonly offset: number | null;
}

/** `SHOW DEVICES [pattern] [WITH DATABASE] [LIMIT n] [OFFSET m]`. */
export interface ShowDevicesStatement {
  readonly kind: 'show-devices';
  readonly pattern: SqlPath | null;
  readonly withDatabase: boolean;
  readonly limit: number | null;
  readonly offset: number | null;
}

/** `COUNT TIMESERIES [pattern] [GROUP BY LEVEL = n]`. */
export interface CountTimeseriesStatement {
  readonly kind: 'count-timeseries';
  readonly pattern: SqlPath | null;
  readonly groupByLevel: number | null;
}

/** `COUNT DEVICES [pattern]`. */
export interface CountDevicesStatement {
  readonly kind: 'count-devices';
  readonly pattern: SqlPath | null;
}

/** `DELETE TIMESERIES p[, p]` (also `DROP`). */
export interface DeleteTimeseriesStatement {
  readonly kind: 'delete-timeseries';
  readonly patterns: readonly SqlPath[];
}

// ---------------------------------------------------------------------------------------
// Data

/** One `(v, ...)` of INSERT: its time (null: the executor's current time) and its values. */
export interface InsertRow {
  readonly time: TimeValue | null;
  readonly values: readonly Literal[];
}

/**
 * `INSERT INTO root.sg.d(time, s1, s2) [ALIGNED] VALUES (1, 2, 'x'), (...)`; without a
 * time column every row is stamped with the current time. The parser has checked that a
 * time column comes first and that every row has one value per column.
 */
export interface InsertStatement {
  readonly kind: 'insert';
  readonly device: SqlPath;
  /** Measurement names, unquoted; the time column is not among them. */
  readonly measurements: readonly string[];
  readonly aligned: boolean;
  readonly rows: readonly InsertRow[];
}

/** A series in a SELECT list: `s1`, `d1.*`, `**`, or `root.sg.d1.s1` (`absolute`). */
export interface SelectSeries {
  readonly kind: 'series';
  readonly path: SqlPath;
  readonly absolute: boolean;
  readonly alias: string | null;
}

/** `count(s1)`, `max_value(*)`: function names are lower-cased. */
export interface SelectAggregation {
  readonly kind: 'aggregation';
  readonly function: AggregationName;
  readonly path: SqlPath;
  readonly absolute: boolean;
  readonly alias: string | null;
}

/** An expression of series in a SELECT list (`s1 + s2`, `abs(s1)`), one column per expansion. */
export interface SelectExpression {
  readonly kind: 'expression';
  readonly expression: Expression;
  readonly alias: string | null;
}

export type SelectItem = SelectSeries | SelectAggregation | SelectExpression;

/**
 * `GROUP BY ([start, end), interval[, sliding])`; `(start, end]` sets `leftOpen`.
 * Without a range (`GROUP BY (1h)`) the executor takes the data's own span.
 */
export interface GroupByTime {
  readonly start: TimeValue | null;
  readonly end: TimeValue | null;
  readonly leftOpen: boolean;
  readonly interval: Duration;
  readonly sliding: Duration | null;
}

/** `GROUP BY` by time, by level, or both (`GROUP BY ([0, 10), 1ms), LEVEL = 1`). */
export interface GroupBy {
  readonly time: GroupByTime | null;
  readonly levels: readonly number[];
}

export interface OrderByItem {
  readonly key: 'time' | 'device' | 'timeseries';
  readonly direction: 'asc' | 'desc';
}

/**
 * `FILL(PREVIOUS[, interval])`, `FILL(LINEAR)` or `FILL(constant)`: how null cells of the
 * result are filled. `interval` (a duration, or an integer in the timestamp precision)
 * bounds how far back PREVIOUS may reach.
 */
export type FillClause =
  | { readonly kind: 'previous'; readonly interval: Duration | IntegerLiteral | null }
  | { readonly kind: 'linear' }
  | { readonly kind: 'constant'; readonly value: IntegerLiteral | FloatLiteral | StringLiteral | BooleanLiteral };

/** LIMIT/OFFSET (rows) and SLIMIT/SOFFSET (series), each null when absent. */
export interface Pagination {
  readonly limit: number | null;
  readonly offset: number | null;
  readonly slimit: number | null;
  readonly soffset: number | null;
}

/** `SELECT items FROM p[, p] [WHERE] [GROUP BY] [ORDER BY] [FILL] [LIMIT/OFFSET/SLIMIT/SOFFSET] [ALIGN BY]`. */
export interface SelectStatement extends Pagination {
  readonly kind: 'select';
  readonly items: readonly SelectItem[];
  readonly from: readonly SqlPath[];
  readonly where: Predicate | null;
  readonly groupBy: GroupBy | null;
  readonly orderBy: readonly OrderByItem[];
  readonly fill: FillClause | null;
  readonly alignBy: 'time' | 'device';
}

/** `SELECT LAST p[, p] FROM p[, p] [WHERE time > x] [ORDER BY ...] [LIMIT ...]`. */
export interface SelectLastStatement extends Pagination {
  readonly kind: 'select-last';
  readonly items: readonly SelectSeries[];
  readonly from: readonly SqlPath[];
  readonly where: Predicate | null;
  readonly orderBy: readonly OrderByItem[];
}

/** `DELETE FROM p[, p] [WHERE time ...]`: the executor accepts time predicates only. */
export interface DeleteDataStatement {
  readonly kind: 'delete-data';
  readonly patterns: readonly SqlPath[];
  readonly where: Predicate | null;
}

// ---------------------------------------------------------------------------------------
// Utility

/** `FLUSH [root.sg[, root.sg]] [true|false] [ON LOCAL|CLUSTER]`. */
export interface FlushStatement {
  readonly kind: 'flush';
  readonly databases: readonly SqlPath[];
  /** `true` flushes sequence files only, `false` unsequence; null both. */
  readonly sequence: boolean | null;
  readonly scope: 'local' | 'cluster' | null;
}

/**
 * `LOAD 'file.tsfile' [sglevel=1] [verify=true] [onSuccess=delete]` or `LOAD 'f' WITH
 * ('k'='v', ...)`; the attributes are kept (keys lower-cased in the first form) and the
 * executor may ignore them.
 */
export interface LoadTsFileStatement {
  readonly kind: 'load-tsfile';
  readonly file: string;
  readonly attributes: AttributeList;
}

/** `SHOW VERSION`. */
export interface ShowVersionStatement {
  readonly kind: 'show-version';
}

// ---------------------------------------------------------------------------------------
// Users and privileges

/** `CREATE USER name 'password'`. */
export interface CreateUserStatement {
  readonly kind: 'create-user';
  readonly user: string;
  readonly password: string;
}

/** `DROP USER name`. */
export interface DropUserStatement {
  readonly kind: 'drop-user';
  readonly user: string;
}

/** `ALTER USER name SET PASSWORD 'password'`. */
export interface AlterUserPasswordStatement {
  readonly kind: 'alter-user-password';
  readonly user: string;
  readonly password: string;
}

/**
 * `GRANT privileges ON paths TO USER u [WITH GRANT OPTION]` (`style: 'current'`) or
 * IoTDB 1.2's `GRANT USER u PRIVILEGES privileges [ON paths]` (`style: 'legacy'`).
 * Privilege names are upper-cased and known (see `PRIVILEGE_NAMES`); `paths` is empty
 * when no ON clause was given.
 */
export interface GrantStatement {
  readonly kind: 'grant';
  readonly user: string;
  readonly privileges: readonly string[];
  readonly paths: readonly SqlPath[];
  readonly grantOption: boolean;
  readonly style: 'current' | 'legacy';
}

/** `REVOKE privileges ON paths FROM USER u`, or `REVOKE USER u PRIVILEGES privileges [ON paths]`. */
export interface RevokeStatement {
  readonly kind: 'revoke';
  readonly user: string;
  readonly privileges: readonly string[];
  readonly paths: readonly SqlPath[];
  readonly style: 'current' | 'legacy';
}

/** `LIST USER`. */
export interface ListUserStatement {
  readonly kind: 'list-user';
}

/** `LIST PRIVILEGES [OF] USER u [ON paths]`. */
export interface ListPrivilegesStatement {
  readonly kind: 'list-privileges';
  readonly user: string;
  readonly paths: readonly SqlPath[];
}

// ---------------------------------------------------------------------------------------
// Pipes

/**
 * One `WITH <word> ('k'='v', ...)` clause of CREATE PIPE. `word` is the clause word
 * written (`extractor` or `source`, `processor`, `connector` or `sink`) so the pipe layer
 * can tell which spelling of the keys to expect.
 */
export interface PipeClause<Word extends string> {
  readonly word: Word;
  readonly attributes: AttributeList;
}

/**
 * `CREATE PIPE [IF NOT EXISTS] id [WITH EXTRACTOR|SOURCE (...)] [WITH PROCESSOR (...)]
 * WITH CONNECTOR|SINK (...)`.
 */
export interface CreatePipeStatement {
  readonly kind: 'create-pipe';
  readonly pipeName: string;
  readonly ifNotExists: boolean;
  readonly extractor: PipeClause<'extractor' | 'source'> | null;
  readonly processor: PipeClause<'processor'> | null;
  readonly connector: PipeClause<'connector' | 'sink'>;
}

/** One clause of ALTER PIPE: MODIFY merges its keys into the pipe's clause, REPLACE swaps the clause. */
export interface PipeClauseChange<Word extends string> extends PipeClause<Word> {
  readonly mode: 'modify' | 'replace';
}

/**
 * `ALTER PIPE [IF EXISTS] id [(MODIFY|REPLACE) (EXTRACTOR|SOURCE) (...)]
 * [(MODIFY|REPLACE) PROCESSOR (...)] [(MODIFY|REPLACE) (CONNECTOR|SINK) (...)]`.
 */
export interface AlterPipeStatement {
  readonly kind: 'alter-pipe';
  readonly pipeName: string;
  readonly ifExists: boolean;
  readonly extractor: PipeClauseChange<'extractor' | 'source'> | null;
  readonly processor: PipeClauseChange<'processor'> | null;
  readonly connector: PipeClauseChange<'connector' | 'sink'> | null;
}

/** `START PIPE id`. */
export interface StartPipeStatement {
  readonly kind: 'start-pipe';
  readonly pipeName: string;
}

/** `STOP PIPE id`. */
export interface StopPipeStatement {
  readonly kind: 'stop-pipe';
  readonly pipeName: string;
}

/** `DROP PIPE [IF EXISTS] id`. */
export interface DropPipeStatement {
  readonly kind: 'drop-pipe';
  readonly pipeName: string;
  readonly ifExists: boolean;
}

/**
 * `SHOW PIPES`, `SHOW PIPE id` (`pipeName`), or `SHOW PIPES WHERE CONNECTOR|SINK USED BY
 * id` (`connectorUsedBy`: the pipes sharing that pipe's connector).
 */
export interface ShowPipesStatement {
  readonly kind: 'show-pipes';
  readonly pipeName: string | null;
  readonly connectorUsedBy: string | null;
  /** `SHOW PIPES PROGRESS` (ours, not IoTDB's): the figures of `iotdb-lite pipes --watch`. */
  readonly progress?: true;
}

/** `SHOW PIPEPLUGINS`. */
export interface ShowPipePluginsStatement {
  readonly kind: 'show-pipeplugins';
}

/** `CREATE PIPEPLUGIN [IF NOT EXISTS] name AS 'className' USING URI 'uri'`. */
export interface CreatePipePluginStatement {
  readonly kind: 'create-pipeplugin';
  readonly pluginName: string;
  readonly ifNotExists: boolean;
  readonly className: string;
  readonly uri: string;
}

/** `DROP PIPEPLUGIN [IF EXISTS] name`. */
export interface DropPipePluginStatement {
  readonly kind: 'drop-pipeplugin';
  readonly pluginName: string;
  readonly ifExists: boolean;
}

// ---------------------------------------------------------------------------------------

export type Statement =
  | CreateDatabaseStatement
  | ShowDatabasesStatement
  | DeleteDatabaseStatement
  | CountDatabasesStatement
  | CreateTimeseriesStatement
  | CreateAlignedTimeseriesStatement
  | ShowTimeseriesStatement
  | ShowDevicesStatement
  | CountTimeseriesStatement
  | CountDevicesStatement
  | DeleteTimeseriesStatement
  | InsertStatement
  | SelectStatement
  | SelectLastStatement
  | DeleteDataStatement
  | FlushStatement
  | LoadTsFileStatement
  | ShowVersionStatement
  | CreateUserStatement
  | DropUserStatement
  | AlterUserPasswordStatement
  | GrantStatement
  | RevokeStatement
  | ListUserStatement
  | ListPrivilegesStatement
  | CreatePipeStatement
  | AlterPipeStatement
  | StartPipeStatement
  | StopPipeStatement
  | DropPipeStatement
  | ShowPipesStatement
  | ShowPipePluginsStatement
  | CreatePipePluginStatement
  | DropPipePluginStatement;

export type StatementKind = Statement['kind'];
