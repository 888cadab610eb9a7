import { EngineError, StatusCode } from '../../engine/errors.js';
import type { ResultBlock, ResultColumn } from '../../protocol/result-block.js';
import { allocateColumn, DataType, dataTypeName, valueKind } from '../../tsfile/data-type.js';
import { formatJavaDouble, formatJavaFloat } from '../../tsfile/text/java-number-format.js';
import type { Expression, PathOperand } from '../sql/ast.js';
import { utf8 } from './value-conversion.js';

/**
 * Arithmetic and scalar functions over the rows of a block, IoTDB 1.3's rules ("Function
 * and Expression" reference): `+ - * / %` take numbers and give DOUBLE; unary `-` keeps
 * the type; math functions give DOUBLE (`abs` keeps the type); CAST converts as its
 * table says. A null operand gives null. Headers print as IoTDB prints expressions:
 * full paths, a binary operand that is itself binary in parentheses, `CAST(x AS T)`.
 */

/** The merged column a path occurrence stands for, and its header name. */
export interface BoundSeries {
  readonly index: number;
  readonly type: DataType;
  readonly name: string;
}

type Value = number | bigint | boolean | Uint8Array;
type RowFn = (block: ResultBlock, row: number) => Value | null;

export interface CompiledExpression {
  readonly name: string;
  readonly type: DataType;
  /** The expression's values over a block's rows. */
  evaluate(block: ResultBlock): ResultColumn;
}

const NUMERIC: ReadonlySet<DataType> = new Set([DataType.INT32, DataType.INT64, DataType.FLOAT, DataType.DOUBLE]);
const decoder = new TextDecoder();

function fail(message: string): never {
  throw new EngineError(StatusCode.SEMANTIC_ERROR, message);
}

interface Node {
  readonly name: string;
  readonly type: DataType;
  readonly row: RowFn;
  /** Whether it is a binary operation (parenthesized inside another). */
  readonly binary: boolean;
}

/** A node that applies `f` to each value of `arg`; a null stays null (IoTDB's rule for operators and functions). */
function perValue(name: string, type: DataType, arg: Node, f: (v: Value) => Value): Node {
  return {
    name,
    type,
    binary: false,
    row: (b, i) => {
      const v = arg.row(b, i);
      return v === null ? null : f(v);
    },
  };
}

function requireNumeric(n: Node): void {
  if (!NUMERIC.has(n.type)) {
    fail(
      `Invalid input expression data type. expression: ${n.name}, actual data type: ${dataTypeName(n.type)}, expected data type(s): [INT32, INT64, FLOAT, DOUBLE].`,
    );
  }
}

const MATH: Readonly<Record<string, (x: number) => number>> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  degrees: (x) => (x * 180) / Math.PI,
  radians: (x) => (x / 180) * Math.PI,
  sign: Math.sign,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log10: Math.log10,
  sqrt: Math.sqrt,
};

/** Java's Math.rint: halves to the even neighbour. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function compileNode(e: Expression, bind: (p: PathOperand) => BoundSeries): Node {
  switch (e.kind) {
    case 'path': {
      const s = bind(e);
      return {
        name: s.name,
        type: s.type,
        binary: false,
        row: (b, i) => {
          const c = b.columns[s.index]!;
          return c.nulls !== null && c.nulls[i] === 1 ? null : readValue(c, i);
        },
      };
    }
    case 'integer': {
      const fits32 = e.value >= -(2n ** 31n) && e.value < 2n ** 31n;
      const v = fits32 ? Number(e.value) : BigInt.asIntN(64, e.value);
      return { name: e.text, type: fits32 ? DataType.INT32 : DataType.INT64, binary: false, row: () => v };
    }
    case 'float':
      return { name: e.text, type: DataType.DOUBLE, binary: false, row: () => e.value };
    case 'boolean':
      return { name: String(e.value), type: DataType.BOOLEAN, binary: false, row: () => e.value };
    case 'string': {
      const bytes = utf8(e.value);
      return { name: `'${e.value}'`, type: DataType.TEXT, binary: false, row: () => bytes };
    }
    case 'time':
      return { name: 'Time', type: DataType.INT64, binary: false, row: (b, i) => b.times[i]! };
    case 'negate': {
      const inner = compileNode(e.operand, bind);
      requireNumeric(inner);
      return perValue(`-${inner.name}`, inner.type, inner, (v) => {
        if (typeof v === 'bigint') return BigInt.asIntN(64, -v);
        return inner.type === DataType.INT32 ? -(v as number) | 0 : -(v as number);
      });
    }
    case 'arithmetic': {
      const l = compileNode(e.left, bind);
      const r = compileNode(e.right, bind);
      requireNumeric(l);
      requireNumeric(r);
      const op = ARITHMETIC[e.op];
      const wrap = (n: Node) => (n.binary ? `(${n.name})` : n.name);
      return {
        name: `${wrap(l)} ${e.op} ${wrap(r)}`,
        type: DataType.DOUBLE,
        binary: true,
        row: (b, i) => {
          const x = l.row(b, i);
          if (x === null) return null;
          const y = r.row(b, i);
          return y === null ? null : op(Number(x), Number(y));
        },
      };
    }
    case 'function':
      return compileFunction(e, bind);
    default:
      return fail(`${e.kind} values cannot be used in an expression`);
  }
}

const ARITHMETIC: Readonly<Record<'+' | '-' | '*' | '/' | '%', (x: number, y: number) => number>> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '%': (x, y) => x % y,
};

function compileFunction(e: Extract<Expression, { kind: 'function' }>, bind: (p: PathOperand) => BoundSeries): Node {
  const fn = e.name.toLowerCase();
  const args = e.args.map((a) => compileNode(a, bind));
  const arg = args[0]!;
  if (fn === 'cast') {
    if (args.length !== 1) fail('CAST takes one expression');
    return compileCast(arg, e.castType!);
  }
  const name = `${e.name}(${args.map((a) => a.name).join(', ')})`;
  if (fn === 'round') {
    if (args.length > 2) fail('ROUND takes an expression and the number of places');
    requireNumeric(arg);
    const placesArg = e.args[1];
    if (placesArg !== undefined && placesArg.kind !== 'integer') fail('ROUND places must be an integer constant');
    const scale = 10 ** (placesArg === undefined ? 0 : Number(placesArg.value));
    return perValue(name, DataType.DOUBLE, arg, (v) => rint(Number(v) * scale) / scale);
  }
  if (args.length !== 1) fail(`${e.name} takes one expression`);
  requireNumeric(arg);
  if (fn === 'abs') {
    return perValue(name, arg.type, arg, (v) => {
      if (typeof v === 'bigint') return BigInt.asIntN(64, v < 0n ? -v : v);
      return arg.type === DataType.INT32 ? Math.abs(v as number) | 0 : Math.abs(v as number);
    });
  }
  const math = MATH[fn];
  if (math === undefined) fail(`unknown function ${e.name}`);
  return perValue(name, DataType.DOUBLE, arg, (v) => math(Number(v)));
}

const CAST_TYPES: Readonly<Record<string, DataType>> = {
  INT32: DataType.INT32,
  INT64: DataType.INT64,
  FLOAT: DataType.FLOAT,
  DOUBLE: DataType.DOUBLE,
  BOOLEAN: DataType.BOOLEAN,
  TEXT: DataType.TEXT,
};

const INT32_RANGE = [-(2 ** 31), 2 ** 31 - 1] as const;
const INT64_RANGE = [-(2 ** 63), 2 ** 63] as const;
const FLOAT_MAX = 3.4028234663852886e38;

/** Java's Math.round: the nearest integer, halves up. */
function javaRound(x: number): number {
  return Math.floor(x + 0.5);
}

function castFailure(value: string, target: string): never {
  return fail(`cannot cast ${value} to ${target}`);
}

function compileCast(arg: Node, target: string): Node {
  const to = CAST_TYPES[target];
  if (to === undefined)
    fail(`CAST to ${target} is not supported; IoTDB casts to INT32, INT64, FLOAT, DOUBLE, BOOLEAN, TEXT`);
  const from = arg.type;
  if (!NUMERIC.has(from) && from !== DataType.BOOLEAN && from !== DataType.TEXT) {
    fail(`CAST from ${dataTypeName(from)} is not supported`);
  }
  const convert = castFunction(from, to);
  return {
    name: `CAST(${arg.name} AS ${target})`,
    type: to,
    binary: false,
    row: (b, i) => {
      const v = arg.row(b, i);
      return v === null ? null : convert(v);
    },
  };
}

function castFunction(from: DataType, to: DataType): (v: Value) => Value {
  const toNumber = (v: Value): number =>
    typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'bigint' ? Number(v) : (v as number);
  switch (to) {
    case DataType.INT32:
      return (v) => {
        if (v instanceof Uint8Array) {
          const t = decoder.decode(v);
          if (!/^[+-]?[0-9]+$/.test(t) || Number(t) < INT32_RANGE[0] || Number(t) > INT32_RANGE[1])
            castFailure(t, 'INT32');
          return Number(t);
        }
        const n = toNumber(v);
        if (n < INT32_RANGE[0] || n > INT32_RANGE[1] || Number.isNaN(n)) castFailure(String(n), 'INT32');
        return from === DataType.FLOAT || from === DataType.DOUBLE ? javaRound(n) : n;
      };
    case DataType.INT64:
      return (v) => {
        if (v instanceof Uint8Array) {
          const t = decoder.decode(v);
          if (!/^[+-]?[0-9]+$/.test(t)) castFailure(t, 'INT64');
          const n = BigInt(t);
          if (BigInt.asIntN(64, n) !== n) castFailure(t, 'INT64');
          return n;
        }
        if (typeof v === 'bigint') return v;
        const n = toNumber(v);
        if (n < INT64_RANGE[0] || n >= INT64_RANGE[1] || Number.isNaN(n)) castFailure(String(n), 'INT64');
        return BigInt(from === DataType.FLOAT || from === DataType.DOUBLE ? javaRound(n) : n);
      };
    case DataType.FLOAT:
    case DataType.DOUBLE:
      return (v) => {
        let n: number;
        if (v instanceof Uint8Array) {
          const t = decoder.decode(v).trim();
          n = Number(t);
          if (t.length === 0 || Number.isNaN(n)) castFailure(t, dataTypeName(to));
        } else n = toNumber(v);
        if (to === DataType.FLOAT) {
          if (from === DataType.DOUBLE && Number.isFinite(n) && Math.abs(n) > FLOAT_MAX)
            castFailure(String(n), 'FLOAT');
          return Math.fround(n);
        }
        return n;
      };
    case DataType.BOOLEAN:
      return (v) => {
        if (v instanceof Uint8Array) {
          const t = decoder.decode(v).toLowerCase();
          if (t !== 'true' && t !== 'false') castFailure(decoder.decode(v), 'BOOLEAN');
          return t === 'true';
        }
        if (typeof v === 'boolean') return v;
        return typeof v === 'bigint' ? v !== 0n : v !== 0;
      };
    default:
      return (v) => {
        if (v instanceof Uint8Array) return v;
        if (typeof v === 'boolean' || typeof v === 'bigint') return utf8(String(v));
        if (from === DataType.FLOAT) return utf8(formatJavaFloat(v));
        if (from === DataType.DOUBLE) return utf8(formatJavaDouble(v));
        return utf8(String(v));
      };
  }
}

function readValue(c: ResultColumn, i: number): Value {
  const v = (c.values as ArrayLike<Value>)[i]!;
  return valueKind(c.type) === 'boolean' ? v === 1 : v;
}

/** Compiles one expression whose paths are bound to merged columns. */
export function compileExpression(e: Expression, bind: (p: PathOperand) => BoundSeries): CompiledExpression {
  const node = compileNode(e, bind);
  return {
    name: node.name,
    type: node.type,
    evaluate(block) {
      const n = block.rowCount;
      const values = allocateColumn(node.type, n);
      let nulls: Uint8Array | null = null;
      const kind = valueKind(node.type);
      for (let i = 0; i < n; i++) {
        const v = node.row(block, i);
        if (v === null) {
          nulls ??= new Uint8Array(n);
          nulls[i] = 1;
          continue;
        }
        (values as unknown[])[i] = kind === 'boolean' ? (v ? 1 : 0) : kind === 'int64' ? BigInt(v as bigint) : v;
      }
      return { type: node.type, values, nulls };
    },
  };
}

/**
 * The bindings of an expression's path occurrences to series: every combination (IoTDB's
 * cartesian product), the leftmost occurrence varying slowest. None when a path matches
 * no series.
 */
export function expandPaths<S>(
  paths: readonly PathOperand[],
  resolve: (p: PathOperand) => readonly S[],
): Map<PathOperand, S>[] {
  let bindings: Map<PathOperand, S>[] = [new Map()];
  for (const p of paths) {
    const options = resolve(p);
    const next: Map<PathOperand, S>[] = [];
    for (const b of bindings) {
      for (const s of options) next.push(new Map(b).set(p, s));
    }
    if (next.length > MAX_EXPANSIONS) fail(`the expression expands to more than ${MAX_EXPANSIONS} columns`);
    bindings = next;
  }
  return bindings;
}

const MAX_EXPANSIONS = 4096;
