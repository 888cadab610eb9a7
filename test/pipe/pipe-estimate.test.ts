import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { eventually, pipeNodes } from './pipe-test-kit.js';

const node = pipeNodes();

/** SHOW PIPES as column name -> cell of the first row. */
async function showPipe(session: Session): Promise<Record<string, string>> {
  const { result, blocks } = await session.query('show pipes');
  const block = blocks.find((b) => b.rowCount > 0)!;
  const cells = block.columns.map((c) => new TextDecoder().decode((c.values as Uint8Array[])[0]!));
  return Object.fromEntries(result.columnNames.map((name, i) => [name, cells[i]!]));
}

describe('SHOW PIPES estimates the time left from the recent delivery rate', () => {
  it('gives a finite estimate while history ships, 0 once done; later clients get IoTDB’s newer column name', async () => {
    const a = await node();
    // A receiver that takes 150 ms per file: twelve history files take about two seconds.
    const file = join(a.node.dir, 'slow-connector.mjs');
    writeFileSync(
      file,
      `export class Slow {
        static role = 'connector';
        static parameters = [];
        transfer() { return new Promise((resolve) => setTimeout(resolve, 150)); }
      }\n`,
    );
    await a.session.executeStatement(`create pipeplugin slow as 'Slow' using uri '${file}'`);
    for (let i = 0; i < 12; i++) {
      await a.session.executeStatement(`insert into root.db.d(time, s) values (${i}, ${i})`);
      await a.session.executeStatement('flush');
    }
    await a.session.executeStatement("create pipe p with connector ('connector'='slow')");
    const stopped = await showPipe(a.session);
    expect(stopped.RemainingEventCount).toBe('12');
    // Nothing moves while the pipe is stopped.
    expect(stopped.EstimatedRemainingTime).toBe('Infinity');
    await a.session.executeStatement('start pipe p');
    let seen: Record<string, string> = {};
    await eventually(async () => {
      seen = await showPipe(a.session);
      const left = Number(seen.RemainingEventCount);
      return left >= 2 && left <= 8;
    }, 'the pipe to be half-way');
    const seconds = Number(seen.EstimatedRemainingTime);
    // About 150 ms per file left (the machine may be slow: bounds are loose, the point is "real").
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(60);

    const later = await Session.open({ port: a.node.port, sqlDialect: 'tree' });
    onTestFinished(() => later.close());
    expect((await later.query('show pipes')).result.columnNames.at(-1)).toBe('EstimatedRemainingSeconds');

    await eventually(async () => (await showPipe(a.session)).RemainingEventCount === '0', 'history to be across');
    expect((await showPipe(a.session)).EstimatedRemainingTime).toBe('0.00');
  });
});
