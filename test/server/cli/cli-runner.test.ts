import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../../protocol/client/session.js';
import type { ResultBlock } from '../../../protocol/result-block.js';
import { CliRunner } from '../../../server/cli/cli-runner.js';
import { CliSettings } from '../../../server/cli/cli-settings.js';
import { DataType } from '../../../tsfile/data-type.js';
import { type FakeNode, type FakeResult, startFakeNode } from '../../protocol/client/fake-node.js';

const enc = new TextEncoder();

function rows(n: number): ResultBlock {
  return {
    times: BigInt64Array.from({ length: n }, (_, i) => BigInt(i + 1)),
    columns: [
      {
        type: DataType.INT64,
        values: BigInt64Array.from({ length: n }, (_, i) => BigInt((i + 1) * 10)),
        nulls: Uint8Array.from({ length: n }, (_, i) => (i === 2 ? 1 : 0)),
      },
      { type: DataType.TEXT, values: Array.from({ length: n }, (_, i) => enc.encode('abcdefghij'[i]!)), nulls: null },
    ],
    rowCount: n,
  };
}

const D1: FakeResult = {
  columns: ['root.sg.d1.s1', 'root.sg.d1.s2'],
  dataTypes: [DataType.INT64, DataType.TEXT],
  rows: rows(5),
};

const STATEMENTS = {
  'select * from root.sg.d1': D1,
  'select * from root.sg.d2': { ...D1, rows: rows(10) },
  'select * from root.none': {
    columns: [],
    dataTypes: [],
    rows: { times: new BigInt64Array(0), columns: [], rowCount: 0 },
  },
  'show databases': {
    columns: ['Database', 'TTL'],
    dataTypes: [DataType.TEXT, DataType.INT64],
    ignoreTimeStamp: true,
    rows: {
      times: BigInt64Array.of(0n),
      columns: [
        { type: DataType.TEXT, values: [enc.encode('root.sg')], nulls: null },
        { type: DataType.INT64, values: BigInt64Array.of(0n), nulls: Uint8Array.of(1) },
      ],
      rowCount: 1,
    },
  },
  'select bad': { code: 700, message: "line 1:10 mismatched input '<EOF>' expecting FROM" },
} satisfies Record<string, unknown>;

let node: FakeNode | null = null;
let session: Session | null = null;
afterEach(async () => {
  await session?.close();
  await node?.close();
  session = null;
  node = null;
});

interface Run {
  readonly text: string;
  readonly ok: boolean;
  readonly quit: boolean;
}

async function runner(options: { maxRows?: number; answers?: string[] | null } = {}) {
  node ??= await startFakeNode({ statements: STATEMENTS });
  session ??= await Session.open({ port: node.port, zoneId: 'UTC' });
  const out: string[] = [];
  const answers = options.answers ?? null;
  const settings = new CliSettings(session);
  const r = new CliRunner(session, settings, (t) => out.push(t), {
    maxRows: options.maxRows ?? 1000,
    more: answers === null ? null : async () => (answers.shift() ?? null) === '',
  });
  return async (text: string): Promise<Run> => {
    out.length = 0;
    const outcome = await r.run(text);
    return { text: out.join('\n').replace(/It costs \d+\.\d{3}s/g, 'It costs 0.000s'), ...outcome };
  };
}

const HEAD = [
  '+------------------------+-------------+-------------+',
  '|                    Time|root.sg.d1.s1|root.sg.d1.s2|',
  '+------------------------+-------------+-------------+',
];
const RULE = HEAD[0]!;
const ROW = [
  '|1970-01-01T00:00:00.001Z|           10|            a|',
  '|1970-01-01T00:00:00.002Z|           20|            b|',
  '|1970-01-01T00:00:00.003Z|         null|            c|',
  '|1970-01-01T00:00:00.004Z|           40|            d|',
  '|1970-01-01T00:00:00.005Z|           50|            e|',
];

describe('CLI statements against a fake node', () => {
  it('prints a result, a statement without rows, an empty result and a header-only SHOW as IoTDB’s CLI', async () => {
    const run = await runner();
    expect(await run('insert into root.sg.d1(time, s1) values (1, 1); select * from root.sg.d1')).toEqual({
      text: [
        'Msg: The statement is executed successfully.',
        ...HEAD,
        ...ROW,
        RULE,
        'Total line number = 5',
        'It costs 0.000s',
      ].join('\n'),
      ok: true,
      quit: false,
    });
    expect((await run('show databases')).text).toBe(
      [
        '+--------+----+',
        '|Database| TTL|',
        '+--------+----+',
        '| root.sg|null|',
        '+--------+----+',
        'Total line number = 1',
        'It costs 0.000s',
      ].join('\n'),
    );
    expect((await run('select * from root.none')).text).toBe(
      ['+----+', '|Time|', '+----+', '+----+', 'Empty set.', 'It costs 0.000s'].join('\n'),
    );
  });

  it('prints a failing statement as Msg: code: message and goes on with the next', async () => {
    const run = await runner();
    const r = await run('select bad; show databases');
    expect(r.ok).toBe(false);
    expect(r.text.split('\n')[0]).toBe("Msg: 700: line 1:10 mismatched input '<EOF>' expecting FROM");
    expect(r.text).toContain('| root.sg|null|');
  });

  it('prints long results in tables of maxRows rows, the count after the last (-e mode)', async () => {
    const run = await runner({ maxRows: 2 });
    expect((await run('select * from root.sg.d1')).text).toBe(
      [
        ...HEAD,
        ROW[0],
        ROW[1],
        RULE,
        'It costs 0.000s',
        ...HEAD,
        ROW[2],
        ROW[3],
        RULE,
        ...HEAD,
        ROW[4],
        RULE,
        'Total line number = 5',
      ].join('\n'),
    );
  });

  it('asks before each further table in interactive mode and releases the query when told to stop', async () => {
    const run = await runner({ maxRows: 2, answers: ['', 'q'] });
    expect((await run('set fetch_size=2')).text).toBe('Fetch size has set to 2');
    const text = (await run('select * from root.sg.d2')).text;
    const ask = "This display 2 rows. Press ENTER to show more, input 'q' to quit.";
    expect(text.split('\n').filter((l) => l === ask)).toHaveLength(2);
    expect(text).not.toContain('Total line number');
    expect(text.split('\n').filter((l) => l.startsWith('|1970'))).toHaveLength(4);
    expect(node!.callsOf('closeOperation')).toHaveLength(1);
    expect(node!.openQueryCount()).toBe(0);
  });

  it('runs the CLI’s own commands: time zone, time display, fetch size, help', async () => {
    const run = await runner();
    expect((await run('show time_zone; show time_display_type; show fetch_size')).text).toBe(
      ['Current time zone: UTC', 'Current time format: default', 'Current fetch size: 1000'].join('\n'),
    );
    expect((await run('set time_zone=+08:00')).text).toBe('Time zone has set to +08:00');
    expect(node!.callsOf('setTimeZone').map(([req]) => (req as { timeZone: string }).timeZone)).toEqual(['+08:00']);
    expect((await run('select * from root.sg.d1')).text).toContain('|1970-01-01T08:00:00.001+08:00|           10|');
    expect(await run('set time_zone=Mars/Olympus')).toMatchObject({ ok: false });
    expect((await run('set time_display_type=long; select * from root.sg.d1')).text).toContain(
      [
        '|Time|root.sg.d1.s1|root.sg.d1.s2|',
        '+----+-------------+-------------+',
        '|   1|           10|            a|',
      ].join('\n'),
    );
    expect(await run('set time_display_type=yyyy')).toMatchObject({ ok: false });
    expect(await run('set fetch_size=abc')).toEqual({
      text: "Fetch size format error, 'abc' is not a positive integer",
      ok: false,
      quit: false,
    });
    expect((await run('set fetch_size')).text).toBe('Fetch size format error, please input like set fetch_size=10000');
    expect((await run('help')).text).toContain('set time_zone=xxx');
    expect(node!.callsOf('executeStatementV2').map(([req]) => (req as { statement: string }).statement)).toEqual([
      'select * from root.sg.d1',
      'select * from root.sg.d1',
    ]);
  });

  it('stops at exit or quit', async () => {
    const run = await runner();
    expect(await run('show databases; QUIT; select * from root.sg.d1')).toMatchObject({ ok: true, quit: true });
    expect(node!.callsOf('executeStatementV2')).toHaveLength(1);
  });
});
