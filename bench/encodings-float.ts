// Speed of the floating-point page encodings on 1 M values of a random walk.
import { chimpCodecs } from '../tsfile/encoding/chimp.js';
import { gorillaCodecs } from '../tsfile/encoding/gorilla.js';
import { rlbeCodecs } from '../tsfile/encoding/rlbe.js';
import { sprintzCodecs } from '../tsfile/encoding/sprintz.js';
import type { EncodingCodecs, ValueCodec } from '../tsfile/encoding/value-codec.js';
import { DEFAULT_ENCODING_OPTIONS } from '../tsfile/encoding/value-codec.js';
import { ByteWriter } from '../tsfile/io/byte-writer.js';
import { mulberry32, report, unit } from './bench-util.js';

const COUNT = 1_000_000;
/** Points per page when a page-sized figure is printed (IoTDB's default page holds up to 10 000). */
const PAGE_POINTS = 10_000;

function randomWalk(count: number, decimals: number | null): Float64Array {
  const next = mulberry32(42);
  const values = new Float64Array(count);
  let x = 100;
  const scale = decimals === null ? 0 : 10 ** decimals;
  for (let i = 0; i < count; i++) {
    x += unit(next) - 0.5;
    values[i] = decimals === null ? x : Math.round(x * scale) / scale;
  }
  return values;
}

/** Best of a few runs, in seconds: the machine is shared, the minimum is the steadiest figure. */
function best(runs: number, body: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    body();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return min;
}

function measure<C extends Float32Array | Float64Array>(
  name: string,
  codec: ValueCodec<C>,
  values: C,
  pagePoints: number,
  runs: number,
): void {
  const out = new ByteWriter(values.length * 10);
  const pages: Buffer[] = [];
  const encode = (): void => {
    pages.length = 0;
    for (let from = 0; from < values.length; from += pagePoints) {
      out.reset();
      codec.encode(values, from, Math.min(values.length, from + pagePoints), out);
      pages.push(out.toBuffer());
    }
  };
  const encodeSeconds = best(runs, encode);
  let decoded = 0;
  const decodeSeconds = best(runs, () => {
    decoded = 0;
    for (const page of pages) decoded += codec.decode(page, 0, page.length).length;
  });
  if (decoded !== values.length) throw new Error(`${name}: decoded ${decoded} of ${values.length} values`);
  const bytes = pages.reduce((sum, p) => sum + p.length, 0);
  report(`${name} encode`, values.length / encodeSeconds / 1e6, 'M values/s');
  report(`${name} decode`, values.length / decodeSeconds / 1e6, 'M values/s');
  report(`${name} size`, (bytes * 8) / values.length, 'bits/value');
}

function codecs(factory: (o: typeof DEFAULT_ENCODING_OPTIONS) => EncodingCodecs): EncodingCodecs {
  return factory(DEFAULT_ENCODING_OPTIONS);
}

const doubles = randomWalk(COUNT, null);
const doubles2 = randomWalk(COUNT, 2);
const floats = Float32Array.from(doubles2);
const gorilla = codecs(gorillaCodecs);
const chimp = codecs(chimpCodecs);
const sprintz = codecs(sprintzCodecs);
const rlbe = codecs(rlbeCodecs);

measure('gorilla double 1M page', gorilla.double!, doubles, COUNT, 5);
measure('gorilla double 10k pages', gorilla.double!, doubles, PAGE_POINTS, 5);
measure('gorilla double 2-decimal 10k pages', gorilla.double!, doubles2, PAGE_POINTS, 3);
measure('gorilla float 10k pages', gorilla.float!, floats, PAGE_POINTS, 3);
measure('chimp double 10k pages', chimp.double!, doubles, PAGE_POINTS, 3);
measure('chimp float 10k pages', chimp.float!, floats, PAGE_POINTS, 3);
measure('sprintz double 10k pages', sprintz.double!, doubles, PAGE_POINTS, 2);
measure('sprintz float 10k pages', sprintz.float!, floats, PAGE_POINTS, 2);
measure('rlbe double 10k pages', rlbe.double!, doubles2, PAGE_POINTS, 2);
measure('rlbe float 10k pages', rlbe.float!, floats, PAGE_POINTS, 2);
