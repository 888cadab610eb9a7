import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../node-harness.js';

const BIN = new URL('../../../bin/iotdb-lite.js', import.meta.url).pathname;

let node: TestNode | null = null;
afterEach(async () => {
  await node?.close();
  node = null;
});

function cli(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'cli', ...args], { env: { ...process.env, TZ: 'Asia/Shanghai' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('iotdb-lite cli against a real node', () => {
  it('runs -e statements with -h -p -u -pw and exits 1 when one fails', async () => {
    node = await startTestNode();
    const ok = await cli([
      '-h',
      '127.0.0.1',
      '-p',
      String(node.port),
      '-u',
      'root',
      '-pw',
      'root',
      '-e',
      "insert into root.sg.d1(time, s1, s2) values (1, 1.5, 'a'), (2, null, 'b'); select * from root.sg.d1; count timeseries",
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Msg: The statement is executed successfully.');
    expect(ok.stdout).toContain(
      [
        '+-----------------------------+-------------+-------------+',
        '|                         Time|root.sg.d1.s1|root.sg.d1.s2|',
        '+-----------------------------+-------------+-------------+',
        '|1970-01-01T08:00:00.001+08:00|          1.5|            a|',
        '|1970-01-01T08:00:00.002+08:00|         null|            b|',
        '+-----------------------------+-------------+-------------+',
        'Total line number = 2',
      ].join('\n'),
    );
    expect(ok.stdout).toContain('|count(timeseries)|\n+-----------------+\n|                2|');
    const bad = await cli(['-p', String(node.port), '-e', 'select * form root.sg.d1']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^Msg: 700: line 1:9 /m);
    const denied = await cli(['-p', String(node.port), '-pw', 'wrong', '-e', 'show databases']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('801: Authentication failed');
  });

  it('reads statements line by line in interactive mode until exit', async () => {
    node = await startTestNode();
    const run = await cli(['-p', String(node.port)], 'create database root.x\nshow databases\nexit\nshow databases\n');
    expect(run.code).toBe(0);
    expect(run.stdout.match(/\| *root\.x\|/g)).toHaveLength(1);
  });

  it('exits 1 with a message when no node listens', async () => {
    const run = await cli(['-p', '1', '-e', 'show databases']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot connect to 127.0.0.1:1');
  });
});
