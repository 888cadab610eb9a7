import { describe, expect, it } from 'vitest';
import { createPipeSql, eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

async function stoppedWith(a: Awaited<ReturnType<typeof node>>, name: string): Promise<string> {
  await eventually(async () => (await rows(a.session, `show pipe ${name}`))[0]![3] === 'STOPPED', `${name} stopped`);
  return (await rows(a.session, `show pipe ${name}`))[0]![7]!;
}

const listUsers = async (n: Awaited<ReturnType<typeof node>>) => (await rows(n.session, 'list user')).map((r) => r[1]);

describe('auth sync through the sinks', () => {
  it('retries with 803 (RUNNING, shown) while the sink user may not manage users on the receiver', async () => {
    const a = await node();
    const b = await node();
    await b.session.executeStatement("create user alice 'alice-pw'");
    await a.session.executeStatement("create user carol 'carol-pw'");
    await a.session.executeStatement(
      createPipeSql(
        'p',
        'iotdb-thrift-sink',
        b.node.port,
        ", 'sink.user'='alice', 'sink.password'='alice-pw'",
        "'source.inclusion'='auth'",
      ),
    );
    await a.session.executeStatement('start pipe p');
    // IoTDB's sink.exception.others.retry-max-time-seconds is -1: the refusal is retried for ever.
    await eventually(async () => (await rows(a.session, 'show pipe p'))[0]![7]!.includes('803'), 'the refusal');
    const [shown] = await rows(a.session, 'show pipe p');
    expect(shown![3]).toBe('RUNNING');
    expect(shown![7]).toMatch(/please add privilege MANAGE_USER/);
    expect(await listUsers(b)).toEqual(['alice', 'root']);
    // Once alice may manage users, the pipe carries them.
    await b.session.executeStatement('grant MANAGE_USER on root.** to user alice');
    await eventually(async () => (await listUsers(b)).includes('carol'), 'carol on B');
  });

  it('carries users through the async sink and a processor, leaving out what the exclusion names', async () => {
    const a = await node();
    const b = await node();
    await a.session.executeStatement("create user dave1 'dave-pw1'");
    await a.session.executeStatement(
      createPipeSql(
        'p',
        'iotdb-thrift-async-sink',
        b.node.port,
        '',
        "'source.inclusion'='auth', 'source.inclusion.exclusion'='auth.user.drop'",
      ).replace(' with connector', " with processor ('processor'='tumbling-time-sampling-processor') with connector"),
    );
    await a.session.executeStatement('start pipe p');
    await eventually(async () => (await listUsers(b)).includes('dave1'), 'dave1 on B');
    // The drop comes first in A's log: once erin1 is on B, the drop would have been too.
    await a.session.executeStatement('drop user dave1');
    await a.session.executeStatement("create user erin1 'erin-pw1'");
    await eventually(async () => (await listUsers(b)).includes('erin1'), 'erin1 on B');
    expect(await listUsers(b)).toContain('dave1');
  });

  it('refuses to carry users through a sink that speaks no config plans', async () => {
    const a = await node();
    const b = await node();
    await a.session.executeStatement("create user fred1 'fred-pw1'");
    await a.session.executeStatement(
      createPipeSql('p', 'iotdb-legacy-pipe-sink', b.node.port, '', "'source.inclusion'='auth'"),
    );
    await a.session.executeStatement('start pipe p');
    expect(await stoppedWith(a, 'p')).toMatch(/this sink cannot carry create-user of user fred1/);
  });
});
