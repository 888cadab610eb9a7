import { describe, expect, it } from 'vitest';
import { eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

/** `insert` of one point a second for `seconds` seconds into root.db.<device>.s (value = second). */
function everySecond(device: string, seconds: number): string {
  const values = Array.from({ length: seconds }, (_, s) => `(${s * 1000}, ${s})`).join(', ');
  return `insert into root.db.${device}(time, s) values ${values}`;
}

describe('built-in down-sampling processors in a pipe from A to B', () => {
  it('thin history files and realtime writes per series; SHOW PIPEPLUGINS lists them', async () => {
    const a = await node();
    const b = await node();
    const plugins = (await rows(a.session, 'show pipeplugins')).map((r) => r[1]);
    expect(plugins).toEqual(
      expect.arrayContaining([
        'TUMBLING-TIME-SAMPLING-PROCESSOR',
        'SDT-SAMPLING-PROCESSOR',
        'CHANGING-VALUE-SAMPLING-PROCESSOR',
      ]),
    );
    await a.session.executeStatement(everySecond('history', 30));
    await a.session.executeStatement(
      `create pipe thin with processor ('processor'='tumbling-time-sampling-processor', 'processor.tumbling-time.interval-seconds'='10', 'processor.down-sampling.split-file'='true') with connector ('connector'='iotdb-thrift-connector', 'connector.node-urls'='127.0.0.1:${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe thin');
    // Realtime in two batches: the series keeps its last kept time across them.
    await a.session.executeStatement(everySecond('live', 15));
    await a.session.executeStatement(
      `insert into root.db.live(time, s) values ${Array.from({ length: 15 }, (_, i) => `(${(i + 15) * 1000}, ${i + 15})`).join(', ')}`,
    );
    await eventually(async () => (await rows(a.session, 'show pipe thin'))[0]![8] === '0', 'A to deliver everything');
    expect(await rows(b.session, 'select s from root.db.history')).toEqual([
      ['0', '0'],
      ['10000', '10'],
      ['20000', '20'],
    ]);
    expect(await rows(b.session, 'select s from root.db.live')).toEqual([
      ['0', '0'],
      ['10000', '10'],
      ['20000', '20'],
    ]);
  });
});
