import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DecompressionError } from '../../native/index.js';
import { CorruptDataError } from '../../tsfile/io/byte-reader.js';
import { scanChunkGroups } from '../../tsfile/read/chunk-group-scanner.js';
import { BufferInput } from '../../tsfile/read/random-access-input.js';
import { IncompleteTsFileError, TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import { dumpPoints } from '../../tsfile/tools/dump.js';
import { recoverTsFile } from '../../tsfile/write/recover.js';
import { FIXTURE_DIR } from '../fixture-files.js';

const multi = readFileSync(join(FIXTURE_DIR, 'multi-device.tsfile'));
const aligned = readFileSync(join(FIXTURE_DIR, 'aligned.tsfile'));
const work = mkdtempSync(join(tmpdir(), 'tsfile-corrupt-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function readAll(bytes: Buffer): number {
  const reader = TsFileReader.fromBuffer(bytes);
  let n = 0;
  dumpPoints(reader, (t) => {
    n += t.length;
  });
  return n;
}

/** Errors a corrupt file may raise; anything else (TypeError, a hang) is a bug. */
function isReportedCorruption(error: unknown): boolean {
  return error instanceof CorruptDataError || error instanceof DecompressionError || error instanceof RangeError;
}

describe('corrupt and incomplete TsFiles', () => {
  it('rejects a bad magic and a wrong version', () => {
    const bad = Buffer.from(multi);
    bad.write('TsFilf', 0, 'latin1');
    expect(() => TsFileReader.fromBuffer(bad)).toThrow(/bad magic/);
    const v2 = Buffer.from(multi);
    v2[6] = 2;
    expect(() => TsFileReader.fromBuffer(v2)).toThrow(/version 2/);
    expect(() => TsFileReader.fromBuffer(Buffer.from('hello'))).toThrow(CorruptDataError);
  });

  it('reports a truncated file as incomplete', () => {
    for (const cut of [7, 100, multi.length / 2, multi.length - 1]) {
      expect(() => TsFileReader.fromBuffer(multi.subarray(0, Math.floor(cut)))).toThrow(IncompleteTsFileError);
    }
  });

  it('rejects a lying metadata size', () => {
    const bad = Buffer.from(multi);
    bad.writeInt32BE(multi.length * 2, multi.length - 10);
    expect(() => TsFileReader.fromBuffer(bad)).toThrow(/metadata size/);
  });

  it('recovers the complete chunk groups of a file cut mid-chunk', () => {
    const full = scanChunkGroups(new BufferInput(multi));
    expect(full.sawSeparator).toBe(true);
    expect(full.chunkGroups.length).toBe(10);
    const cut = full.chunkGroups[6]!.chunks[2]!.offset + 10;
    const torn = scanChunkGroups(new BufferInput(multi.subarray(0, cut)));
    expect(torn.chunkGroups.map((g) => g.device)).toEqual(full.chunkGroups.slice(0, 6).map((g) => g.device));
    expect(torn.stoppedBy).toMatch(/outside the file/);

    const path = join(work, 'torn.tsfile');
    writeFileSync(path, multi.subarray(0, cut));
    const report = recoverTsFile(path, cut);
    expect(report.chunkGroups).toBe(6);
    const reader = TsFileReader.open(path);
    expect(reader.devices().length).toBe(6);
    const lines: string[] = [];
    dumpPoints(reader, (t) => lines.push(t));
    reader.close();
    const kept = new Set(full.chunkGroups.slice(0, 6).map((g) => g.device));
    const expected = readFileSync(join(FIXTURE_DIR, 'multi-device.csv'), 'utf8')
      .split('\n')
      .filter((l) => kept.has(l.split(',')[0]!));
    const got = lines.join('').trimEnd().split('\n');
    expect(got.length).toBe(expected.length);
    expect(got.join('\n') === expected.join('\n')).toBe(true);
  });

  it('recovers aligned chunk groups with their statistics', () => {
    const full = scanChunkGroups(new BufferInput(aligned));
    const last = full.chunkGroups.at(-1)!;
    const path = join(work, 'aligned-torn.tsfile');
    writeFileSync(path, aligned.subarray(0, last.offset + 20));
    recoverTsFile(path, last.offset + 20);
    const reader = TsFileReader.open(path);
    const original = TsFileReader.fromBuffer(aligned);
    const device = reader.devices()[0]!;
    for (const m of reader.timeseries(device)) {
      const o = original.timeseries(device).find((x) => x.measurementId === m.measurementId)!;
      expect(m.statistics.count).toBeLessThanOrEqual(o.statistics.count);
      expect(m.statistics.count).toBeGreaterThan(0);
    }
    reader.close();
  });

  it('never crashes or hangs on flipped bytes (only reports corruption)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(multi.length - 1), xor: fc.integer({ min: 1, max: 255 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        (flips) => {
          const bad = Buffer.from(multi);
          for (const { at, xor } of flips) bad[at]! ^= xor;
          try {
            readAll(bad);
          } catch (error) {
            if (!isReportedCorruption(error)) throw error;
          }
        },
      ),
      { numRuns: 300, seed: 42 },
    );
    // 300 whole-file reads: about 20 s of CPU, so a busy machine needs room beyond the default.
  }, 180_000);
});
