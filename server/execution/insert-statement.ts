import { EngineError, StatusCode } from '../../engine/errors.js';
import { formatPath } from '../../engine/path/path.js';
import { PayloadError } from '../../protocol/payload-error.js';
import type { RecordValue } from '../../protocol/record-values-codec.js';
import { DEFAULT_STRING_INFERENCE, parseStringValue } from '../../protocol/string-record-values.js';
import { allocateColumn, DataType, dataTypeName } from '../../tsfile/data-type.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { InsertStatement, Literal } from '../sql/ast.js';
import { resolveTimeValue } from '../sql/time-literals.js';
import type { ExecutionContext } from './execution-context.js';
import { clockOf } from './statement-clock.js';
import type { StatementOutcome } from './statement-outcome.js';
import type { TimeResolver } from './time-bounds.js';
import { storeValue, utf8 } from './value-conversion.js';

/** The type IoTDB gives a new series from the literal first written to it. */
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
    case 'null':
      return null;
    default:
      return DataType.INT64;
  }
}

/** A literal as a value of `type`, or a DATA_TYPE_MISMATCH naming the series. */
function literalAs(l: Literal, type: DataType, series: string, clock: TimeResolver): RecordValue {
  if (l.kind === 'null') return null;
  const mismatch = () =>
    new EngineError(
      StatusCode.DATA_TYPE_MISMATCH,
      `data type of ${series} is not consistent, registered type ${dataTypeName(type)}, inserting value ${'text' in l ? l.text : 'value' in l ? String(l.value) : l.kind}`,
    );
  try {
    switch (l.kind) {
      case 'integer':
      case 'float':
        if (type === DataType.TEXT || type === DataType.STRING || type === DataType.BLOB || type === DataType.BOOLEAN) {
          if (type === DataType.BOOLEAN && l.kind === 'integer' && (l.value === 0n || l.value === 1n))
            return l.value === 1n;
          if (type === DataType.TEXT || type === DataType.STRING) return utf8(l.text);
          throw mismatch();
        }
        return parseStringValue(l.text, type);
      case 'boolean':
        if (type === DataType.BOOLEAN) return l.value;
        if (type === DataType.TEXT || type === DataType.STRING) return utf8(String(l.value));
        throw mismatch();
      case 'string':
        if (type === DataType.TEXT || type === DataType.STRING) return utf8(l.value);
        return parseStringValue(l.value, type);
      default: {
        const t = resolveTimeValue(l, clock);
        if (type === DataType.INT64 || type === DataType.TIMESTAMP) return t;
        throw mismatch();
      }
    }
  } catch (error) {
    if (error instanceof PayloadError) throw mismatch();
    throw error;
  }
}

/** INSERT INTO device(time, m...) [ALIGNED] VALUES (...): one tablet through the engine's write path. */
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
  if (keep.length === 0) return { kind: 'done' };
  const times = new BigInt64Array(n);
  const columns = keep.map((j) => allocateColumn(types[j]!, n));
  const nulls = keep.map(() => new Uint8Array(n));
  statement.rows.forEach((row, i) => {
    times[i] = row.time === null ? context.now() : resolveTimeValue(row.time, clock);
    keep.forEach((j, k) => {
      const value = literalAs(row.values[j]!, types[j]!, `${device}.${statement.measurements[j]}`, clock);
      if (value === null) {
        nulls[k]![i] = 1;
        if (types[j] === DataType.TEXT || types[j] === DataType.STRING || types[j] === DataType.BLOB) {
          (columns[k] as Uint8Array[])[i] = new Uint8Array(0);
        }
      } else {
        storeValue(columns[k]!, types[j]!, i, value);
      }
    });
  });
  const tablet: Tablet = {
    device,
    measurements: keep.map((j) => statement.measurements[j]!),
    dataTypes: keep.map((j) => types[j]!),
    times,
    columns,
    nulls: nulls.map((m) => (m.includes(1) ? m : null)),
    rowCount: n,
    aligned: statement.aligned,
  };
  await context.engine.write(tablet);
  return { kind: 'done' };
}
