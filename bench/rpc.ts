// Node speed over loopback with the project's Session client: insertTablet ingest (tablets
// of 1,000 rows x 10 series, half INT64 half DOUBLE) with 1 and 4 concurrent sessions, and a
// raw query read through executeStatementV2 + fetchResultsV2 (TsBlocks). The node runs in
// its own process, as a user runs it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../protocol/client/session.js';
import { freePort, startNode } from '../scripts/node-process.js';
import { DataType } from '../tsfile/data-type.js';
import type { Tablet } from '../tsfile/tablet.js';
import { mulberry32, report, unit } from './bench-util.js';

const ROWS = 1000;
const SERIES = 10;
const POINTS = Number(process.env.BENCH_RPC_POINTS ?? 10_000_000);
const FETCH_SIZE = Number(process.env.BENCH_RPC_FETCH_SIZE ?? 10_000);

function tablets(device: string, count: number): Tablet[] {
  const rand = mulberry32(11);
  const names = Array.from({ length: SERIES }, (_, s) => `s${s}`);
  return Array.from({ length: count }, (_, k) => {
    const times = BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(1_700_000_000_000 + (k * ROWS + i) * 1000));
    return {
      device,
      aligned: false,
      measurements: names,
      dataTypes: names.map((_, s) => (s % 2 === 0 ? DataType.INT64 : DataType.DOUBLE)),
      times,
      columns: names.map((_, s) =>
        s % 2 === 0
          ? BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(k * ROWS + i))
          : Float64Array.from({ length: ROWS }, () => unit(rand)),
      ),
      nulls: names.map(() => null),
      rowCount: ROWS,
    };
  });
}

async function ingest(port: number, sessions: number, points: number, prefix: string): Promise<number> {
  const perSession = Math.floor(points / sessions / (ROWS * SERIES));
  const clients = await Promise.all(Array.from({ length: sessions }, () => Session.open({ port })));
  const work = clients.map((_, c) => tablets(`root.bench.${prefix}${c}`, perSession));
  const start = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (s, c) => {
      for (const t of work[c]!) await s.insertTablet(t);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await Promise.all(clients.map((s) => s.close()));
  return (perSession * sessions * ROWS * SERIES) / seconds;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-rpc-'));
const port = await freePort();
const node = await startNode({ port, data: join(dir, 'data') });
try {
  report('rpc_ingest_1_session', await ingest(port, 1, POINTS, 'one'), 'points/s');
  report('rpc_ingest_4_sessions', await ingest(port, 4, POINTS, 'four'), 'points/s');

  const session = await Session.open({ port, fetchSize: FETCH_SIZE });
  for (const [name, sql] of [
    ['rpc_query_memtable', 'select * from root.bench.one0'],
    ['rpc_query_tsfile', 'select * from root.bench.one0'],
  ] as const) {
    if (name === 'rpc_query_tsfile') await session.executeStatement('flush');
    const start = process.hrtime.bigint();
    const result = (await session.executeStatement(sql))!;
    let points = 0;
    for await (const block of result.blocks()) points += block.rowCount * block.columns.length;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    report(name, points / seconds, 'points/s');
  }
  await session.close();
} finally {
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
}
