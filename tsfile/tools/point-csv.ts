import { DataType } from '../data-type.js';
import { valueText } from '../text/value-text.js';

/**
 * The point CSV of `iotdb-lite tsfile dump|write`: `device,measurement,time,value`, values
 * printed as IoTDB's Java tools print them; text quoted CSV-style when it needs it.
 */
export function formatValue(dataType: DataType, value: unknown): string {
  // The point CSV keeps DATE as its stored int (yyyyMMdd), as the reference CSVs do.
  if (dataType === DataType.DATE) return String(value);
  const text = valueText(dataType, value);
  return dataType === DataType.TEXT || dataType === DataType.STRING ? quoteCsv(text) : text;
}

export function quoteCsv(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Splits CSV text into records of fields, honouring quotes that span commas and line breaks. */
export function* parseCsvRecords(text: string): Generator<string[]> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let sawAny = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      sawAny = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      sawAny = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (sawAny || field !== '') {
        fields.push(field);
        yield fields;
      }
      fields = [];
      field = '';
      sawAny = false;
    } else {
      field += c;
      sawAny = true;
    }
    i++;
  }
  if (quoted) throw new SyntaxError('CSV ends inside a quoted field');
  if (sawAny || field !== '') {
    fields.push(field);
    yield fields;
  }
}

/** Parses a value printed by `formatValue` back into a column value. */
export function parseValue(dataType: DataType, text: string): number | bigint | boolean | Uint8Array {
  switch (dataType) {
    case DataType.BOOLEAN:
      if (text !== 'true' && text !== 'false') throw new SyntaxError(`'${text}' is not a boolean`);
      return text === 'true';
    case DataType.INT32:
    case DataType.DATE: {
      const v = Number(text);
      if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new SyntaxError(`'${text}' is not an INT32`);
      return v;
    }
    case DataType.INT64:
    case DataType.TIMESTAMP:
      return parseInt64(text);
    case DataType.FLOAT:
    case DataType.DOUBLE: {
      const v = Number(text);
      if (Number.isNaN(v) && text !== 'NaN') throw new SyntaxError(`'${text}' is not a number`);
      return v;
    }
    case DataType.BLOB:
      if (!/^0x([0-9a-fA-F]{2})*$/.test(text)) throw new SyntaxError(`'${text}' is not a 0x-hex BLOB`);
      return Buffer.from(text.slice(2), 'hex');
    default:
      return Buffer.from(text, 'utf8');
  }
}

export function parseInt64(text: string): bigint {
  if (!/^-?\d+$/.test(text)) throw new SyntaxError(`'${text}' is not an integer`);
  const v = BigInt(text);
  if (v !== BigInt.asIntN(64, v)) throw new SyntaxError(`'${text}' does not fit in 64 bits`);
  return v;
}
