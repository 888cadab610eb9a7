import { describe, expect, it, onTestFinished } from 'vitest';
import { Session } from '../../protocol/client/session.js';
import { eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

describe('pipes from node A to node B', () => {
  it("runs IoTDB's Data Sync quick start: history and realtime arrive on B", async () => {
    const a = await node();
    const b = await node();
    await a.session.executeStatement("insert into root.db.d(time, m, t) values (1, 1, 'x'), (2, 2, null)");
    await a.session.executeStatement(
      `create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${b.node.port}')`,
    );
    const shown = await rows(a.session, 'show pipes');
    expect(shown[0]!.slice(1, 4)).toEqual(['a2b', expect.stringMatching(/^\d{4}-/), 'STOPPED']);
    // RemainingEventCount: the one history file, until B has loaded it.
    expect(shown[0]![8]).toBe('1');
    await a.session.executeStatement('start pipe a2b');
    await a.session.executeStatement('insert into root.db.d(time, m) values (3, 3)');
    await a.session.executeStatement('insert into root.db.e(time, m) aligned values (4, 4)');
    const expected = await rows(a.session, 'select ** from root');
    await eventually(
      async () => JSON.stringify(await rows(b.session, 'select ** from root')) === JSON.stringify(expected),
      'B to hold A’s data',
    );
    expect(await rows(b.session, 'select ** from root')).toEqual(expected);
    expect((await rows(a.session, 'show pipe a2b'))[0]![3]).toBe('RUNNING');
    await eventually(async () => (await rows(a.session, 'show pipe a2b'))[0]![8] === '0', 'no event left');
  });

  it('syncs only the paths whose text starts with the pattern, and the history time range', async () => {
    const a = await node();
    const b = await node();
    for (const sql of [
      'insert into root.aligned.`1`(time, s) values (1, 1)',
      'insert into root.aligned.`123`(time, s) values (1, 1)',
      'insert into root.aligned.1TS(time, s) values (1, 1), (100, 2)',
      'insert into root.aligned.100TS(time, `1`) values (5, 1)',
    ]) {
      await a.session.executeStatement(sql);
    }
    await a.session.executeStatement(
      `create pipe p with extractor ('extractor.pattern'='root.aligned.1', 'extractor.history.end-time'='50') with connector ('connector'='iotdb-thrift-connector', 'connector.node-urls'='127.0.0.1:${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe p');
    await a.session.executeStatement('insert into root.aligned.1TS(time, s) values (200, 3)');
    await eventually(async () => (await rows(b.session, 'select ** from root')).length === 3, 'B to hold 3 rows');
    expect(await rows(b.session, 'select ** from root')).toEqual([
      ['1', 'null', '1'],
      ['5', '1', 'null'],
      ['200', 'null', '3'],
    ]);
    expect((await rows(b.session, 'show timeseries')).map((r) => r[1])).toEqual([
      'root.aligned.100TS.`1`',
      'root.aligned.1TS.s',
    ]);
  });

  it('refuses bad pipes with clear messages and creates nothing', async () => {
    const a = await node();
    const create = (clauses: string) => a.session.executeStatement(`create pipe bad ${clauses}`);
    await expect(create("with connector ('connector'='nope')")).rejects.toThrow(
      "connector plugin 'nope' does not exist",
    );
    await expect(
      create("with connector ('connector'='do-nothing-connector', 'connector.colour'='red')"),
    ).rejects.toThrow("unknown parameter 'connector.colour'");
    await expect(
      create(
        "with extractor ('extractor.history.enable'='false', 'extractor.realtime.enable'='false') with connector ('connector'='do-nothing-connector')",
      ),
    ).rejects.toThrow('both disabled');
    await expect(
      create("with extractor ('extractor.history.enable'='maybe') with connector ('connector'='do-nothing-connector')"),
    ).rejects.toThrow('expected true or false');
    await expect(
      create(
        `with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${a.node.port}')`,
      ),
    ).rejects.toThrow('points at this node itself');
    await expect(create("with connector ('connector'='iotdb-thrift-connector')")).rejects.toThrow(
      "needs 'connector.ip'",
    );
    expect(await rows(a.session, 'show pipes')).toEqual([]);
    await a.session.executeStatement("create pipe ok with sink ('sink'='do-nothing-sink',)");
    await expect(a.session.executeStatement("create pipe ok with sink ('sink'='do-nothing-sink')")).rejects.toThrow(
      'the pipe with the same name has been created',
    );
    await a.session.executeStatement("create pipe if not exists ok with sink ('sink'='do-nothing-sink')");
    await expect(a.session.executeStatement('start pipe nothing')).rejects.toMatchObject({ code: 1806 });
    await a.session.executeStatement('start pipe ok');
    await a.session.executeStatement('drop pipe ok');
    expect(await rows(a.session, 'show pipes')).toEqual([]);
    const plugins = await rows(a.session, 'show pipeplugins');
    expect(plugins.map((r) => r[1])).toEqual(
      expect.arrayContaining([
        'IOTDB-EXTRACTOR',
        'DO-NOTHING-PROCESSOR',
        'IOTDB-THRIFT-CONNECTOR',
        'IOTDB-THRIFT-ASYNC-CONNECTOR',
        'DO-NOTHING-CONNECTOR',
      ]),
    );
  });

  it('carries every data type, aligned and not, out of order, as whole files and as tablets', async () => {
    const a = await node();
    const b = await node();
    const types = ['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'TEXT', 'STRING', 'BLOB', 'DATE', 'TIMESTAMP'];
    await a.session.executeStatement(
      `create aligned timeseries root.all.al(${types.map((t, i) => `c${i} ${t}`).join(', ')})`,
    );
    for (const t of types) await a.session.executeStatement(`create timeseries root.all.na.c_${t} with datatype=${t}`);
    const values = ['true', '1', '2', '1.5', '2.5', "'t'", "'s'", "'0x0aff'", "'2024-02-29'", '7'];
    const insert = (time: number) => [
      `insert into root.all.al(time, ${types.map((_, i) => `c${i}`).join(', ')}) aligned values (${time}, ${values.join(', ')})`,
      `insert into root.all.na(time, ${types.map((t) => `c_${t}`).join(', ')}) values (${time}, ${values.join(', ')})`,
    ];
    for (const t of [5, 3, 9]) for (const sql of insert(t)) await a.session.executeStatement(sql);
    await a.session.executeStatement('flush');
    for (const sql of insert(1)) await a.session.executeStatement(sql);
    await a.session.executeStatement(
      `create pipe all with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe all');
    for (const t of [7, 2]) for (const sql of insert(t)) await a.session.executeStatement(sql);
    const expected = await rows(a.session, 'select ** from root');
    expect(expected).toHaveLength(6);
    await eventually(
      async () => JSON.stringify(await rows(b.session, 'select ** from root')) === JSON.stringify(expected),
      'every type on B',
    );
    const typesOf = async (s: Session) => (await rows(s, 'show timeseries')).map((r) => [r[1], r[4]]);
    expect(await typesOf(b.session)).toEqual(await typesOf(a.session));
    expect((await rows(b.session, 'show devices')).map((r) => [r[1], r[2]])).toEqual([
      ['root.all.al', 'true'],
      ['root.all.na', 'false'],
    ]);
  });

  it('checks the pipe privileges of IoTDB 1.2 and 1.3 for every statement', async () => {
    const a = await node();
    await a.session.executeStatement("create user piper 'secret1'");
    const piper = await Session.open({ port: a.node.port, user: 'piper', password: 'secret1' });
    onTestFinished(() => piper.close());
    const create = "create pipe p with connector ('connector'='do-nothing-connector')";
    await expect(piper.executeStatement(create)).rejects.toMatchObject({
      code: 803,
      message: expect.stringContaining('USE_PIPE'),
    });
    await a.session.executeStatement('grant user piper privileges CREATE_PIPE');
    await piper.executeStatement(create);
    await expect(piper.executeStatement('start pipe p')).rejects.toMatchObject({ code: 803 });
    await expect(piper.executeStatement('show pipes')).rejects.toMatchObject({ code: 803 });
    await a.session.executeStatement('grant USE_PIPE on root.** to user piper');
    await piper.executeStatement('start pipe p');
    expect((await rows(piper, 'show pipes')).map((r) => r[3])).toEqual(['RUNNING']);
    await piper.executeStatement('drop pipe p');
  });

  it('keeps retrying while the receiver is down and delivers everything once it is back', async () => {
    const a = await node();
    const b = await node();
    const port = b.node.port;
    const dir = b.node.dir;
    await a.session.executeStatement(
      `create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='${port}')`,
    );
    await a.session.executeStatement('start pipe a2b');
    await a.session.executeStatement('insert into root.db.d(time, m) values (1, 1)');
    await eventually(async () => (await rows(b.session, 'select ** from root')).length === 1, 'the first row');
    await b.session.close();
    await b.node.node.stop();
    await a.session.executeStatement('insert into root.db.d(time, m) values (2, 2)');
    await new Promise((r) => setTimeout(r, 500));
    const again = await node({ rpc_port: String(port), data_dirs: `${dir}/data` });
    await eventually(
      async () => (await rows(again.session, 'select ** from root')).length === 2,
      'both rows after the restart',
    );
  });
});
