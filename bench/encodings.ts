// Speed of the integer, boolean and text page encodings (PLAIN, RLE, TS_2DIFF, ZIGZAG,
// DICTIONARY) on 1 M values; TS_2DIFF on INT64 is the time column of every page.
import { dictionaryCodecs } from '../tsfile/encoding/dictionary.js';
import { plainCodecs } from '../tsfile/encoding/plain.js';
import { rleCodecs } from '../tsfile/encoding/rle.js';
import { ts2DiffCodecs } from '../tsfile/encoding/ts-2diff.js';
import type { ValueCodec } from '../tsfile/encoding/value-codec.js';
import { DEFAULT_ENCODING_OPTIONS } from '../tsfile/encoding/value-codec.js';
import { zigzagCodecs } from '../tsfile/encoding/zigzag.js';
import { ByteWriter } from '../tsfile/io/byte-writer.js';
import { mulberry32, report, unit } from './bench-util.js';

const COUNT = 1_000_000;
/** IoTDB's default page holds up to 10 000 points. */
const PAGE_POINTS = 10_000;

type Column = Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array[];

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

function measure<C extends Column>(
  name: string,
  codec: ValueCodec<C>,
  values: C,
  pagePoints: number,
  runs: number,
): void {
  const out = new ByteWriter(values.length * 10 + 1024);
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

const generator = mulberry32(7);
const next = (): number => unit(generator);
const timestamps = new BigInt64Array(COUNT);
const counter64 = new BigInt64Array(COUNT);
const counter32 = new Int32Array(COUNT);
const smallInts = new Int32Array(COUNT);
const booleans = new Uint8Array(COUNT);
const doubles = new Float64Array(COUNT);
const texts: Uint8Array[] = [];
const words = ['idle', 'running', 'stopped', 'fault', 'maintenance'].map((s) => Buffer.from(s));
let count = 0;
let walk = 20;
for (let i = 0; i < COUNT; i++) {
  timestamps[i] = BigInt(1_700_000_000_000 + i * 1000);
  // A slowly increasing counter: 0 to 3 more each sample.
  count += Math.floor(next() * 4);
  counter64[i] = BigInt(count);
  counter32[i] = count;
  smallInts[i] = next() < 0.9 ? 3 : Math.floor(next() * 16);
  booleans[i] = next() < 0.05 ? 1 - (booleans[i - 1] ?? 0) : (booleans[i - 1] ?? 0);
  walk += next() - 0.5;
  doubles[i] = Math.round(walk * 100) / 100;
  texts.push(words[Math.floor(next() * words.length)]!);
}

const o = DEFAULT_ENCODING_OPTIONS;
const ts2diff = ts2DiffCodecs(o);
const rle = rleCodecs(o);
const plain = plainCodecs(o);
const zigzag = zigzagCodecs(o);
const dictionary = dictionaryCodecs(o);

measure('ts_2diff int64 timestamps 1M page', ts2diff.int64!, timestamps, COUNT, 7);
measure('ts_2diff int64 timestamps 10k pages', ts2diff.int64!, timestamps, PAGE_POINTS, 7);
measure('ts_2diff int64 counter 10k pages', ts2diff.int64!, counter64, PAGE_POINTS, 7);
measure('ts_2diff int32 counter 10k pages', ts2diff.int32!, counter32, PAGE_POINTS, 5);
measure('ts_2diff double 2-decimal 10k pages', ts2diff.double!, doubles, PAGE_POINTS, 3);
measure('rle int32 10k pages', rle.int32!, smallInts, PAGE_POINTS, 3);
measure('rle int64 counter 10k pages', rle.int64!, counter64, PAGE_POINTS, 3);
measure('rle boolean 10k pages', rle.boolean!, booleans, PAGE_POINTS, 3);
measure('rle double 2-decimal 10k pages', rle.double!, doubles, PAGE_POINTS, 3);
measure('plain int64 10k pages', plain.int64!, timestamps, PAGE_POINTS, 3);
measure('plain int32 10k pages', plain.int32!, counter32, PAGE_POINTS, 3);
measure('plain double 10k pages', plain.double!, doubles, PAGE_POINTS, 3);
measure('plain text 10k pages', plain.binary!, texts, PAGE_POINTS, 3);
measure('zigzag int64 counter 10k pages', zigzag.int64!, counter64, PAGE_POINTS, 3);
measure('zigzag int32 counter 10k pages', zigzag.int32!, counter32, PAGE_POINTS, 3);
measure('dictionary text 10k pages', dictionary.binary!, texts, PAGE_POINTS, 3);
