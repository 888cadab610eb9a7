/**
 * The grammar of the statements in `ast.ts`, an LL(2) Chevrotain parser building the
 * statements directly. The few choices that need to look further (`WITH DATATYPE =`, a
 * `LEVEL = 1, 2` list inside a GROUP BY list) use explicit gates: grammar analysis time
 * grows steeply with the lookahead depth, and the parser is built when the first
 * statement arrives. It follows the facts of IoTDB 1.3's grammar (keywords usable as
 * names, two forms of CREATE TIMESERIES attributes, pipe attribute lists with a trailing
 * comma); see `index.ts` for the entry points.
 *
 * Chevrotain runs every rule once without input to record the grammar, so anything that
 * computes on parsed values is wrapped in ACTION, which that recording run skips.
 */
import { EmbeddedActionsParser, type IToken, type TokenType, tokenMatcher } from 'chevrotain';
import { AGGREGATIONS, type AggregationName, StatusCode } from '../../engine/index.js';
import type {
  AlignedMeasurement,
  AttributeList,
  BinaryLiteral,
  CompareOperator,
  Duration,
  DurationShift,
  Expression,
  FillClause,
  FloatLiteral,
  GroupBy,
  GroupByTime,
  InsertRow,
  IntegerLiteral,
  Literal,
  Operand,
  OrderByItem,
  Pagination,
  PipeClause,
  Predicate,
  SelectItem,
  SelectSeries,
  SeriesOptions,
  SqlPath,
  Statement,
  TimeValue,
} from './ast.js';
import { isWildcard, pathOf } from './path-syntax.js';
import { isPrivilegeName } from './privilege-names.js';
import { SCALAR_FUNCTIONS } from './scalar-functions.js';
import * as T from './sql-lexer.js';
import { type SqlErrorCode, SqlParseError } from './sql-parse-error.js';
import type { SyntaxErrorMessages } from './syntax-error-messages.js';
import { DatetimeError, parseDatetime, parseDuration } from './time-literals.js';

/** A literal with the token it starts at, for errors that point at it. */
interface Located<V> {
  readonly value: V;
  readonly token: IToken;
}

interface AttributePair {
  readonly key: Located<string> | null;
  readonly value: Located<string>;
}

/** What follows SELECT [LAST], read the same way for both before they are told apart. */
interface SelectTail extends Pagination {
  readonly items: readonly Located<SelectItem>[];
  readonly from: readonly SqlPath[];
  readonly where: Predicate | null;
  readonly groupBy: Located<GroupBy> | null;
  readonly orderBy: readonly OrderByItem[];
  readonly fill: Located<FillClause> | null;
  readonly alignBy: Located<'time' | 'device'> | null;
}

type PaginationKey = keyof Pagination;

export class SqlParser extends EmbeddedActionsParser {
  /** Zone for datetimes without an offset; set before each parse. */
  timeZone = 'UTC';

  constructor(messages: SyntaxErrorMessages) {
    super([...T.ALL_TOKENS], { maxLookahead: 2, recoveryEnabled: false, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  // -------------------------------------------------------------------------------------
  // Statements

  statement = this.RULE(
    'statement',
    (): Statement =>
      this.OR([
        { ALT: () => this.SUBRULE(this.createStatement) },
        { ALT: () => this.SUBRULE(this.setStorageGroupStatement) },
        { ALT: () => this.SUBRULE(this.showStatement) },
        { ALT: () => this.SUBRULE(this.countStatement) },
        { ALT: () => this.SUBRULE(this.deleteStatement) },
        { ALT: () => this.SUBRULE(this.dropStatement) },
        { ALT: () => this.SUBRULE(this.insertStatement) },
        { ALT: () => this.SUBRULE(this.selectStatement) },
        { ALT: () => this.SUBRULE(this.flushStatement) },
        { ALT: () => this.SUBRULE(this.loadStatement) },
        { ALT: () => this.SUBRULE(this.grantStatement) },
        { ALT: () => this.SUBRULE(this.revokeStatement) },
        { ALT: () => this.SUBRULE(this.alterUserStatement) },
        { ALT: () => this.SUBRULE(this.alterPipeStatement) },
        { ALT: () => this.SUBRULE(this.listStatement) },
        { ALT: () => this.SUBRULE(this.startPipeStatement) },
        { ALT: () => this.SUBRULE(this.stopPipeStatement) },
      ]),
  );

  private createStatement = this.RULE('createStatement', (): Statement => {
    this.CONSUME(T.Create);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Database);
          const path = this.SUBRULE(this.fullPath);
          return { kind: 'create-database', path } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Storage);
          this.CONSUME(T.Group);
          const path = this.SUBRULE2(this.fullPath);
          return { kind: 'create-database', path } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.createTimeseriesTail) },
      { ALT: () => this.SUBRULE(this.createAlignedTimeseriesTail) },
      { ALT: () => this.SUBRULE(this.createUserTail) },
      { ALT: () => this.SUBRULE(this.createPipeTail) },
      { ALT: () => this.SUBRULE(this.createPipePluginTail) },
    ]);
  });

  private setStorageGroupStatement = this.RULE('setStorageGroupStatement', (): Statement => {
    this.CONSUME(T.SetKeyword);
    this.CONSUME(T.Storage);
    this.CONSUME(T.Group);
    this.CONSUME(T.To);
    const path = this.SUBRULE(this.fullPath);
    return { kind: 'create-database', path };
  });

  private showStatement = this.RULE('showStatement', (): Statement => {
    this.CONSUME(T.Show);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Databases);
          const details = this.OPTION(() => this.CONSUME(T.Details)) !== undefined;
          const pattern = this.OPTION2(() => this.SUBRULE(this.pathPattern)) ?? null;
          return { kind: 'show-databases', pattern, details } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Storage);
          this.CONSUME(T.Group);
          const pattern = this.OPTION3(() => this.SUBRULE2(this.pathPattern)) ?? null;
          return { kind: 'show-databases', pattern, details: false } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Timeseries);
          const pattern = this.OPTION4(() => this.SUBRULE3(this.pathPattern)) ?? null;
          const page = this.SUBRULE(this.rowPagination);
          return { kind: 'show-timeseries', pattern, limit: page.limit, offset: page.offset } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Devices);
          const pattern = this.OPTION5(() => this.SUBRULE4(this.pathPattern)) ?? null;
          const withDatabase =
            this.OPTION6(() => {
              this.CONSUME(T.With);
              this.OR2([
                { ALT: () => this.CONSUME(T.Database) },
                {
                  ALT: () => {
                    this.CONSUME2(T.Storage);
                    return this.CONSUME2(T.Group);
                  },
                },
              ]);
              return true;
            }) ?? false;
          const page = this.SUBRULE2(this.rowPagination);
          return { kind: 'show-devices', pattern, withDatabase, limit: page.limit, offset: page.offset } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Pipes);
          const progress = this.OPTION8(() => this.CONSUME(T.Progress)) !== undefined;
          const connectorUsedBy =
            this.OPTION7(() => {
              this.CONSUME(T.Where);
              this.OR3([{ ALT: () => this.CONSUME(T.Connector) }, { ALT: () => this.CONSUME(T.Sink) }]);
              this.CONSUME(T.Used);
              this.CONSUME(T.By);
              return this.SUBRULE(this.name);
            }) ?? null;
          return { kind: 'show-pipes', pipeName: null, connectorUsedBy, ...(progress ? { progress } : {}) } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Pipe);
          const pipeName = this.SUBRULE2(this.name);
          return { kind: 'show-pipes', pipeName, connectorUsedBy: null } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.PipePlugins);
          return { kind: 'show-pipeplugins' } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Version);
          return { kind: 'show-version' } as const;
        },
      },
    ]);
  });

  private countStatement = this.RULE('countStatement', (): Statement => {
    this.CONSUME(T.Count);
    return this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Databases) },
            {
              ALT: () => {
                this.CONSUME(T.Storage);
                return this.CONSUME(T.Group);
              },
            },
          ]);
          const pattern = this.OPTION(() => this.SUBRULE(this.pathPattern)) ?? null;
          return { kind: 'count-databases', pattern } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Timeseries);
          const pattern = this.OPTION2(() => this.SUBRULE2(this.pathPattern)) ?? null;
          const groupByLevel =
            this.OPTION3(() => {
              this.CONSUME2(T.Group);
              this.CONSUME(T.By);
              this.CONSUME(T.Level);
              this.SUBRULE(this.equalsSign);
              return this.SUBRULE(this.unsignedInteger);
            }) ?? null;
          return { kind: 'count-timeseries', pattern, groupByLevel } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Devices);
          const pattern = this.OPTION4(() => this.SUBRULE3(this.pathPattern)) ?? null;
          return { kind: 'count-devices', pattern } as const;
        },
      },
    ]);
  });

  /** `DATABASE p, ...` or `TIMESERIES p, ...` after DELETE or DROP (the two are synonyms). */
  private schemaDeletion = this.RULE('schemaDeletion', (): Statement => {
    return this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.databaseWord);
          const patterns = this.SUBRULE(this.pathPatternList);
          return { kind: 'delete-database', patterns } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Timeseries);
          const patterns = this.SUBRULE2(this.pathPatternList);
          return { kind: 'delete-timeseries', patterns } as const;
        },
      },
    ]);
  });

  private deleteStatement = this.RULE('deleteStatement', (): Statement => {
    this.CONSUME(T.Delete);
    return this.OR([
      { ALT: () => this.SUBRULE(this.schemaDeletion) },
      {
        ALT: () => {
          this.CONSUME(T.From);
          const patterns = this.SUBRULE3(this.pathPatternList);
          const where = this.OPTION(() => this.SUBRULE(this.whereClause)) ?? null;
          return { kind: 'delete-data', patterns, where } as const;
        },
      },
    ]);
  });

  private dropStatement = this.RULE('dropStatement', (): Statement => {
    this.CONSUME(T.Drop);
    return this.OR([
      { ALT: () => this.SUBRULE(this.schemaDeletion) },
      {
        ALT: () => {
          this.CONSUME(T.User);
          const user = this.SUBRULE(this.userName);
          return { kind: 'drop-user', user } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Pipe);
          const ifExists = this.SUBRULE(this.ifExists);
          const pipeName = this.SUBRULE(this.name);
          return { kind: 'drop-pipe', pipeName, ifExists } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.PipePlugin);
          const ifExists = this.SUBRULE2(this.ifExists);
          const pluginName = this.SUBRULE2(this.name);
          return { kind: 'drop-pipeplugin', pluginName, ifExists } as const;
        },
      },
    ]);
  });

  /** `DATABASE` or IoTDB's older `STORAGE GROUP`. */
  private databaseWord = this.RULE('databaseWord', (): void => {
    this.OR([
      { ALT: () => this.CONSUME(T.Database) },
      {
        ALT: () => {
          this.CONSUME(T.Storage);
          return this.CONSUME(T.Group);
        },
      },
    ]);
  });

  // -------------------------------------------------------------------------------------
  // CREATE TIMESERIES

  private createTimeseriesTail = this.RULE('createTimeseriesTail', (): Statement => {
    this.CONSUME(T.Timeseries);
    const path = this.SUBRULE(this.fullPath);
    const options = this.SUBRULE(this.seriesOptions);
    return this.ACTION(() => ({ kind: 'create-timeseries', path, ...options }) as const);
  });

  private createAlignedTimeseriesTail = this.RULE('createAlignedTimeseriesTail', (): Statement => {
    this.CONSUME(T.Aligned);
    this.CONSUME(T.Timeseries);
    const device = this.SUBRULE(this.fullPath);
    const measurements: AlignedMeasurement[] = [];
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const name = this.SUBRULE(this.nodeName);
        const options = this.SUBRULE(this.seriesOptions);
        this.ACTION(() => measurements.push({ name, ...options }));
      },
    });
    this.CONSUME(T.RParen);
    return { kind: 'create-aligned-timeseries', device, measurements };
  });

  /**
   * What follows a series path in CREATE TIMESERIES: `[(alias)]` then either `WITH
   * DATATYPE=T[, k=v ...]` or the short `[WITH] [DATATYPE=]T [k=v ...]`, then `TAGS(...)`
   * and `ATTRIBUTES(...)`.
   */
  private seriesOptions = this.RULE('seriesOptions', (): SeriesOptions => {
    const alias =
      this.OPTION(() => {
        this.CONSUME(T.LParen);
        const n = this.SUBRULE(this.nodeName);
        this.CONSUME(T.RParen);
        return n;
      }) ?? null;
    const pairs: AttributePair[] = [];
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.isEqualsSign(this.LA(3)),
          ALT: () => {
            this.CONSUME(T.With);
            pairs.push(this.SUBRULE(this.attributePair));
            this.MANY({
              GATE: () => this.isEqualsSign(this.LA(tokenMatcher(this.LA(1), T.Comma) ? 3 : 2)),
              DEF: () => {
                this.OPTION2(() => this.CONSUME(T.Comma));
                pairs.push(this.SUBRULE2(this.attributePair));
              },
            });
          },
        },
        {
          ALT: () => {
            this.OPTION3(() => this.CONSUME2(T.With));
            const key = this.OPTION4({
              GATE: () => this.isEqualsSign(this.LA(2)),
              DEF: () => {
                const k = this.SUBRULE(this.attributeWord);
                this.SUBRULE(this.equalsSign);
                return k;
              },
            });
            const value = this.SUBRULE2(this.attributeWord);
            pairs.push({ key: key ?? null, value });
            this.MANY2({
              GATE: () => this.isEqualsSign(this.LA(2)),
              DEF: () => pairs.push(this.SUBRULE3(this.attributePair)),
            });
          },
        },
      ],
    });
    const tags =
      this.OPTION5(() => {
        this.CONSUME(T.Tags);
        return this.SUBRULE(this.attributeList);
      }) ?? [];
    const attributes =
      this.OPTION6(() => {
        this.CONSUME(T.Attributes);
        return this.SUBRULE2(this.attributeList);
      }) ?? [];
    return this.ACTION(() => seriesOptionsOf(alias, pairs, tags, attributes));
  });

  /** `(k=v, k=v)` of TAGS and ATTRIBUTES. */
  private attributeList = this.RULE('attributeList', (): AttributeList => {
    const list: (readonly [string, string])[] = [];
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const pair = this.SUBRULE(this.attributePair);
        this.ACTION(() => list.push([pair.key!.value, pair.value.value]));
      },
    });
    this.CONSUME(T.RParen);
    return list;
  });

  private attributePair = this.RULE('attributePair', (): AttributePair => {
    const key = this.SUBRULE(this.attributeWord);
    this.SUBRULE(this.equalsSign);
    const value = this.SUBRULE2(this.attributeWord);
    return { key, value };
  });

  /** A key or value in attribute clauses: a name, a string, a number, or TIMESTAMP (a type). */
  private attributeWord = this.RULE('attributeWord', (): Located<string> => {
    const token = this.LA(1);
    const value = this.OR([
      { ALT: () => this.SUBRULE(this.name) },
      { ALT: () => this.SUBRULE(this.stringLiteral) },
      { ALT: () => this.CONSUME(T.Timestamp).image },
      {
        ALT: () => {
          const n = this.SUBRULE(this.signedNumber);
          return this.ACTION(() => n.text);
        },
      },
    ]);
    return { value, token };
  });

  // -------------------------------------------------------------------------------------
  // INSERT

  private insertStatement = this.RULE('insertStatement', (): Statement => {
    this.CONSUME(T.Insert);
    this.CONSUME(T.Into);
    const device = this.SUBRULE(this.fullPath);
    const columns: Located<string | null>[] = [];
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const token = this.LA(1);
        const name = this.OR([{ ALT: () => this.SUBRULE(this.timeWord) }, { ALT: () => this.SUBRULE(this.nodeName) }]);
        columns.push({ value: name, token });
      },
    });
    this.CONSUME(T.RParen);
    const aligned = this.OPTION(() => this.CONSUME(T.Aligned)) !== undefined;
    this.CONSUME(T.Values);
    const rows: { token: IToken; values: Located<Literal>[] }[] = [];
    this.AT_LEAST_ONE_SEP2({
      SEP: T.Comma,
      DEF: () => {
        const token = this.CONSUME2(T.LParen);
        const values: Located<Literal>[] = [];
        this.AT_LEAST_ONE_SEP3({
          SEP: T.Comma,
          DEF: () => {
            const at = this.LA(1);
            values.push({ value: this.SUBRULE(this.literal), token: at });
          },
        });
        this.CONSUME2(T.RParen);
        rows.push({ token, values });
      },
    });
    return this.ACTION(() => insertOf(device, columns, aligned, rows));
  });

  /** `time` or `timestamp` as a column; null stands for it among measurement names. */
  private timeWord = this.RULE('timeWord', (): null => {
    this.OR([{ ALT: () => this.CONSUME(T.Time) }, { ALT: () => this.CONSUME(T.Timestamp) }]);
    return null;
  });

  // -------------------------------------------------------------------------------------
  // SELECT

  private selectStatement = this.RULE('selectStatement', (): Statement => {
    const select = this.CONSUME(T.Select);
    const last = this.OPTION({
      // `select last from ...` selects a series named last.
      GATE: () => !isAnyOf(this.LA(2), [T.From, T.Comma, T.LParen, T.Dot, T.As]),
      DEF: () => this.CONSUME(T.Last),
    });
    const tail = this.SUBRULE(this.selectTail);
    return this.ACTION(() => (last === undefined ? selectOf(tail) : selectLastOf(select, tail)));
  });

  private selectTail = this.RULE('selectTail', (): SelectTail => {
    const items: Located<SelectItem>[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const token = this.LA(1);
        items.push({ value: this.SUBRULE(this.selectItem), token });
      },
    });
    this.CONSUME(T.From);
    const from = this.SUBRULE(this.pathPatternList);
    const where = this.OPTION(() => this.SUBRULE(this.whereClause)) ?? null;
    const groupBy =
      this.OPTION2(() => {
        const token = this.LA(1);
        return { value: this.SUBRULE(this.groupByClause), token };
      }) ?? null;
    const orderBy = this.OPTION3(() => this.SUBRULE(this.orderByClause)) ?? [];
    const fill =
      this.OPTION5(() => {
        const token = this.LA(1);
        return { value: this.SUBRULE(this.fillClause), token };
      }) ?? null;
    const page = this.SUBRULE(this.pagination);
    const alignBy =
      this.OPTION4(() => {
        const token = this.CONSUME(T.Align);
        this.CONSUME(T.By);
        const value = this.OR([
          {
            ALT: () => {
              this.SUBRULE(this.timeWord);
              return 'time' as const;
            },
          },
          { ALT: () => this.yields(T.Device, 'device' as const) },
        ]);
        return { value, token };
      }) ?? null;
    return { items, from, where, groupBy, orderBy, fill, alignBy, ...page };
  });

  /** `FILL(PREVIOUS[, interval])`, `FILL(LINEAR)`, `FILL(constant)`; only PREVIOUS takes an interval. */
  private fillClause = this.RULE('fillClause', (): FillClause => {
    this.CONSUME(T.Fill);
    this.CONSUME(T.LParen);
    const method = this.OR([
      { ALT: () => ({ token: this.CONSUME(T.Previous), fill: null }) },
      { ALT: () => ({ token: this.CONSUME(T.Linear), fill: { kind: 'linear' } as const }) },
      {
        ALT: () => {
          const token = this.LA(1);
          const value = this.OR2([
            { ALT: () => this.SUBRULE(this.signedNumber) },
            { ALT: () => ({ kind: 'string', value: this.SUBRULE(this.stringLiteral) }) as const },
            { ALT: () => this.yields(T.True, { kind: 'boolean', value: true } as const) },
            { ALT: () => this.yields(T.False, { kind: 'boolean', value: false } as const) },
          ]);
          return { token, fill: { kind: 'constant', value } as const };
        },
      },
    ]);
    const interval = this.OPTION(() => {
      const comma = this.CONSUME(T.Comma);
      const value = this.OR3([
        { ALT: () => this.SUBRULE(this.duration) },
        {
          ALT: () => {
            const t = this.CONSUME(T.IntegerLiteral);
            return this.ACTION((): IntegerLiteral => ({ kind: 'integer', text: t.image, value: BigInt(t.image) }));
          },
        },
      ]);
      return { comma, value };
    });
    this.CONSUME(T.RParen);
    return this.ACTION((): FillClause => {
      if (method.fill === null) return { kind: 'previous', interval: interval?.value ?? null };
      if (interval !== undefined) {
        throw semanticError(interval.comma, `FILL(${method.token.image}) takes no time interval; only PREVIOUS does`);
      }
      return method.fill;
    });
  });

  private selectItem = this.RULE('selectItem', (): SelectItem => {
    const token = this.LA(1);
    const expression = this.SUBRULE(this.expression);
    const alias = this.OPTION(() => {
      this.CONSUME(T.As);
      return this.OR2([{ ALT: () => this.SUBRULE(this.name) }, { ALT: () => this.SUBRULE(this.stringLiteral) }]);
    });
    return this.ACTION(() => selectItemOf(token, expression, alias ?? null));
  });

  // -------------------------------------------------------------------------------------
  // Expressions: `+ -` below `* / %` below unary `-`, as IoTDB's grammar ranks them.

  private expression = this.RULE('expression', (): Expression => {
    let left = this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      const op = this.OR([
        { ALT: () => this.yields(T.Plus, '+' as const) },
        { ALT: () => this.yields(T.Minus, '-' as const) },
      ]);
      const right = this.SUBRULE2(this.multiplicative);
      left = { kind: 'arithmetic', op, left, right };
    });
    return left;
  });

  private multiplicative = this.RULE('multiplicative', (): Expression => {
    let left = this.SUBRULE(this.unary);
    this.MANY(() => {
      const op = this.OR([
        { ALT: () => this.yields(T.Star, '*' as const) },
        { ALT: () => this.yields(T.Slash, '/' as const) },
        { ALT: () => this.yields(T.Percent, '%' as const) },
      ]);
      const right = this.SUBRULE2(this.unary);
      left = { kind: 'arithmetic', op, left, right };
    });
    return left;
  });

  private unary = this.RULE(
    'unary',
    (): Expression =>
      this.OR({
        // A literal may carry its sign too; the sign read here first folds into it.
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.Minus);
              const operand = this.SUBRULE(this.unary);
              return this.ACTION(() => negated(operand));
            },
          },
          {
            ALT: () => {
              // IoTDB drops a unary plus, header included.
              this.CONSUME(T.Plus);
              return this.SUBRULE2(this.unary);
            },
          },
          { ALT: () => this.SUBRULE(this.primary) },
        ],
      }),
  );

  private primary = this.RULE(
    'primary',
    (): Expression =>
      this.OR({
        // Literal words (true, null, nan, now) are names too; as in IoTDB, the literal wins.
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            ALT: () => {
              this.CONSUME(T.LParen);
              const inner = this.SUBRULE(this.expression);
              this.CONSUME(T.RParen);
              return inner;
            },
          },
          {
            ALT: () => {
              this.SUBRULE(this.timeWord);
              return { kind: 'time' } as const;
            },
          },
          { ALT: () => this.SUBRULE(this.literal) },
          { GATE: () => tokenMatcher(this.LA(2), T.LParen), ALT: () => this.SUBRULE(this.functionCall) },
          {
            ALT: () => {
              const p = this.SUBRULE(this.expressionPath);
              return this.ACTION(() => ({ kind: 'path', ...p }) as const);
            },
          },
        ],
      }),
  );

  /** `name(arg, ...)` or `cast(arg AS type)`; the name must be a known function. */
  private functionCall = this.RULE('functionCall', (): Expression => {
    const fn = this.CONSUME(T.Name);
    this.CONSUME(T.LParen);
    const args: Expression[] = [];
    let castType: IToken | null = null;
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.expression)) });
    this.OPTION(() => {
      this.CONSUME(T.As);
      castType = this.OR([{ ALT: () => this.CONSUME2(T.Name) }, { ALT: () => this.CONSUME(T.Timestamp) }]);
    });
    this.CONSUME(T.RParen);
    return this.ACTION(() => functionOf(fn, args, castType));
  });

  private groupByClause = this.RULE('groupByClause', (): GroupBy => {
    this.CONSUME(T.Group);
    this.CONSUME(T.By);
    let time: GroupByTime | null = null;
    let levels: readonly number[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () =>
        this.OR([
          {
            ALT: () => {
              const token = this.LA(1);
              const t = this.SUBRULE(this.groupByTime);
              this.ACTION(() => {
                if (time !== null) throw syntaxError(token, 'GROUP BY has two time clauses');
                time = t;
              });
            },
          },
          {
            ALT: () => {
              const token = this.CONSUME(T.Level);
              this.SUBRULE(this.equalsSign);
              const list = [this.SUBRULE(this.unsignedInteger)];
              this.MANY({
                GATE: () => tokenMatcher(this.LA(2), T.IntegerLiteral),
                DEF: () => {
                  this.CONSUME(T.Comma);
                  list.push(this.SUBRULE2(this.unsignedInteger));
                },
              });
              this.ACTION(() => {
                if (levels.length > 0) throw syntaxError(token, 'GROUP BY has two LEVEL clauses');
                levels = list;
              });
            },
          },
        ]),
    });
    return { time, levels };
  });

  /** `[TIME] ([start, end), interval[, sliding])`, the range optional, `(start, end]` left-open. */
  private groupByTime = this.RULE('groupByTime', (): GroupByTime => {
    this.OPTION(() => this.CONSUME(T.Time));
    this.CONSUME(T.LParen);
    const range = this.OPTION2(() => {
      const r = this.OR([
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            const start = this.SUBRULE(this.timeValue);
            this.CONSUME(T.Comma);
            const end = this.SUBRULE2(this.timeValue);
            this.CONSUME2(T.RParen);
            return { start, end, leftOpen: false };
          },
        },
        {
          ALT: () => {
            this.CONSUME2(T.LParen);
            const start = this.SUBRULE3(this.timeValue);
            this.CONSUME2(T.Comma);
            const end = this.SUBRULE4(this.timeValue);
            this.CONSUME(T.RBracket);
            return { start, end, leftOpen: true };
          },
        },
      ]);
      this.CONSUME3(T.Comma);
      return r;
    });
    const interval = this.SUBRULE(this.duration);
    const sliding =
      this.OPTION3(() => {
        this.CONSUME4(T.Comma);
        return this.SUBRULE2(this.duration);
      }) ?? null;
    this.CONSUME3(T.RParen);
    return {
      start: range?.start ?? null,
      end: range?.end ?? null,
      leftOpen: range?.leftOpen ?? false,
      interval,
      sliding,
    };
  });

  private orderByClause = this.RULE('orderByClause', (): OrderByItem[] => {
    this.CONSUME(T.Order);
    this.CONSUME(T.By);
    const items: OrderByItem[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const key = this.OR([
          {
            ALT: () => {
              this.SUBRULE(this.timeWord);
              return 'time' as const;
            },
          },
          { ALT: () => this.yields(T.Device, 'device' as const) },
          { ALT: () => this.yields(T.Timeseries, 'timeseries' as const) },
        ]);
        const direction =
          this.OPTION(() =>
            this.OR2([
              { ALT: () => this.yields(T.Asc, 'asc' as const) },
              { ALT: () => this.yields(T.Desc, 'desc' as const) },
            ]),
          ) ?? 'asc';
        items.push({ key, direction });
      },
    });
    return items;
  });

  /** LIMIT, OFFSET, SLIMIT and SOFFSET in any order, each at most once. */
  private pagination = this.RULE('pagination', (): Pagination => {
    const page: Record<PaginationKey, number | null> = { limit: null, offset: null, slimit: null, soffset: null };
    this.MANY(() => {
      const picked = this.OR<readonly [IToken, PaginationKey]>([
        { ALT: () => [this.CONSUME(T.Limit), 'limit'] as const },
        { ALT: () => [this.CONSUME(T.Offset), 'offset'] as const },
        { ALT: () => [this.CONSUME(T.SLimit), 'slimit'] as const },
        { ALT: () => [this.CONSUME(T.SOffset), 'soffset'] as const },
      ]);
      const n = this.SUBRULE(this.unsignedInteger);
      this.ACTION(() => {
        const [token, key] = picked;
        if (page[key] !== null) throw syntaxError(token, `${token.image.toUpperCase()} is given twice`);
        page[key] = n;
      });
    });
    return page;
  });

  /** LIMIT and OFFSET (of SHOW statements), in either order. */
  private rowPagination = this.RULE('rowPagination', (): { limit: number | null; offset: number | null } => {
    const page: { limit: number | null; offset: number | null } = { limit: null, offset: null };
    this.MANY(() => {
      const picked = this.OR<readonly [IToken, 'limit' | 'offset']>([
        { ALT: () => [this.CONSUME(T.Limit), 'limit'] as const },
        { ALT: () => [this.CONSUME(T.Offset), 'offset'] as const },
      ]);
      const n = this.SUBRULE(this.unsignedInteger);
      this.ACTION(() => {
        const [token, key] = picked;
        if (page[key] !== null) throw syntaxError(token, `${token.image.toUpperCase()} is given twice`);
        page[key] = n;
      });
    });
    return page;
  });

  // -------------------------------------------------------------------------------------
  // WHERE

  private whereClause = this.RULE('whereClause', (): Predicate => {
    this.CONSUME(T.Where);
    return this.SUBRULE(this.orPredicate);
  });

  private orPredicate = this.RULE('orPredicate', (): Predicate => {
    let left = this.SUBRULE(this.andPredicate);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Or) },
        { ALT: () => this.CONSUME(T.DoublePipe) },
        { ALT: () => this.CONSUME(T.VerticalBar) },
      ]);
      const right = this.SUBRULE2(this.andPredicate);
      left = { kind: 'or', left, right };
    });
    return left;
  });

  private andPredicate = this.RULE('andPredicate', (): Predicate => {
    let left = this.SUBRULE(this.notPredicate);
    this.MANY(() => {
      this.SUBRULE(this.andWord);
      const right = this.SUBRULE2(this.notPredicate);
      left = { kind: 'and', left, right };
    });
    return left;
  });

  private andWord = this.RULE('andWord', (): void => {
    this.OR([
      { ALT: () => this.CONSUME(T.And) },
      { ALT: () => this.CONSUME(T.DoubleAmpersand) },
      { ALT: () => this.CONSUME(T.Ampersand) },
    ]);
  });

  private notPredicate = this.RULE(
    'notPredicate',
    (): Predicate =>
      this.OR({
        // NOT is also a name, but a predicate never starts with a series named `not`.
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            ALT: () => {
              this.OR2([{ ALT: () => this.CONSUME(T.Not) }, { ALT: () => this.CONSUME(T.Bang) }]);
              const operand = this.SUBRULE(this.notPredicate);
              return { kind: 'not', operand } as const;
            },
          },
          {
            // `(s1 + s2) > 3` opens a comparison, `(s1 > 3 or s2 < 1)` a group of conditions.
            GATE: () => !this.parenthesisOpensOperand(),
            ALT: () => {
              this.CONSUME(T.LParen);
              const inner = this.SUBRULE(this.orPredicate);
              this.CONSUME(T.RParen);
              return inner;
            },
          },
          { ALT: () => this.SUBRULE(this.comparison) },
        ],
      }),
  );

  private comparison = this.RULE('comparison', (): Predicate => {
    const left = this.SUBRULE(this.operand);
    return this.OR([
      {
        ALT: () => {
          const op = this.SUBRULE(this.compareOperator);
          const right = this.SUBRULE2(this.operand);
          return { kind: 'compare', op, left, right } as const;
        },
      },
      {
        ALT: () => {
          const negated = this.OPTION(() => this.CONSUME(T.Not)) !== undefined;
          this.CONSUME(T.Between);
          const low = this.SUBRULE3(this.operand);
          this.SUBRULE(this.andWord);
          const high = this.SUBRULE4(this.operand);
          return { kind: 'between', operand: left, low, high, negated } as const;
        },
      },
      {
        ALT: () => {
          const negated = this.OPTION2(() => this.CONSUME2(T.Not)) !== undefined;
          this.CONSUME(T.In);
          this.CONSUME(T.LParen);
          const values: Literal[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => values.push(this.SUBRULE(this.literal)) });
          this.CONSUME(T.RParen);
          return { kind: 'in', operand: left, values, negated } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Is);
          const negated = this.OPTION3(() => this.CONSUME3(T.Not)) !== undefined;
          this.CONSUME(T.Null);
          return { kind: 'is-null', operand: left, negated } as const;
        },
      },
    ]);
  });

  private compareOperator = this.RULE(
    'compareOperator',
    (): CompareOperator =>
      this.OR([
        {
          ALT: () => {
            this.SUBRULE(this.equalsSign);
            return '=' as const;
          },
        },
        { ALT: () => this.yields(T.NotEquals, '!=' as const) },
        { ALT: () => this.yields(T.LessEquals, '<=' as const) },
        { ALT: () => this.yields(T.GreaterEquals, '>=' as const) },
        { ALT: () => this.yields(T.Less, '<' as const) },
        { ALT: () => this.yields(T.Greater, '>' as const) },
      ]),
  );

  private operand = this.RULE('operand', (): Operand => {
    const expression = this.SUBRULE(this.expression);
    return this.ACTION(() => operandOf(expression));
  });

  // -------------------------------------------------------------------------------------
  // Utility statements

  private flushStatement = this.RULE('flushStatement', (): Statement => {
    this.CONSUME(T.Flush);
    const databases: SqlPath[] = [];
    this.MANY_SEP({ SEP: T.Comma, DEF: () => databases.push(this.SUBRULE(this.fullPath)) });
    const sequence =
      this.OPTION(() =>
        this.OR([{ ALT: () => this.yields(T.True, true) }, { ALT: () => this.yields(T.False, false) }]),
      ) ?? null;
    const scope =
      this.OPTION2(() => {
        this.CONSUME(T.On);
        return this.OR2([
          { ALT: () => this.yields(T.Local, 'local' as const) },
          { ALT: () => this.yields(T.Cluster, 'cluster' as const) },
        ]);
      }) ?? null;
    return { kind: 'flush', databases, sequence, scope };
  });

  private loadStatement = this.RULE('loadStatement', (): Statement => {
    this.CONSUME(T.Load);
    const file = this.SUBRULE(this.stringLiteral);
    const attributes = this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => tokenMatcher(this.LA(2), T.LParen),
          ALT: () => {
            this.CONSUME(T.With);
            return this.SUBRULE(this.stringAttributeList);
          },
        },
        {
          ALT: () => {
            const list: (readonly [string, string])[] = [];
            this.MANY(() => {
              this.OPTION(() => this.CONSUME(T.Comma));
              const key = this.SUBRULE(this.name);
              this.SUBRULE(this.equalsSign);
              const value = this.SUBRULE(this.attributeWord);
              this.ACTION(() => list.push([key.toLowerCase(), value.value]));
            });
            return list;
          },
        },
      ],
    });
    return { kind: 'load-tsfile', file, attributes };
  });

  // -------------------------------------------------------------------------------------
  // Users

  private createUserTail = this.RULE('createUserTail', (): Statement => {
    this.CONSUME(T.User);
    const user = this.SUBRULE(this.userName);
    const password = this.SUBRULE(this.stringLiteral);
    return { kind: 'create-user', user, password };
  });

  private alterUserStatement = this.RULE('alterUserStatement', (): Statement => {
    this.CONSUME(T.Alter);
    this.CONSUME(T.User);
    const user = this.SUBRULE(this.userName);
    this.CONSUME(T.SetKeyword);
    this.CONSUME(T.Password);
    const password = this.SUBRULE(this.stringLiteral);
    return { kind: 'alter-user-password', user, password };
  });

  /** IoTDB 1.2's `USER u PRIVILEGES P1, P2 [ON path, ...]`, after GRANT or REVOKE. */
  private legacyPrivilegeClause = this.RULE('legacyPrivilegeClause', () => {
    this.CONSUME(T.User);
    const user = this.SUBRULE(this.userName);
    this.CONSUME(T.Privileges);
    const privileges = this.SUBRULE(this.privilegeList);
    const paths = this.OPTION(() => {
      this.CONSUME(T.On);
      return this.SUBRULE(this.pathPatternList);
    });
    return { user, privileges, paths: paths ?? [] };
  });

  private grantStatement = this.RULE('grantStatement', (): Statement => {
    this.CONSUME(T.Grant);
    return this.OR([
      {
        ALT: () => {
          const { user, privileges, paths } = this.SUBRULE(this.legacyPrivilegeClause);
          return { kind: 'grant', user, privileges, paths, grantOption: false, style: 'legacy' } as const;
        },
      },
      {
        ALT: () => {
          const privileges = this.SUBRULE2(this.privilegeList);
          this.CONSUME2(T.On);
          const paths = this.SUBRULE2(this.pathPatternList);
          this.CONSUME(T.To);
          this.CONSUME2(T.User);
          const user = this.SUBRULE2(this.userName);
          const grantOption =
            this.OPTION2(() => {
              this.CONSUME(T.With);
              this.CONSUME2(T.Grant);
              this.CONSUME(T.Option);
              return true;
            }) ?? false;
          return { kind: 'grant', user, privileges, paths, grantOption, style: 'current' } as const;
        },
      },
    ]);
  });

  private revokeStatement = this.RULE('revokeStatement', (): Statement => {
    this.CONSUME(T.Revoke);
    return this.OR([
      {
        ALT: () => {
          const { user, privileges, paths } = this.SUBRULE(this.legacyPrivilegeClause);
          return { kind: 'revoke', user, privileges, paths, style: 'legacy' } as const;
        },
      },
      {
        ALT: () => {
          const privileges = this.SUBRULE2(this.privilegeList);
          this.CONSUME2(T.On);
          const paths = this.SUBRULE2(this.pathPatternList);
          this.CONSUME(T.From);
          this.CONSUME2(T.User);
          const user = this.SUBRULE2(this.userName);
          return { kind: 'revoke', user, privileges, paths, style: 'current' } as const;
        },
      },
    ]);
  });

  private privilegeList = this.RULE('privilegeList', (): string[] => {
    const list: string[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const token = this.CONSUME(T.Identifier);
        this.ACTION(() => {
          if (!isPrivilegeName(token.image)) throw syntaxError(token, `unknown privilege ${token.image}`);
          list.push(token.image.toUpperCase());
        });
      },
    });
    return list;
  });

  private listStatement = this.RULE('listStatement', (): Statement => {
    this.CONSUME(T.List);
    return this.OR([
      { ALT: () => this.yields(T.User, { kind: 'list-user' } as const) },
      {
        ALT: () => {
          this.CONSUME(T.Privileges);
          this.OPTION(() => this.CONSUME(T.Of));
          this.CONSUME2(T.User);
          const user = this.SUBRULE(this.userName);
          const paths =
            this.OPTION2(() => {
              this.CONSUME(T.On);
              return this.SUBRULE(this.pathPatternList);
            }) ?? [];
          return { kind: 'list-privileges', user, paths } as const;
        },
      },
    ]);
  });

  /** A user name; `root` is a user although it is a reserved word. */
  private userName = this.RULE('userName', (): string =>
    this.OR([{ ALT: () => this.SUBRULE(this.name) }, { ALT: () => this.yields(T.Root, 'root') }]),
  );

  // -------------------------------------------------------------------------------------
  // Pipes

  private createPipeTail = this.RULE('createPipeTail', (): Statement => {
    this.CONSUME(T.Pipe);
    const ifNotExists = this.SUBRULE(this.ifNotExists);
    const pipeName = this.SUBRULE(this.name);
    const extractor =
      this.OPTION(() => {
        this.CONSUME(T.With);
        const word = this.OR([
          { ALT: () => this.yields(T.Extractor, 'extractor' as const) },
          { ALT: () => this.yields(T.Source, 'source' as const) },
        ]);
        const attributes = this.SUBRULE(this.stringAttributeList);
        return { word, attributes };
      }) ?? null;
    const processor =
      this.OPTION2(() => {
        this.CONSUME2(T.With);
        this.CONSUME(T.Processor);
        const attributes = this.SUBRULE2(this.stringAttributeList);
        const clause: PipeClause<'processor'> = { word: 'processor', attributes };
        return clause;
      }) ?? null;
    this.CONSUME3(T.With);
    const word = this.OR2([
      { ALT: () => this.yields(T.Connector, 'connector' as const) },
      { ALT: () => this.yields(T.Sink, 'sink' as const) },
    ]);
    const attributes = this.SUBRULE3(this.stringAttributeList);
    return { kind: 'create-pipe', pipeName, ifNotExists, extractor, processor, connector: { word, attributes } };
  });

  private alterPipeStatement = this.RULE('alterPipeStatement', (): Statement => {
    this.CONSUME(T.Alter);
    this.CONSUME(T.Pipe);
    const ifExists = this.SUBRULE(this.ifExists);
    const pipeName = this.SUBRULE(this.name);
    const extractor =
      this.OPTION(() => {
        const mode = this.SUBRULE(this.alterMode);
        const word = this.OR([
          { ALT: () => this.yields(T.Extractor, 'extractor' as const) },
          { ALT: () => this.yields(T.Source, 'source' as const) },
        ]);
        return { mode, word, attributes: this.SUBRULE(this.stringAttributeList) };
      }) ?? null;
    const processor =
      this.OPTION2(() => {
        const mode = this.SUBRULE2(this.alterMode);
        const word = this.yields(T.Processor, 'processor' as const);
        return { mode, word, attributes: this.SUBRULE2(this.stringAttributeList) };
      }) ?? null;
    const connector =
      this.OPTION3(() => {
        const mode = this.SUBRULE3(this.alterMode);
        const word = this.OR2([
          { ALT: () => this.yields(T.Connector, 'connector' as const) },
          { ALT: () => this.yields(T.Sink, 'sink' as const) },
        ]);
        return { mode, word, attributes: this.SUBRULE3(this.stringAttributeList) };
      }) ?? null;
    return { kind: 'alter-pipe', pipeName, ifExists, extractor, processor, connector };
  });

  private alterMode = this.RULE('alterMode', (): 'modify' | 'replace' =>
    this.OR([
      { ALT: () => this.yields(T.Modify, 'modify' as const) },
      { ALT: () => this.yields(T.Replace, 'replace' as const) },
    ]),
  );

  /** `('k'='v', ...)` with an optional trailing comma, keys and values string literals. */
  private stringAttributeList = this.RULE('stringAttributeList', (): AttributeList => {
    const list: (readonly [string, string])[] = [];
    this.CONSUME(T.LParen);
    this.MANY(() => {
      const key = this.CONSUME(T.StringLiteral);
      this.CONSUME(T.Equals);
      const value = this.CONSUME2(T.StringLiteral);
      this.ACTION(() => list.push([stringValue(key), stringValue(value)]));
      this.OR([
        { ALT: () => this.CONSUME(T.Comma) },
        { GATE: () => tokenMatcher(this.LA(1), T.RParen), ALT: () => undefined },
      ]);
    });
    this.CONSUME(T.RParen);
    return list;
  });

  private startPipeStatement = this.RULE('startPipeStatement', (): Statement => {
    this.CONSUME(T.Start);
    this.CONSUME(T.Pipe);
    return { kind: 'start-pipe', pipeName: this.SUBRULE(this.name) };
  });

  private stopPipeStatement = this.RULE('stopPipeStatement', (): Statement => {
    this.CONSUME(T.Stop);
    this.CONSUME(T.Pipe);
    return { kind: 'stop-pipe', pipeName: this.SUBRULE(this.name) };
  });

  private createPipePluginTail = this.RULE('createPipePluginTail', (): Statement => {
    this.CONSUME(T.PipePlugin);
    const ifNotExists = this.SUBRULE(this.ifNotExists);
    const pluginName = this.SUBRULE(this.name);
    this.CONSUME(T.As);
    const className = this.SUBRULE(this.stringLiteral);
    this.CONSUME(T.Using);
    this.CONSUME(T.Uri);
    const uri = this.SUBRULE2(this.stringLiteral);
    return { kind: 'create-pipeplugin', pluginName, ifNotExists, className, uri };
  });

  private ifNotExists = this.RULE(
    'ifNotExists',
    (): boolean =>
      this.OPTION(() => {
        this.CONSUME(T.If);
        this.CONSUME(T.Not);
        this.CONSUME(T.Exists);
        return true;
      }) ?? false,
  );

  private ifExists = this.RULE(
    'ifExists',
    (): boolean =>
      this.OPTION(() => {
        this.CONSUME(T.If);
        this.CONSUME(T.Exists);
        return true;
      }) ?? false,
  );

  // -------------------------------------------------------------------------------------
  // Paths and names

  /** `root.a.b`, no wildcards. */
  private fullPath = this.RULE('fullPath', (): SqlPath => {
    this.CONSUME(T.Root);
    const nodes = ['root'];
    this.MANY(() => {
      this.CONSUME(T.Dot);
      nodes.push(this.SUBRULE(this.nodeName));
    });
    return this.ACTION(() => pathOf(nodes));
  });

  /** `root.a.*.**`. */
  private pathPattern = this.RULE('pathPattern', (): SqlPath => {
    this.CONSUME(T.Root);
    const nodes = ['root'];
    this.MANY(() => {
      this.CONSUME(T.Dot);
      nodes.push(this.SUBRULE(this.patternNode, { ARGS: [true] }));
    });
    return this.ACTION(() => pathOf(nodes));
  });

  private pathPatternList = this.RULE('pathPatternList', (): SqlPath[] => {
    const list: SqlPath[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => list.push(this.SUBRULE(this.pathPattern)) });
    return list;
  });

  /** A series in an expression: a pattern from root, or a suffix of the FROM prefixes. */
  private expressionPath = this.RULE('expressionPath', (): { path: SqlPath; absolute: boolean } =>
    this.OR([
      { ALT: () => ({ path: this.SUBRULE(this.pathPattern), absolute: true }) },
      {
        ALT: () => {
          const nodes = [this.SUBRULE(this.patternNode)];
          this.MANY(() => {
            this.CONSUME(T.Dot);
            nodes.push(this.SUBRULE2(this.patternNode));
          });
          return { path: this.ACTION(() => pathOf(nodes)), absolute: false };
        },
      },
    ]),
  );

  /**
   * A pattern node: `*`, `**`, a name, or a name with wildcards inside (`d*`, `*_temp`,
   * `s*x`), IoTDB's `wildcard? identifier (wildcard identifier)* wildcard?`. The pieces of
   * one node touch each other: `s1 * s2` (spaced) is a product, `s1*s2` one node.
   */
  private patternNode = this.RULE('patternNode', (rooted = false): string => {
    const pieces: IToken[] = [];
    const first = this.OR([
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.CONSUME(T.DoubleStar) },
      { ALT: () => this.CONSUME(T.Name) },
    ]);
    pieces.push(first);
    this.MANY({
      GATE: () =>
        gluesTo(pieces[pieces.length - 1]!, this.LA(1), rooted) &&
        // `s1*2` in a select list is a product: the star does not join s1 when digits follow it.
        (rooted || !(this.LA(2).tokenType === T.IntegerLiteral && gluesTo(this.LA(1), this.LA(2), true))),
      DEF: () => {
        const piece = this.OR2([
          { ALT: () => this.CONSUME2(T.Star) },
          { ALT: () => this.CONSUME2(T.DoubleStar) },
          { ALT: () => this.CONSUME2(T.Name) },
          { ALT: () => this.CONSUME(T.IntegerLiteral) },
        ]);
        pieces.push(piece);
      },
    });
    return this.ACTION(() => {
      if (pieces.length === 1) {
        const only = pieces[0]!;
        if (only.tokenType === T.Star) return '*';
        if (only.tokenType === T.DoubleStar) return '**';
        const text = nameText(only);
        if (isWildcard(text)) throw syntaxError(only, `no node may be named ${text}`);
        return text;
      }
      return pieces.map((p) => p.image).join('');
    });
  });

  /** A node name, unquoted; a backquoted `*` or `**` would pass for a wildcard, so it is refused. */
  private nodeName = this.RULE('nodeName', (): string => {
    const token = this.CONSUME(T.Name);
    return this.ACTION(() => {
      const text = nameText(token);
      if (isWildcard(text)) throw syntaxError(token, `no node may be named ${text}`);
      return text;
    });
  });

  /** A name (user, pipe, plugin): an identifier, a non-reserved keyword or a backquoted text. */
  private name = this.RULE('name', (): string => {
    const token = this.CONSUME(T.Name);
    return this.ACTION(() => nameText(token));
  });

  // -------------------------------------------------------------------------------------
  // Literals

  private literal = this.RULE(
    'literal',
    (): Literal =>
      this.OR([
        { ALT: () => this.SUBRULE(this.signedNumber) },
        { ALT: () => ({ kind: 'float', text: this.CONSUME(T.NaNKeyword).image, value: Number.NaN }) as const },
        { ALT: () => ({ kind: 'string', value: this.SUBRULE(this.stringLiteral) }) as const },
        { ALT: () => this.SUBRULE(this.binaryLiteral) },
        { ALT: () => this.yields(T.True, { kind: 'boolean', value: true } as const) },
        { ALT: () => this.yields(T.False, { kind: 'boolean', value: false } as const) },
        { ALT: () => this.yields(T.Null, { kind: 'null' } as const) },
        { ALT: () => this.SUBRULE(this.pointInTime) },
      ]),
  );

  /** A GROUP BY bound: an integer, a datetime or now(). */
  private timeValue = this.RULE(
    'timeValue',
    (): TimeValue =>
      this.OR([
        {
          ALT: () => {
            const token = this.LA(1);
            const n = this.SUBRULE(this.signedNumber);
            return this.ACTION(() => {
              if (n.kind !== 'integer') throw syntaxError(token, `a time must be an integer, not ${n.text}`);
              return n;
            });
          },
        },
        { ALT: () => this.SUBRULE(this.pointInTime) },
      ]),
  );

  /** A datetime or `now()`, each with `+ 1d`-style shifts. */
  private pointInTime = this.RULE('pointInTime', (): TimeValue => {
    const start = this.OR([
      { ALT: () => this.CONSUME(T.DatetimeLiteral) },
      {
        ALT: () => {
          const now = this.CONSUME(T.Now);
          this.CONSUME(T.LParen);
          this.CONSUME(T.RParen);
          return now;
        },
      },
    ]);
    const shifts: DurationShift[] = [];
    this.MANY(() => {
      const sign = this.OR2([
        { ALT: () => this.yields(T.Plus, 1 as const) },
        { ALT: () => this.yields(T.Minus, -1 as const) },
      ]);
      const duration = this.SUBRULE(this.duration);
      shifts.push({ sign, duration });
    });
    return this.ACTION((): TimeValue => {
      if (start.tokenType === T.Now) return { kind: 'now', shifts };
      try {
        return parseDatetime(start.image, this.timeZone, shifts);
      } catch (e) {
        if (e instanceof DatetimeError) throw syntaxError(start, `invalid datetime: ${e.message}`);
        throw e;
      }
    });
  });

  private duration = this.RULE('duration', (): Duration => {
    const token = this.CONSUME(T.DurationLiteral);
    return this.ACTION(() => parseDuration(token.image)!);
  });

  private signedNumber = this.RULE('signedNumber', (): IntegerLiteral | FloatLiteral => {
    const sign = this.OPTION(() =>
      this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]),
    );
    const token = this.OR2([
      { ALT: () => this.CONSUME(T.IntegerLiteral) },
      { ALT: () => this.CONSUME(T.FloatLiteral) },
      { ALT: () => this.CONSUME(T.LeadingDotFloat) },
    ]);
    return this.ACTION(() => {
      const text = sign?.image === '-' ? `-${token.image}` : token.image;
      if (token.tokenType === T.IntegerLiteral) return { kind: 'integer', text, value: BigInt(text) };
      return { kind: 'float', text, value: Number(text) };
    });
  });

  private stringLiteral = this.RULE('stringLiteral', (): string => {
    const token = this.CONSUME(T.StringLiteral);
    return this.ACTION(() => stringValue(token));
  });

  private binaryLiteral = this.RULE('binaryLiteral', (): BinaryLiteral => {
    const token = this.CONSUME(T.BinaryLiteral);
    return this.ACTION(() => {
      const digits = token.image.slice(2, -1);
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) {
        throw syntaxError(token, `${token.image} is not a binary literal: it needs an even number of hex digits`);
      }
      return { kind: 'binary', text: token.image, value: new Uint8Array(Buffer.from(digits, 'hex')) };
    });
  });

  private unsignedInteger = this.RULE('unsignedInteger', (): number => {
    const token = this.CONSUME(T.IntegerLiteral);
    return this.ACTION(() => {
      const n = Number(token.image);
      if (!Number.isSafeInteger(n)) throw syntaxError(token, `${token.image} is too large`);
      return n;
    });
  });

  private equalsSign = this.RULE('equalsSign', (): void => {
    this.OR([{ ALT: () => this.CONSUME(T.Equals) }, { ALT: () => this.CONSUME(T.DoubleEquals) }]);
  });

  /** Consumes a keyword that stands for a value (`ASC` for 'asc'); `idx` as in CONSUME1..9. */
  private yields<V>(token: TokenType, value: V, idx = 0): V {
    this.consume(idx, token);
    return value;
  }

  /**
   * Whether the `(` at LA(1) wraps an arithmetic operand: the token after its `)` goes on
   * with an operator or a comparison rather than ending a condition.
   */
  private parenthesisOpensOperand(): boolean {
    let depth = 0;
    for (let k = 1; ; k++) {
      const t = this.LA(k);
      if (t.tokenType.name === 'EOF') return false;
      if (tokenMatcher(t, T.LParen)) depth++;
      else if (tokenMatcher(t, T.RParen) && --depth === 0) return isAnyOf(this.LA(k + 1), OPERAND_CONTINUATIONS);
    }
  }

  private isEqualsSign(token: IToken): boolean {
    return tokenMatcher(token, T.Equals) || tokenMatcher(token, T.DoubleEquals);
  }
}

// ---------------------------------------------------------------------------------------
// Building statements from what the rules read

/** Tokens that continue an operand or start its comparison, after a parenthesized operand. */
const OPERAND_CONTINUATIONS: readonly TokenType[] = [
  T.Plus,
  T.Minus,
  T.Star,
  T.Slash,
  T.Percent,
  T.Equals,
  T.DoubleEquals,
  T.NotEquals,
  T.Less,
  T.LessEquals,
  T.Greater,
  T.GreaterEquals,
  T.Between,
  T.In,
  T.Is,
  T.Not,
];

function isAnyOf(token: IToken, types: readonly TokenType[]): boolean {
  return types.some((t) => tokenMatcher(token, t));
}

function errorAt(token: IToken, detail: string, code: SqlErrorCode): SqlParseError {
  return new SqlParseError(token.startLine ?? 1, (token.startColumn ?? 1) - 1, token.image, detail, code);
}

function syntaxError(token: IToken, detail: string): SqlParseError {
  return errorAt(token, detail, StatusCode.SQL_PARSE_ERROR);
}

function semanticError(token: IToken, detail: string): SqlParseError {
  return errorAt(token, detail, StatusCode.SEMANTIC_ERROR);
}

/**
 * Whether `next` continues the pattern node ending with `last`: it touches it, one of the
 * two is a wildcard and neither is backquoted (`d*`, `*_temp`; not `` `d`* ``, not `d e`).
 * Digits after a wildcard (`d*1`) join only in a path from root: in a select list or a
 * WHERE, `s1*2` is a product.
 */
function gluesTo(last: IToken, next: IToken, rooted: boolean): boolean {
  if (next.startOffset !== last.endOffset! + 1) return false;
  const star = (t: IToken) => t.tokenType === T.Star || t.tokenType === T.DoubleStar;
  const bareName = (t: IToken) =>
    (tokenMatcher(t, T.Name) && t.tokenType !== T.QuotedIdentifier) || (rooted && t.tokenType === T.IntegerLiteral);
  return (star(last) && bareName(next)) || (bareName(last) && star(next)) || (star(last) && star(next));
}

/** `-x`: a negative literal when x is a number, so `time > -5` stays a time bound. */
function negated(operand: Expression): Expression {
  if (operand.kind === 'integer' && !operand.text.startsWith('-')) {
    return { kind: 'integer', text: `-${operand.text}`, value: -operand.value };
  }
  if (operand.kind === 'float' && !operand.text.startsWith('-')) {
    return { kind: 'float', text: `-${operand.text}`, value: -operand.value };
  }
  return { kind: 'negate', operand };
}

function functionOf(fn: IToken, args: Expression[], castType: IToken | null): Expression {
  const name = fn.tokenType === T.QuotedIdentifier ? '' : fn.image.toLowerCase();
  const known = (AGGREGATIONS as readonly string[]).includes(name) || SCALAR_FUNCTIONS.includes(name);
  if (!known) throw semanticError(fn, `unknown function ${fn.image}`);
  if ((name === 'cast') !== (castType !== null)) {
    throw semanticError(fn, name === 'cast' ? 'CAST needs AS and a data type' : `${fn.image} takes no AS`);
  }
  return {
    kind: 'function',
    name: fn.image,
    args,
    castType: castType === null ? null : (castType as IToken).image.toUpperCase(),
  };
}

/** Whether an expression holds an aggregation anywhere. */
function hasAggregation(e: Expression): boolean {
  if (e.kind === 'function') {
    return (AGGREGATIONS as readonly string[]).includes(e.name.toLowerCase()) || e.args.some(hasAggregation);
  }
  if (e.kind === 'arithmetic') return hasAggregation(e.left) || hasAggregation(e.right);
  if (e.kind === 'negate') return hasAggregation(e.operand);
  return false;
}

/** A SELECT item from its expression: a series, an aggregation of one, or an expression. */
function selectItemOf(token: IToken, e: Expression, alias: string | null): SelectItem {
  if (e.kind === 'path') return { kind: 'series', path: e.path, absolute: e.absolute, alias };
  if (e.kind === 'function' && (AGGREGATIONS as readonly string[]).includes(e.name.toLowerCase())) {
    const arg = e.args[0]!;
    if (e.args.length !== 1 || arg.kind !== 'path') {
      throw semanticError(token, `${e.name} takes one series, not an expression`);
    }
    return {
      kind: 'aggregation',
      function: e.name.toLowerCase() as AggregationName,
      path: arg.path,
      absolute: arg.absolute,
      alias,
    };
  }
  if (hasAggregation(e)) throw semanticError(token, 'expressions of aggregations are not supported');
  return { kind: 'expression', expression: e, alias };
}

/** A WHERE operand: the time, a literal or a series as such, anything else an expression. */
function operandOf(e: Expression): Operand {
  switch (e.kind) {
    case 'negate':
    case 'arithmetic':
    case 'function':
      return { kind: 'expression', expression: e };
    default:
      return e;
  }
}

/** A name token's text: backquotes and doubled backquotes undone. */
function nameText(token: IToken): string {
  if (token.tokenType !== T.QuotedIdentifier) return token.image;
  const text = token.image.slice(1, -1).replaceAll('``', '`');
  if (text.length === 0) throw syntaxError(token, 'a quoted name may not be empty');
  return text;
}

function stringValue(token: IToken): string {
  const quote = token.image[0]!;
  return token.image.slice(1, -1).replaceAll(quote + quote, quote);
}

function seriesOptionsOf(
  alias: string | null,
  pairs: readonly AttributePair[],
  tags: AttributeList,
  attributes: AttributeList,
): SeriesOptions {
  const [first, ...rest] = pairs;
  if (first!.key !== null && first!.key.value.toUpperCase() !== 'DATATYPE') {
    throw semanticError(first!.key.token, `expecting DATATYPE, not ${first!.key.value}`);
  }
  let encoding: string | null = null;
  let compressor: string | null = null;
  for (const { key, value } of rest) {
    const word = key!.value.toUpperCase();
    if (word === 'ENCODING' && encoding === null) encoding = value.value.toUpperCase();
    else if ((word === 'COMPRESSOR' || word === 'COMPRESSION') && compressor === null) {
      compressor = value.value.toUpperCase();
    } else {
      throw semanticError(key!.token, `unsupported or repeated attribute ${key!.value}`);
    }
  }
  return { dataType: first!.value.value.toUpperCase(), encoding, compressor, alias, tags, attributes };
}

function insertOf(
  device: SqlPath,
  columns: readonly Located<string | null>[],
  aligned: boolean,
  rows: readonly { token: IToken; values: readonly Located<Literal>[] }[],
): Statement {
  const hasTime = columns[0]!.value === null;
  const misplacedTime = columns.slice(1).find((c) => c.value === null);
  if (misplacedTime !== undefined) throw semanticError(misplacedTime.token, 'the time column must come first');
  const measurements = columns.slice(hasTime ? 1 : 0).map((c) => c.value!);
  const insertRows: InsertRow[] = rows.map(({ token, values }) => {
    if (values.length !== columns.length) {
      throw semanticError(
        token,
        `the number of values (${values.length}) is not the number of columns (${columns.length})`,
      );
    }
    if (!hasTime) return { time: null, values: values.map((v) => v.value) };
    const time = values[0]!;
    if (time.value.kind !== 'integer' && time.value.kind !== 'datetime' && time.value.kind !== 'now') {
      throw semanticError(time.token, 'a time must be an integer, a datetime or now()');
    }
    return { time: time.value, values: values.slice(1).map((v) => v.value) };
  });
  return { kind: 'insert', device, measurements, aligned, rows: insertRows };
}

function selectOf(tail: SelectTail): Statement {
  const { items, alignBy, groupBy, fill, ...rest } = tail;
  return {
    kind: 'select',
    ...rest,
    items: items.map((i) => i.value),
    groupBy: groupBy?.value ?? null,
    fill: fill?.value ?? null,
    alignBy: alignBy?.value ?? 'time',
  };
}

function selectLastOf(select: IToken, tail: SelectTail): Statement {
  const { items, alignBy, groupBy, fill, ...rest } = tail;
  if (fill !== null) throw semanticError(fill.token, 'SELECT LAST cannot be filled');
  const series: SelectSeries[] = items.map((i) => {
    if (i.value.kind !== 'series') throw semanticError(i.token, 'SELECT LAST takes series, not aggregations');
    return i.value;
  });
  if (groupBy !== null) throw semanticError(groupBy.token, 'SELECT LAST cannot be grouped');
  if (alignBy !== null && alignBy.value === 'device') {
    throw semanticError(alignBy.token, 'SELECT LAST cannot be aligned by device');
  }
  if (series.length === 0) throw semanticError(select, 'SELECT LAST needs a series');
  return { kind: 'select-last', ...rest, items: series };
}
