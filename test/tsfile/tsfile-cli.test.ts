import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../fixture-files.js';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'tsfile-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin', 'iotdb-lite.js'), 'tsfile', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
}

describe('iotdb-lite tsfile', () => {
  it('dump prints the fixture CSV exactly', () => {
    const run = cli('dump', join(FIXTURE_DIR, 'backquoted.tsfile'));
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(FIXTURE_DIR, 'backquoted.csv'), 'utf8'));
  });

  it('summary lists devices, series, types, encodings, compressions and counts', () => {
    const run = cli('summary', join(FIXTURE_DIR, 'aligned.tsfile'));
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^TsFile version 3, \d+ bytes, 2 devices/);
    expect(run.stdout).toContain('device root.v.al.d0 (aligned)');
    expect(run.stdout).toMatch(/m3 {2}DOUBLE {2}GORILLA {2}LZ4 {2}points=\d+/);
  });

  it('write turns CSV + schema into a file that dumps back to the CSV', () => {
    const out = join(work, 'special.tsfile');
    const write = cli(
      'write',
      out,
      '--schema',
      join(FIXTURE_DIR, 'special-values.schema.json'),
      join(FIXTURE_DIR, 'special-values.csv'),
    );
    expect(write.status).toBe(0);
    expect(cli('dump', out).stdout).toBe(readFileSync(join(FIXTURE_DIR, 'special-values.csv'), 'utf8'));
  });

  it('exits non-zero with one clear line on incomplete, corrupt or missing input', () => {
    const torn = join(work, 'torn.tsfile');
    writeFileSync(torn, readFileSync(join(FIXTURE_DIR, 'multi-device.tsfile')).subarray(0, 5000));
    const incomplete = cli('dump', torn);
    expect(incomplete.status).toBe(1);
    expect(incomplete.stderr).toMatch(/^iotdb-lite: IncompleteTsFileError: .*not sealed/);
    const junk = join(work, 'junk.tsfile');
    writeFileSync(junk, 'definitely not a tsfile');
    expect(cli('summary', junk).stderr).toMatch(/not a TsFile/);
    expect(cli('dump', join(work, 'missing.tsfile')).status).toBe(1);
    const badSchema = join(work, 'schema.json');
    writeFileSync(
      badSchema,
      '{"devices":[{"device":"root.a.b","aligned":false,"measurements":[{"name":"s","dataType":"TEXT","encoding":"GORILLA","compression":"LZ4"}]}]}',
    );
    const csv = join(work, 'p.csv');
    writeFileSync(csv, 'root.a.b,s,1,x\n');
    const bad = cli('write', join(work, 'x.tsfile'), '--schema', badSchema, csv);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/GORILLA does not support TEXT/);
  });
});
