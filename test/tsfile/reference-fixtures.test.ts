import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import { dumpPoints } from '../../tsfile/tools/dump.js';
import { parseSchemaJson, writePointsCsv } from '../../tsfile/tools/write-from-csv.js';
import { TsFileWriter } from '../../tsfile/write/tsfile-writer.js';
import { type Fixture, referenceFixtures } from '../fixture-files.js';

function dump(path: string): string {
  const reader = TsFileReader.open(path);
  const parts: string[] = [];
  try {
    dumpPoints(reader, (text) => parts.push(text));
  } finally {
    reader.close();
  }
  return parts.join('');
}

const fixtures = referenceFixtures();
const work = mkdtempSync(join(tmpdir(), 'tsfile-fixtures-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('reference TsFiles written by Apache TsFile 1.0 (Java)', () => {
  it('are present', () => {
    expect(fixtures.length).toBeGreaterThan(100);
  });

  for (const f of fixtures) {
    it(`${f.name} dumps to exactly its CSV`, () => {
      expect(dump(f.tsfile)).toBe(readFileSync(f.csv, 'utf8'));
    });
  }
});

let written = 0;
function writeFromCsv(f: Fixture): string {
  const out = join(work, `${f.name}-${written++}.tsfile`);
  const writer = TsFileWriter.create(out);
  writePointsCsv(writer, parseSchemaJson(readFileSync(f.schema, 'utf8')), readFileSync(f.input, 'utf8'));
  writer.close();
  return out;
}

describe('files written from the reference CSVs', () => {
  for (const f of fixtures) {
    it(`${f.name} reads back as the reference reads its own file`, () => {
      expect(dump(writeFromCsv(f))).toBe(readFileSync(f.csv, 'utf8'));
    });
  }

  // Where the values read back depend on where pages end, the writer ends them where the
  // reference writer does: the files are then the same, byte for byte.
  for (const f of fixtures.filter((x) => x.input !== x.csv)) {
    it(`${f.name} is the file the reference writer made from the same points`, () => {
      expect(readFileSync(writeFromCsv(f)).equals(readFileSync(f.tsfile))).toBe(true);
    });
  }
});
