import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliOptions, runCli } from '../../../server/cli/cli-app.js';
import { DataType } from '../../../tsfile/data-type.js';
import { type FakeNode, startFakeNode } from '../../protocol/client/fake-node.js';

const enc = new TextEncoder();
const SHOW = {
  columns: ['Database'],
  dataTypes: [DataType.TEXT],
  ignoreTimeStamp: true,
  rows: {
    times: BigInt64Array.of(0n),
    columns: [{ type: DataType.TEXT, values: [enc.encode('root.sg')], nulls: null }],
    rowCount: 1,
  },
};

let node: FakeNode | null = null;
let dir: string | null = null;
afterEach(async () => {
  await node?.close();
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  node = null;
  dir = null;
});

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (d: Buffer) => {
    text += d.toString('utf8');
  });
  return () => text;
}

function options(port: number, more: Partial<CliOptions> = {}): CliOptions {
  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    password: 'root',
    maxRows: 1000,
    compact: false,
    numericTimes: false,
    ...more,
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('iotdb-lite cli, interactive, in process', () => {
  it('reads piped statements line by line (a quote left open goes on), keeps history, stops at exit', async () => {
    node = await startFakeNode({ statements: { 'show databases': SHOW } });
    dir = mkdtempSync(join(tmpdir(), 'cli-history-'));
    const historyFile = join(dir, '.iotdb-lite_history');
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = collect(stdout);
    const err = collect(stderr);
    stdin.end(
      [
        'show databases',
        "insert into root.sg.d1(time, s) values (1, 'two",
        "lines')",
        "create user bob 'secret'",
        '',
        'exit',
        'show databases',
        '',
      ].join('\n'),
    );
    const code = await runCli(options(node.port, { compact: true }), { stdin, stdout, stderr, historyFile });
    expect(code).toBe(0);
    expect(err()).toBe('');
    expect(out().replace(/It costs \d+\.\d{3}s/, 'It costs 0.000s')).toBe(
      [
        `Successfully login at 127.0.0.1:${node.port}`,
        '+--------+',
        '|Database|',
        '+--------+',
        '| root.sg|',
        '+--------+',
        'Total line number = 1',
        'It costs 0.000s',
        'Msg: The statement is executed successfully.',
        'Msg: The statement is executed successfully.',
        '',
      ].join('\n'),
    );
    expect(node.callsOf('executeStatementV2').map(([r]) => (r as { statement: string }).statement)).toEqual([
      'show databases',
      "insert into root.sg.d1(time, s) values (1, 'two\nlines')",
      "create user bob 'secret'",
    ]);
    // The password statement is not kept.
    expect(readFileSync(historyFile, 'utf8')).toBe(
      "show databases\ninsert into root.sg.d1(time, s) values (1, 'two lines')\nexit\n",
    );
    expect(node.callsOf('closeSession')).toHaveLength(1);
  });

  it('ends with status 1 and the reason on stderr when the node goes away', async () => {
    node = await startFakeNode({ statements: { 'show databases': SHOW } });
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = collect(stdout);
    const err = collect(stderr);
    const done = runCli(options(node.port), { stdin, stdout, stderr, historyFile: null });
    stdin.write('show databases\n');
    await until(() => out().includes('Total line number = 1'));
    node.dropConnections();
    stdin.write('show databases\n');
    expect(await done).toBe(1);
    expect(err()).toMatch(/^Error: connection to 127\.0\.0\.1:\d+ (closed|failed: read ECONNRESET)\n$/);
  });
});
