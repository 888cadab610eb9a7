import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StorageEngine } from '../../engine/storage-engine.js';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'engine-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has acknowledged some writes, SIGKILLs it after a random delay. */
function runAndKill(start: number, delayMs: number): Promise<{ acked: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'bin', 'run-ts.js'), join(root, 'test', 'engine', 'crash-writer.ts'), dir, String(start)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let acked = start;
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const [, first, rows] = line.split(' ');
        acked = Number(first) + Number(rows);
      }
      if (timer === null) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited unexpectedly: ${stderr}`));
      else resolve({ acked });
    });
  });
}

describe('crash safety (SIGKILL of a writer with WAL SYNC)', () => {
  it('keeps every acknowledged point, exactly once, across repeated kills', async () => {
    let next = 0;
    let lastHighWater = 0;
    for (let round = 0; round < 4; round++) {
      const { acked } = await runAndKill(next, 150 + round * 120);
      const engine = StorageEngine.open({ dir, flushInWorker: false, walMode: 'SYNC' });
      expect(engine.arrivalHighWater).toBeGreaterThan(lastHighWater);
      lastHighWater = engine.arrivalHighWater;
      const times: bigint[] = [];
      for (const b of engine.readSeries('root.crash.d', 'v')) {
        for (let i = 0; i < b.length; i++) {
          times.push(b.times[i]!);
          expect((b.values as BigInt64Array)[i]).toBe(b.times[i]! * 3n);
        }
      }
      // A torn WAL tail and an unfinished flush are what a kill leaves; corruption is not.
      const damage = engine.recoveryReports.filter((r) => !r.includes('torn tail') && !r.includes('unfinished flush'));
      expect(damage).toEqual([]);
      // Everything acknowledged is there; unacknowledged writes may be too, but nothing twice.
      expect(times.length).toBeGreaterThanOrEqual(acked);
      expect(new Set(times).size).toBe(times.length);
      for (let t = 0; t < acked; t++) expect(times[t]).toBe(BigInt(t));
      next = times.length;
      await engine.close();
    }
  }, 120_000);
});
