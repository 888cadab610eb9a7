/** IoTDB's `TSDataType`, with the byte codes TsFile and the client RPC use on the wire. */
export const DataType = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  FLOAT: 3,
  DOUBLE: 4,
  TEXT: 5,
  VECTOR: 6,
  TIMESTAMP: 8,
  DATE: 9,
  BLOB: 10,
  STRING: 11,
} as const;

export type DataType = (typeof DataType)[keyof typeof DataType];
export type DataTypeName = keyof typeof DataType;

const namesByCode = new Map<number, DataTypeName>(
  Object.entries(DataType).map(([name, code]) => [code, name as DataTypeName]),
);

export function dataTypeName(code: number): DataTypeName {
  const name = namesByCode.get(code);
  if (name === undefined) throw new RangeError(`unknown data type code ${code}`);
  return name;
}

export function parseDataType(name: string): DataType {
  const code = (DataType as Record<string, DataType>)[name.toUpperCase()];
  if (code === undefined || code === DataType.VECTOR) throw new RangeError(`unknown data type '${name}'`);
  return code;
}

/**
 * The in-memory column of each data type. INT64 and TIMESTAMP use BigInt64Array so that
 * every 64-bit value is exact; hot loops reach it through an Int32Array view of its words
 * (see `int64.ts`) because BigInt arithmetic is an order of magnitude slower.
 */
export type BooleanColumn = Uint8Array;
export type Int32Column = Int32Array;
export type Int64Column = BigInt64Array;
export type FloatColumn = Float32Array;
export type DoubleColumn = Float64Array;
export type BinaryColumn = Uint8Array[];
export type ColumnValues = BooleanColumn | Int32Column | Int64Column | FloatColumn | DoubleColumn | BinaryColumn;

/** The column class each type is held in (DATE is an INT32 yyyyMMdd, TIMESTAMP an INT64). */
export type ValueKind = 'boolean' | 'int32' | 'int64' | 'float' | 'double' | 'binary';

export function valueKind(type: DataType): ValueKind {
  switch (type) {
    case DataType.BOOLEAN:
      return 'boolean';
    case DataType.INT32:
    case DataType.DATE:
      return 'int32';
    case DataType.INT64:
    case DataType.TIMESTAMP:
      return 'int64';
    case DataType.FLOAT:
      return 'float';
    case DataType.DOUBLE:
      return 'double';
    case DataType.TEXT:
    case DataType.STRING:
    case DataType.BLOB:
      return 'binary';
    default:
      throw new RangeError(`data type ${type} has no value column`);
  }
}

export function allocateColumn(type: DataType, length: number): ColumnValues {
  switch (valueKind(type)) {
    case 'boolean':
      return new Uint8Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'float':
      return new Float32Array(length);
    case 'double':
      return new Float64Array(length);
    case 'binary':
      return new Array<Uint8Array>(length).fill(EMPTY_BYTES);
  }
}

const EMPTY_BYTES = new Uint8Array(0);

/** Whether a wire code names a type that holds values (every type but VECTOR). */
export function isValueDataType(code: number): code is DataType {
  return namesByCode.has(code) && code !== DataType.VECTOR;
}
