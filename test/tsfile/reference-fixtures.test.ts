import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import { dumpPoints } from '../../tsfile/tools/dump.js';
import { parseSchemaJson, writePointsCsv } from '../../tsfile/tools/write-from-csv.js';
import { TsFileWriter } from '../../tsfile/write/tsfile-writer.js';
import { referenceFixtures } from '../fixture-files.js';

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

describe('files written from the reference CSVs', () => {
  for (const f of fixtures) {
    it(`${f.name} reads back as the same points`, () => {
      const csv = readFileSync(f.csv, 'utf8');
      const out = join(work, `${f.name}.tsfile`);
      const writer = TsFileWriter.create(out);
      writePointsCsv(writer, parseSchemaJson(readFileSync(f.schema, 'utf8')), csv);
      writer.close();
      expect(dump(out)).toBe(csv);
    });
  }
});
