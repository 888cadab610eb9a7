// IoTDB's Data Sync quick start, end to end: starts node A on 6667 and node B on 6668
// (fresh data folders under .tmp/quickstart), creates and starts pipe a2b on A, inserts a
// point on A, and prints what `SELECT ** FROM root` returns on B. Ports can be changed
// with QUICKSTART_PORT_A / QUICKSTART_PORT_B, the folder with QUICKSTART_DIR.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../protocol/client/session.js';
import { renderTable, rowTexts } from '../server/cli/result-table.js';
import { ZoneOffsets } from '../server/cli/time-format.js';
import { startNode } from './node-process.js';

const root = new URL('..', import.meta.url).pathname;
const work = process.env.QUICKSTART_DIR ?? join(root, '.tmp', 'quickstart');
const portA = Number(process.env.QUICKSTART_PORT_A ?? 6667);
const portB = Number(process.env.QUICKSTART_PORT_B ?? 6668);

async function run(session: Session, sql: string): Promise<void> {
  console.log(`${session === a ? 'A' : 'B'}> ${sql}`);
  await session.executeStatement(sql);
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const nodeA = await startNode({ name: 'node a', port: portA, data: join(work, 'a') });
const nodeB = await startNode({ name: 'node b', port: portB, data: join(work, 'b') });
const a = await Session.open({ port: portA });
const b = await Session.open({ port: portB });
try {
  await run(
    a,
    `create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${portB}')`,
  );
  await run(a, 'start pipe a2b');
  await run(a, 'INSERT INTO root.db.d(time, m) values (1, 1)');
  console.log('B> SELECT ** FROM root');
  for (let attempt = 0; attempt < 100; attempt++) {
    const { result, blocks } = await b.query('SELECT ** FROM root');
    const time = { precision: b.timestampPrecision, zone: new ZoneOffsets(b.zoneId), display: 'default' } as const;
    const rows = blocks.flatMap((block) => rowTexts(block, 0, block.rowCount, result.columnNames, true, time));
    if (rows.length > 0 || attempt === 99) {
      console.log(renderTable(['Time', ...result.columnNames], rows));
      console.log(`Total line number = ${rows.length}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
} finally {
  await a.close();
  await b.close();
  await nodeA.stop();
  await nodeB.stop();
}
