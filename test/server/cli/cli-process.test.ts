import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TSOpenSessionReq } from '../../../protocol/rpc-types.js';
import { DataType } from '../../../tsfile/data-type.js';
import { deadPort, type FakeNode, startFakeNode } from '../../protocol/client/fake-node.js';

const BIN = new URL('../../../bin/iotdb-lite.js', import.meta.url).pathname;

let node: FakeNode;
let home: string;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'cli-home-'));
  node = await startFakeNode({
    statements: {
      'select * from root.sg.d1': {
        columns: ['root.sg.d1.s1', 'root.sg.d1.s2'],
        dataTypes: [DataType.FLOAT, DataType.BLOB],
        rows: {
          times: BigInt64Array.of(1n, 1_700_000_000_000n),
          columns: [
            { type: DataType.FLOAT, values: Float32Array.of(1.5, 1e10), nulls: Uint8Array.of(0, 1) },
            { type: DataType.BLOB, values: [Uint8Array.of(0xca, 0xfe), Uint8Array.of()], nulls: null },
          ],
          rowCount: 2,
        },
        pageRows: 1,
      },
      'count timeseries': {
        columns: ['count(timeseries)'],
        dataTypes: [DataType.INT64],
        ignoreTimeStamp: true,
        rows: {
          times: BigInt64Array.of(0n),
          columns: [{ type: DataType.INT64, values: BigInt64Array.of(2n), nulls: null }],
          rowCount: 1,
        },
      },
      'select bad': { code: 700, message: "line 1:10 mismatched input '<EOF>' expecting FROM" },
    },
  });
});
afterAll(async () => {
  await node.close();
  rmSync(home, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'cli', ...args], {
      env: { ...process.env, TZ: 'Asia/Shanghai', HOME: home },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) =>
      resolve({ code, stdout: stdout.replace(/It costs \d+\.\d{3}s/g, 'It costs 0.000s'), stderr }),
    );
    child.stdin.end();
  });
}

describe('iotdb-lite cli as a process', () => {
  it('runs -e statements with -h -p -u -pw, prints IoTDB’s tables, exits 1 when one fails', async () => {
    const refused = await deadPort();
    const [run, unquoted, denied, unreachable] = await Promise.all([
      cli([
        '-h',
        '127.0.0.1',
        '-p',
        String(node.port),
        '-u',
        'root',
        '-pw',
        'root',
        '-e',
        'insert into root.sg.d1(time, s1) values (1, 1.5); select * from root.sg.d1; select bad; count timeseries',
      ]),
      cli(['-p', String(node.port), '-c', '-disableISO8601', '-e', 'select', '*', 'from', 'root.sg.d1']),
      cli(['-p', String(node.port), '-pw', 'wrong', '-e', 'count timeseries']),
      cli(['-p', String(refused), '-e', 'count timeseries']),
    ]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'Msg: The statement is executed successfully.',
        '+-----------------------------+-------------+-------------+',
        '|                         Time|root.sg.d1.s1|root.sg.d1.s2|',
        '+-----------------------------+-------------+-------------+',
        '|1970-01-01T08:00:00.001+08:00|          1.5|       0xcafe|',
        '|2023-11-15T06:13:20.000+08:00|         null|           0x|',
        '+-----------------------------+-------------+-------------+',
        'Total line number = 2',
        'It costs 0.000s',
        "Msg: 700: line 1:10 mismatched input '<EOF>' expecting FROM",
        '+-----------------+',
        '|count(timeseries)|',
        '+-----------------+',
        '|                2|',
        '+-----------------+',
        'Total line number = 1',
        'It costs 0.000s',
        '',
      ].join('\n'),
    );
    const opens = node.callsOf('openSession').map(([req]) => req as TSOpenSessionReq);
    expect(opens.map((o) => o.zoneId)).toContain('Asia/Shanghai');

    expect(unquoted.code).toBe(0);
    expect(unquoted.stdout).toContain('|            1|          1.5|       0xcafe|');
    expect(unquoted.stdout).toContain('|1700000000000|         null|           0x|');

    expect(denied).toMatchObject({ code: 1, stdout: '', stderr: 'Error: 801: Authentication failed.\n' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toBe('');
    expect(unreachable.stderr).toBe(
      `Error: cannot connect to 127.0.0.1:${refused}: connect ECONNREFUSED 127.0.0.1:${refused}\n`,
    );
  });

  it('refuses a bad port before connecting', async () => {
    const run = await cli(['-p', 'abc', '-e', 'count timeseries']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("option '-p, --port <port>' argument 'abc' is invalid");
  });
});
