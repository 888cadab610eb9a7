import { type DataType, dataTypeName, type ValueKind, valueKind } from '../data-type.js';
import { type Encoding, encodingName } from '../encoding-type.js';
import { chimpCodecs } from './chimp.js';
import { dictionaryCodecs } from './dictionary.js';
import { gorillaCodecs } from './gorilla.js';
import { gorillaV1Codecs } from './gorilla-v1.js';
import { plainCodecs } from './plain.js';
import { rlbeCodecs } from './rlbe.js';
import { rleCodecs } from './rle.js';
import { sprintzCodecs } from './sprintz.js';
import { ts2DiffCodecs } from './ts-2diff.js';
import type { ColumnByKind, EncodingCodecs, EncodingOptions, ValueCodec } from './value-codec.js';
import { DEFAULT_ENCODING_OPTIONS } from './value-codec.js';
import { zigzagCodecs } from './zigzag.js';

type CodecFactory = (options: EncodingOptions) => EncodingCodecs;

const factories = new Map<number, CodecFactory>([
  [0, plainCodecs],
  [1, dictionaryCodecs],
  [2, rleCodecs],
  [4, ts2DiffCodecs],
  [6, gorillaV1Codecs],
  [8, gorillaCodecs],
  [9, zigzagCodecs],
  [11, chimpCodecs],
  [12, sprintzCodecs],
  [13, rlbeCodecs],
]);

const cache = new Map<string, EncodingCodecs>();

/** An encoding that a data type does not accept, or one this build does not implement. */
export class UnsupportedEncodingError extends Error {
  override readonly name = 'UnsupportedEncodingError';
}

function codecsFor(encoding: Encoding, options: EncodingOptions): EncodingCodecs {
  const key = `${encoding}/${options.maxPointNumber}`;
  let codecs = cache.get(key);
  if (codecs === undefined) {
    const factory = factories.get(encoding);
    if (factory === undefined)
      throw new UnsupportedEncodingError(`encoding ${safeEncodingName(encoding)} is not supported`);
    codecs = factory(options);
    cache.set(key, codecs);
  }
  return codecs;
}

export function isEncodingSupported(encoding: Encoding, dataType: DataType): boolean {
  try {
    return codecsFor(encoding, DEFAULT_ENCODING_OPTIONS)[valueKind(dataType)] !== undefined;
  } catch {
    return false;
  }
}

export function codecFor<K extends ValueKind>(
  encoding: Encoding,
  kind: K,
  options: EncodingOptions = DEFAULT_ENCODING_OPTIONS,
): ValueCodec<ColumnByKind[K]> {
  const codec = codecsFor(encoding, options)[kind];
  if (codec === undefined) {
    throw new UnsupportedEncodingError(`encoding ${safeEncodingName(encoding)} does not support ${kind} values`);
  }
  return codec as ValueCodec<ColumnByKind[K]>;
}

/** The codec for a data type's values, with a message naming the type. */
export function valueCodecFor(
  encoding: Encoding,
  dataType: DataType,
  options: EncodingOptions = DEFAULT_ENCODING_OPTIONS,
): ValueCodec<ColumnByKind[ValueKind]> {
  const codec = codecsFor(encoding, options)[valueKind(dataType)];
  if (codec === undefined) {
    throw new UnsupportedEncodingError(
      `encoding ${safeEncodingName(encoding)} does not support data type ${dataTypeName(dataType)}`,
    );
  }
  return codec as ValueCodec<ColumnByKind[ValueKind]>;
}

function safeEncodingName(encoding: number): string {
  try {
    return encodingName(encoding);
  } catch {
    return `#${encoding}`;
  }
}
