import type { DataType } from '../../tsfile/data-type.js';
import { PayloadError } from '../payload-error.js';
import type { ResultBlock, ResultColumn } from '../result-block.js';
import { decodeTsBlock } from '../tsblock-codec.js';

/**
 * Decodes the TsBlocks of one result into blocks with one column per result column.
 *
 * IoTDB sends a column selected twice (`select s1, s1`) once: its TsBlocks hold the
 * distinct columns, and `columnNameIndexMap` gives each name's position among them. Our
 * node sends every column. Which one a block is, its column count says, so both work;
 * a repeated column shares the decoded arrays.
 */
export function resultBlockDecoder(
  columnNames: readonly string[],
  dataTypes: readonly DataType[],
  columnNameIndexMap: Readonly<Record<string, number>> | null,
): (bytes: Buffer) => ResultBlock {
  const shared = sharedColumns(columnNames, dataTypes, columnNameIndexMap);
  return (bytes) => {
    if (shared === null || bytes.length < 4 || bytes.readInt32BE(0) === dataTypes.length) {
      return decodeTsBlock(bytes, dataTypes);
    }
    const block = decodeTsBlock(bytes, shared.types);
    const columns: ResultColumn[] = shared.positions.map((p) => block.columns[p]!);
    return { times: block.times, columns, rowCount: block.rowCount };
  };
}

interface SharedColumns {
  /** Types of the distinct columns, in TsBlock order. */
  readonly types: DataType[];
  /** For each result column, its position among the distinct ones. */
  readonly positions: number[];
}

/** The distinct-column layout, or null when every column is distinct (or the map is unusable). */
function sharedColumns(
  columnNames: readonly string[],
  dataTypes: readonly DataType[],
  map: Readonly<Record<string, number>> | null,
): SharedColumns | null {
  if (map === null || new Set(columnNames).size === columnNames.length) return null;
  const positions = columnNames.map((name) => map[name]);
  const types: DataType[] = [];
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i];
    if (p === undefined || !Number.isInteger(p) || p < 0 || p >= columnNames.length) {
      throw new PayloadError(`columnNameIndexMap has no valid position for column '${columnNames[i]}'`);
    }
    types[p] ??= dataTypes[i]!;
  }
  for (let p = 0; p < types.length; p++) {
    if (types[p] === undefined) throw new PayloadError(`columnNameIndexMap leaves TsBlock column ${p} unnamed`);
  }
  return { types, positions: positions as number[] };
}
