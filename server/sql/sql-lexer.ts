/**
 * Tokens of IoTDB's SQL dialect. Keywords are case-insensitive. Every keyword except the
 * reserved ones (`root`, `time`, `timestamp`, `if`, `exists`) also belongs to the `Name`
 * category, so it can name a node, a user or a pipe, as in IoTDB; so do plain and
 * backquoted identifiers and duration literals (`root.sg.1d` is a path).
 *
 * Chevrotain tries patterns in order and keeps the first match, so longer or more specific
 * patterns come first, and a literal that an identifier could extend (`1s` in `1s1`,
 * `select` in `selection`) names Identifier as its `longer_alt`.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

const NAME_CHAR = /[0-9A-Za-z_\u2E80-\u9FFF`]/;

export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'ID' });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[0-9A-Za-z_\u2E80-\u9FFF]+/,
  categories: [Name],
  label: 'ID',
});

export const QuotedIdentifier = createToken({
  name: 'QuotedIdentifier',
  pattern: /`(?:[^`]|``)*`/,
  categories: [Name],
  line_breaks: true,
  label: 'QUOTED_ID',
});

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /'(?:[^']|'')*'|"(?:[^"]|"")*"/,
  line_breaks: true,
  label: 'STRING_LITERAL',
});

/** IoTDB's BLOB literal, `X'0a1b'` (the digits are checked by the parser, for a clear message). */
export const BinaryLiteral = createToken({
  name: 'BinaryLiteral',
  pattern: /[xX]'[^']*'/,
  label: 'BINARY_LITERAL',
});

export const DatetimeLiteral = createToken({
  name: 'DatetimeLiteral',
  pattern:
    /[0-9]+(?:-[0-9]+-[0-9]+|\/[0-9]+\/[0-9]+|\.[0-9]+\.[0-9]+)(?:(?:[Tt]|[ \t]+)[0-9]+:[0-9]+:[0-9]+(?:\.[0-9]+)?(?:[+-][0-9]+:[0-9]+|[Zz])?)?/,
  label: 'DATETIME_LITERAL',
});

export const DurationLiteral = createToken({
  name: 'DurationLiteral',
  pattern: /(?:[0-9]+(?:mo|ms|us|ns|y|w|d|h|m|s))+/i,
  longer_alt: Identifier,
  categories: [Name],
  label: 'DURATION_LITERAL',
});

export const FloatLiteral = createToken({
  name: 'FloatLiteral',
  pattern: /[0-9]+\.[0-9]*(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+/,
  longer_alt: Identifier,
  label: 'FLOAT_LITERAL',
});

/**
 * `.5`: only where a dot cannot be a path separator, that is not right after a name, a
 * backquote or a closing bracket (`root.sg.5` is a dot and an illegal node).
 */
export const LeadingDotFloat = createToken({
  name: 'LeadingDotFloat',
  pattern: {
    exec: (text: string, offset: number): RegExpExecArray | null => {
      if (offset > 0 && (NAME_CHAR.test(text[offset - 1]!) || ')]'.includes(text[offset - 1]!))) return null;
      const re = /\.[0-9]+(?:[eE][+-]?[0-9]+)?/y;
      re.lastIndex = offset;
      return re.exec(text);
    },
  },
  start_chars_hint: ['.'],
  line_breaks: false,
  label: 'FLOAT_LITERAL',
});

export const IntegerLiteral = createToken({
  name: 'IntegerLiteral',
  pattern: /[0-9]+/,
  longer_alt: Identifier,
  label: 'INTEGER_LITERAL',
});

// ---------------------------------------------------------------------------------------
// Keywords

const RESERVED = new Set(['ROOT', 'TIME', 'TIMESTAMP', 'IF', 'EXISTS']);

function keyword(word: string): TokenType {
  return createToken({
    name: word,
    pattern: new RegExp(word, 'i'),
    longer_alt: Identifier,
    categories: RESERVED.has(word) ? [] : [Name],
    label: word,
  });
}

export const Align = keyword('ALIGN');
export const Aligned = keyword('ALIGNED');
export const Alter = keyword('ALTER');
export const And = keyword('AND');
export const As = keyword('AS');
export const Asc = keyword('ASC');
export const Attributes = keyword('ATTRIBUTES');
export const Between = keyword('BETWEEN');
export const By = keyword('BY');
export const Cluster = keyword('CLUSTER');
export const Connector = keyword('CONNECTOR');
export const Count = keyword('COUNT');
export const Create = keyword('CREATE');
export const Database = keyword('DATABASE');
export const Databases = keyword('DATABASES');
export const Delete = keyword('DELETE');
export const Desc = keyword('DESC');
export const Details = keyword('DETAILS');
export const Device = keyword('DEVICE');
export const Devices = keyword('DEVICES');
export const Drop = keyword('DROP');
export const Exists = keyword('EXISTS');
export const Extractor = keyword('EXTRACTOR');
export const False = keyword('FALSE');
export const Fill = keyword('FILL');
export const Flush = keyword('FLUSH');
export const From = keyword('FROM');
export const Grant = keyword('GRANT');
export const Group = keyword('GROUP');
export const If = keyword('IF');
export const In = keyword('IN');
export const Insert = keyword('INSERT');
export const Into = keyword('INTO');
export const Is = keyword('IS');
export const Last = keyword('LAST');
export const Level = keyword('LEVEL');
export const Linear = keyword('LINEAR');
export const Limit = keyword('LIMIT');
export const List = keyword('LIST');
export const Load = keyword('LOAD');
export const Local = keyword('LOCAL');
export const Modify = keyword('MODIFY');
export const NaNKeyword = keyword('NAN');
export const Not = keyword('NOT');
export const Now = keyword('NOW');
export const Null = keyword('NULL');
export const Of = keyword('OF');
export const Offset = keyword('OFFSET');
export const On = keyword('ON');
export const Option = keyword('OPTION');
export const Or = keyword('OR');
export const Order = keyword('ORDER');
export const Password = keyword('PASSWORD');
export const Pipe = keyword('PIPE');
export const PipePlugin = keyword('PIPEPLUGIN');
export const PipePlugins = keyword('PIPEPLUGINS');
export const Pipes = keyword('PIPES');
export const Previous = keyword('PREVIOUS');
export const Privileges = keyword('PRIVILEGES');
export const Processor = keyword('PROCESSOR');
export const Progress = keyword('PROGRESS');
export const Replace = keyword('REPLACE');
export const Revoke = keyword('REVOKE');
export const Root = keyword('ROOT');
export const Select = keyword('SELECT');
export const SetKeyword = keyword('SET');
export const Show = keyword('SHOW');
export const Sink = keyword('SINK');
export const SLimit = keyword('SLIMIT');
export const SOffset = keyword('SOFFSET');
export const Source = keyword('SOURCE');
export const Start = keyword('START');
export const Stop = keyword('STOP');
export const Storage = keyword('STORAGE');
export const Tags = keyword('TAGS');
export const Time = keyword('TIME');
export const Timeseries = keyword('TIMESERIES');
export const Timestamp = keyword('TIMESTAMP');
export const To = keyword('TO');
export const True = keyword('TRUE');
export const Uri = keyword('URI');
export const Used = keyword('USED');
export const User = keyword('USER');
export const Using = keyword('USING');
export const Values = keyword('VALUES');
export const Version = keyword('VERSION');
export const Where = keyword('WHERE');
export const With = keyword('WITH');

// ---------------------------------------------------------------------------------------
// Punctuation and operators

function symbol(name: string, text: string, label = `'${text}'`): TokenType {
  return createToken({ name, pattern: text, label });
}

export const DoubleStar = symbol('DoubleStar', '**');
export const Star = symbol('Star', '*');
export const LParen = symbol('LParen', '(');
export const RParen = symbol('RParen', ')');
export const LBracket = symbol('LBracket', '[');
export const RBracket = symbol('RBracket', ']');
export const Comma = symbol('Comma', ',');
export const Semicolon = symbol('Semicolon', ';');
export const Dot = symbol('Dot', '.');
export const DoubleEquals = symbol('DoubleEquals', '==');
export const Equals = symbol('Equals', '=');
export const NotEquals = createToken({ name: 'NotEquals', pattern: /!=|<>/, label: "'!='" });
export const LessEquals = symbol('LessEquals', '<=');
export const GreaterEquals = symbol('GreaterEquals', '>=');
export const Less = symbol('Less', '<');
export const Greater = symbol('Greater', '>');
export const DoubleAmpersand = symbol('DoubleAmpersand', '&&');
export const Ampersand = symbol('Ampersand', '&');
export const DoublePipe = symbol('DoublePipe', '||');
export const VerticalBar = symbol('VerticalBar', '|');
export const Bang = symbol('Bang', '!');
export const Plus = symbol('Plus', '+');
export const Minus = symbol('Minus', '-');
/** `/`, not where it opens a comment (`/*` without an end stays an error about the comment). */
export const Slash = createToken({ name: 'Slash', pattern: /\/(?![*/])/, label: "'/'" });
export const Percent = symbol('Percent', '%');

const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\v\f]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

const LineComment = createToken({
  name: 'LineComment',
  pattern: /(?:--|\/\/)[^\r\n]*/,
  group: Lexer.SKIPPED,
});

const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

const KEYWORDS: readonly TokenType[] = [
  Align,
  Aligned,
  Alter,
  And,
  As,
  Asc,
  Attributes,
  Between,
  By,
  Cluster,
  Connector,
  Count,
  Create,
  Database,
  Databases,
  Delete,
  Desc,
  Details,
  Device,
  Devices,
  Drop,
  Exists,
  Extractor,
  False,
  Fill,
  Flush,
  From,
  Grant,
  Group,
  If,
  In,
  Insert,
  Into,
  Is,
  Last,
  Level,
  Linear,
  Limit,
  List,
  Load,
  Local,
  Modify,
  NaNKeyword,
  Not,
  Now,
  Null,
  Of,
  Offset,
  On,
  Option,
  Or,
  Order,
  Password,
  Pipe,
  PipePlugin,
  PipePlugins,
  Pipes,
  Previous,
  Privileges,
  Processor,
  Progress,
  Replace,
  Revoke,
  Root,
  Select,
  SetKeyword,
  Show,
  Sink,
  SLimit,
  SOffset,
  Source,
  Start,
  Stop,
  Storage,
  Tags,
  Time,
  Timeseries,
  Timestamp,
  To,
  True,
  Uri,
  Used,
  User,
  Using,
  Values,
  Version,
  Where,
  With,
];

/**
 * Every token type in matching order. A keyword that is a prefix of another (`PIPE`,
 * `PIPES`) must come after it, hence longest first.
 */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  StringLiteral,
  BinaryLiteral,
  QuotedIdentifier,
  DatetimeLiteral,
  DurationLiteral,
  FloatLiteral,
  LeadingDotFloat,
  IntegerLiteral,
  ...[...KEYWORDS].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
  Name,
  DoubleStar,
  Star,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Semicolon,
  Dot,
  DoubleEquals,
  Equals,
  NotEquals,
  LessEquals,
  GreaterEquals,
  Less,
  Greater,
  DoubleAmpersand,
  Ampersand,
  DoublePipe,
  VerticalBar,
  Bang,
  Plus,
  Minus,
  Slash,
  Percent,
];

export const sqlLexer = new Lexer([...ALL_TOKENS], { positionTracking: 'full', ensureOptimizations: false });
