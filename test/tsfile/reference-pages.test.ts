import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Compression } from '../../tsfile/compression-type.js';
import { pagesOf, TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import { parseSchemaJson, writePointsCsv } from '../../tsfile/tools/write-from-csv.js';
import { TsFileWriter } from '../../tsfile/write/tsfile-writer.js';
import { FIXTURE_ROOT } from '../fixture-files.js';

const dir = join(FIXTURE_ROOT, 'tsfile-pages');
const work = mkdtempSync(join(tmpdir(), 'tsfile-pages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('pages end where the reference writer ends them', () => {
  it('in an aligned device whose SPRINTZ columns have nulls (each column checks on its own)', () => {
    const name = 'aligned-sprintz-nulls';
    const reference = readFileSync(join(dir, `${name}.tsfile`));
    const pages = [...TsFileReader.fromBuffer(reference).chunks('root.v.al')].map((c) => [...pagesOf(c)].length);
    expect(pages).toEqual([2, 2, 2]);

    const out = join(work, `${name}.tsfile`);
    const writer = TsFileWriter.create(out, { pageSizeBytes: 20_000, timeCompression: Compression.UNCOMPRESSED });
    const schema = parseSchemaJson(readFileSync(join(dir, `${name}.schema.json`), 'utf8'));
    writePointsCsv(writer, schema, readFileSync(join(dir, `${name}.input.csv`), 'utf8'));
    writer.close();
    expect(readFileSync(out).equals(reference)).toBe(true);
  });
});
