/** IoTDB's `CompressionType` byte codes. */
export const Compression = {
  UNCOMPRESSED: 0,
  SNAPPY: 1,
  GZIP: 2,
  LZ4: 7,
  ZSTD: 8,
  LZMA2: 9,
} as const;

export type Compression = (typeof Compression)[keyof typeof Compression];
export type CompressionName = keyof typeof Compression;

const namesByCode = new Map<number, CompressionName>(
  Object.entries(Compression).map(([name, code]) => [code, name as CompressionName]),
);

export function compressionName(code: number): CompressionName {
  const name = namesByCode.get(code);
  if (name === undefined) throw new RangeError(`unknown compression code ${code}`);
  return name;
}

export function parseCompression(name: string): Compression {
  const code = (Compression as Record<string, Compression>)[name.toUpperCase()];
  if (code === undefined) throw new RangeError(`unknown compression '${name}'`);
  return code;
}
