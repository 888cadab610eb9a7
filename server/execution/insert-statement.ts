import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatPath } from '../../engine/path/path.js';
import { PayloadError } from '../../protocol/payload-error.js';
import type { RecordValue } from '../../protocol/record-values-codec.js';
import { DEFAULT_STRING_INFERENCE, parseStringValue } from '../../protocol/string-record-values.js';
import { allocateColumn, DataType, dataTypeName, valueKind } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { InsertStatement, Literal } from '../sql/ast.js';
import { resolveTimeValue } from '../sql/time-literals.js';
import type { ExecutionContext } from './execution-context.js';
import { clockOf } from './statement-clock.js';
import type { StatementOutcome } from './statement-outcome.js';
import type { TimeResolver } from './time-bounds.js';
import { storeValue, utf8 } from './value-conversion.js';

/** The type IoTDB gives a new series from the literal first written to it (its string inference). */
function inferredType(l: Literal): DataType | null {
  switch (l.kind) {
    case 'integer':
      return DEFAULT_STRING_INFERENCE.integerType;
    case 'float':
      return Number.isNaN(l.value) ? DEFAULT_STRING_INFERENCE.nanType : DEFAULT_STRING_INFERENCE.floatingType;
    case 'boolean':
      return DEFAULT_STRING_INFERENCE.booleanType;
    case 'string':
      return DataType.TEXT;
    case 'binary':
      return DataType.BLOB;
    case 'null':
      return null;
    default:
      return DataType.INT64;
  }
}

/** A literal as IoTDB quotes it in its messages (it keeps a string's quotes). */
function literalText(l: Literal): string {
  switch (l.kind) {
    case 'integer':
    case 'float':
    case 'datetime':
      return l.text;
    case 'string':
      return `'${l.value}'`;
    case 'binary':
      return l.text;
    case 'boolean':
      return String(l.value);
    case 'null':
      return 'null';
    case 'now':
      return 'now()';
  }
}

/**
 * A literal as a value of `type`, or null when it does not fit. IoTDB reads an INSERT
 * value as text and parses it as the series' type: numbers fit numeric types (integers
 * only the integer ones), 0/1 and true/false fit BOOLEAN, anything fits TEXT as written,
 * and a quoted string fits only TEXT/STRING/BLOB and the types written as strings (DATE,
 * TIMESTAMP).
 */
function literalAs(
  l: Exclude<Literal, { kind: 'null' }>,
  type: DataType,
  clock: TimeResolver,
): RecordValue | undefined {
  const textual = type === DataType.TEXT || type === DataType.STRING;
  try {
    switch (l.kind) {
      case 'integer':
      case 'float':
        if (textual) return utf8(l.text);
        if (type === DataType.BLOB) return undefined;
        return parseStringValue(l.text, type);
      case 'boolean':
        if (type === DataType.BOOLEAN) return l.value;
        return textual ? utf8(String(l.value)) : undefined;
      case 'binary':
        return type === DataType.BLOB ? l.value : undefined;
      case 'string':
        if (textual) return utf8(l.value);
        if (type === DataType.DATE || type === DataType.TIMESTAMP || type === DataType.BLOB) {
          return parseStringValue(l.value, type);
        }
        return undefined;
      default:
        if (valueKind(type) === 'int64') return resolveTimeValue(l, clock);
        return textual ? utf8(literalText(l)) : undefined;
    }
  } catch (error) {
    if (error instanceof PayloadError) return undefined;
    throw error;
  }
}

/**
 * INSERT INTO device(time, m...) [ALIGNED] VALUES (...): one tablet through the engine's
 * write path. New series take the type of their first non-null literal. A value that does
 * not fit its series' type is left out and the rest is written, as IoTDB's partial insert
 * does; the statement then fails with IoTDB's status 507 naming what was left out.
 */
export async function insert(statement: InsertStatement, context: ExecutionContext): Promise<StatementOutcome> {
  const clock = clockOf(context);
  const device = formatPath(statement.device.nodes);
  const known = context.engine.schema.device(device)?.measurements;
  const n = statement.rows.length;
  const types = statement.measurements.map((m, j) => {
    const registered = known?.get(m)?.dataType;
    if (registered !== undefined) return registered;
    for (const row of statement.rows) {
      const t = inferredType(row.values[j]!);
      if (t !== null) return t;
    }
    return null;
  });
  const keep = statement.measurements.map((_, j) => j).filter((j) => types[j] !== null);
  const failed: { measurement: string; reason: string }[] = [];
  const times = new BigInt64Array(n);
  const columns = keep.map((j) => allocateColumn(types[j]!, n));
  const nulls = keep.map(() => new Uint8Array(n));
  statement.rows.forEach((row, i) => {
    times[i] = row.time === null ? clock.now : resolveTimeValue(row.time, clock);
    keep.forEach((j, k) => {
      const literal = row.values[j]!;
      const type = types[j]!;
      const value = literal.kind === 'null' ? null : literalAs(literal, type, clock);
      if (value === undefined) {
        failed.push({
          measurement: statement.measurements[j]!,
          reason: `data type is not consistent, input ${literalText(literal)}, registered ${dataTypeName(type)}`,
        });
      }
      if (value === null || value === undefined) nulls[k]![i] = 1;
      else storeValue(columns[k]!, type, i, value);
    });
  });
  const written = keep.map((_, k) => k).filter((k) => !nulls[k]!.every((b) => b === 1));
  if (written.length > 0) {
    const tablet: Tablet = {
      device,
      measurements: written.map((k) => statement.measurements[keep[k]!]!),
      dataTypes: written.map((k) => types[keep[k]!]!),
      times,
      columns: written.map((k) => columns[k]!),
      nulls: written.map((k) => (nulls[k]!.includes(1) ? nulls[k]! : null)),
      rowCount: n,
      aligned: statement.aligned,
    };
    await context.engine.write(tablet);
  }
  if (failed.length > 0) {
    throw new EngineError(
      StatusCode.METADATA_ERROR,
      `Fail to insert measurements [${failed.map((f) => f.measurement).join(', ')}] caused by [${failed.map((f) => f.reason).join(', ')}]`,
    );
  }
  return { kind: 'done' };
}
