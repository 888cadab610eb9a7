import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, pipeNodes, rows } from '../../pipe/pipe-test-kit.js';
import { freePort } from '../node-processes.js';

const BIN = new URL('../../../bin/iotdb-lite.js', import.meta.url).pathname;
const node = pipeNodes();

/** `iotdb-lite pipes ARGS` as a child process, its output not a terminal. */
function pipes(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'pipes', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Sizes of the sealed TsFiles under a folder, as the file system reports them. */
function tsfileBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.tsfile')) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** The key=value fields of a plain line. */
function fields(line: string): Record<string, string> {
  return Object.fromEntries([...line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)].map((m) => [m[1]!, m[2]!]));
}

describe('iotdb-lite pipes prints the progress of every pipe of a node', () => {
  it('prints one plain line per pipe: history files and bytes, rate, ETA, realtime lag, state, error', async () => {
    const a = await node();
    const b = await node();
    for (let i = 0; i < 3; i++) {
      await a.session.executeStatement(`insert into root.db.d(time, s) values (${i}, ${i})`);
      await a.session.executeStatement('flush');
    }
    const bytes = tsfileBytes(join(a.node.dir, 'data'));
    expect(bytes).toBeGreaterThan(0);
    await a.session.executeStatement(
      `create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe a2b');
    await a.session.executeStatement('insert into root.db.d(time, s) values (100, 100)');
    await eventually(async () => (await rows(b.session, 'select s from root.db.d')).length === 4, 'B to hold 4 rows');
    // A pipe created after that write was flushed, never started: all four files are left.
    await a.session.executeStatement('flush');
    const allBytes = tsfileBytes(join(a.node.dir, 'data'));
    await a.session.executeStatement("create pipe idle with connector ('connector'='do-nothing-connector')");

    const once = await pipes(['-h', '127.0.0.1', '-p', String(a.node.port), '-u', 'root', '-pw', 'root', '--once']);
    expect(once.stderr).toBe('');
    expect(once.code).toBe(0);
    const lines = once.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const sent = fields(lines.find((l) => l.startsWith('pipe=a2b '))!);
    expect(sent).toMatchObject({
      state: 'RUNNING',
      files: '3/3',
      bytes: `${bytes}/${bytes}`,
      progress: '100.0%',
      bytes_per_second: '-',
      remaining_events: '0',
      eta_seconds: '0.00',
      realtime_left: '0',
      error: '""',
    });
    // Over the last 10 s: positive right after delivery, 0 on a machine slow enough to take longer.
    expect(sent.events_per_second).toMatch(/^\d+\.\d\d$/);
    expect(sent.lag_seconds).toMatch(/^\d+\.\d{3}$/);
    expect(sent.pinned_wal_bytes).toMatch(/^\d+$/);
    expect(fields(lines.find((l) => l.startsWith('pipe=idle '))!)).toEqual({
      pipe: 'idle',
      state: 'STOPPED',
      files: '0/4',
      bytes: `0/${allBytes}`,
      progress: '0.0%',
      events_per_second: '0.00',
      bytes_per_second: '-',
      remaining_events: '4',
      eta_seconds: 'Infinity',
      realtime_left: '0',
      lag_seconds: '-',
      // A stopped pipe keeps its pin: the WAL written since its creation.
      pinned_wal_bytes: expect.stringMatching(/^\d+$/),
      error: '""',
    });

    // --watch refreshes: each snapshot a line per pipe; from the second on, bytes per second.
    const watch = await pipes(['-p', String(a.node.port), '--watch', '--iterations', '2']);
    expect(watch.code).toBe(0);
    const refreshed = watch.stdout.trimEnd().split('\n');
    expect(refreshed.map((l) => fields(l).pipe)).toEqual(['a2b', 'idle', 'a2b', 'idle']);
    expect(fields(refreshed[2]!).bytes_per_second).toBe('0');
  });

  it('says in one line that a node cannot be reached, and exits 1', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await pipes(['-p', String(port), '--watch']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^Error: cannot watch the pipes of 127\\.0\\.0\\.1:${port}: [^\\n]+\\n$`));
  });
});
