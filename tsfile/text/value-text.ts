import { DataType } from '../data-type.js';
import { formatJavaDouble, formatJavaFloat } from './java-number-format.js';

// ignoreBOM keeps a leading U+FEFF: it is part of the value, and Java's String keeps it too.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A non-null value as IoTDB prints it: booleans as `true`/`false`, FLOAT/DOUBLE as Java's
 * `Float.toString`/`Double.toString`, TEXT/STRING as their UTF-8 text, BLOB as `0x` + hex,
 * DATE (an int yyyyMMdd) as `yyyy-MM-dd`, integers and timestamps in decimal.
 */
export function valueText(type: DataType, value: unknown): string {
  switch (type) {
    case DataType.BOOLEAN:
      return value ? 'true' : 'false';
    case DataType.FLOAT:
      return formatJavaFloat(value as number);
    case DataType.DOUBLE:
      return formatJavaDouble(value as number);
    case DataType.TEXT:
    case DataType.STRING:
      return decoder.decode(value as Uint8Array);
    case DataType.BLOB:
      return `0x${Buffer.from(value as Uint8Array).toString('hex')}`;
    case DataType.DATE: {
      const n = Number(value);
      const pad = (v: number, width: number) => String(v).padStart(width, '0');
      return `${pad(Math.trunc(n / 10000), 4)}-${pad(Math.trunc(n / 100) % 100, 2)}-${pad(n % 100, 2)}`;
    }
    default:
      return String(value);
  }
}
