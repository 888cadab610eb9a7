import { DataType } from './data-type.js';

/** IoTDB's `TSEncoding` byte codes. */
export const Encoding = {
  PLAIN: 0,
  DICTIONARY: 1,
  RLE: 2,
  DIFF: 3,
  TS_2DIFF: 4,
  BITMAP: 5,
  GORILLA_V1: 6,
  REGULAR: 7,
  GORILLA: 8,
  ZIGZAG: 9,
  FREQ: 10,
  CHIMP: 11,
  SPRINTZ: 12,
  RLBE: 13,
} as const;

export type Encoding = (typeof Encoding)[keyof typeof Encoding];
export type EncodingName = keyof typeof Encoding;

const namesByCode = new Map<number, EncodingName>(
  Object.entries(Encoding).map(([name, code]) => [code, name as EncodingName]),
);

export function encodingName(code: number): EncodingName {
  const name = namesByCode.get(code);
  if (name === undefined) throw new RangeError(`unknown encoding code ${code}`);
  return name;
}

export function parseEncoding(name: string): Encoding {
  const code = (Encoding as Record<string, Encoding>)[name.toUpperCase()];
  if (code === undefined) throw new RangeError(`unknown encoding '${name}'`);
  return code;
}

/** IoTDB's defaults for series created without an explicit encoding. */
export function defaultEncoding(type: DataType): Encoding {
  switch (type) {
    case DataType.BOOLEAN:
      return Encoding.RLE;
    case DataType.INT32:
    case DataType.INT64:
    case DataType.DATE:
    case DataType.TIMESTAMP:
      return Encoding.TS_2DIFF;
    case DataType.FLOAT:
    case DataType.DOUBLE:
      return Encoding.GORILLA;
    default:
      return Encoding.PLAIN;
  }
}
