import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { eventually, pipeNodes, rows } from '../../pipe/pipe-test-kit.js';

const node = pipeNodes();
const METRICS_ON = { metric_reporter_list: 'PROMETHEUS', metric_prometheus_reporter_port: '0' };

async function scrape(port: number): Promise<{ body: string; contentType: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  return { body: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}

/** The value of one sample, e.g. `quantity_total{name="pointsIn",source="rpc"}`; labels in the order written. */
function sample(body: string, series: string): number | undefined {
  for (const line of body.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Debian's promtool (package `prometheus`); CI installs it, and a missing one fails here by name. */
function promtool(args: string[], input: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { input, encoding: 'utf8' });
  if (run.error !== undefined) {
    throw new Error(`promtool is needed for this test (apt-get install prometheus): ${run.error.message}`);
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("Prometheus metrics (IoTDB's metric_reporter_list=PROMETHEUS)", () => {
  it('are off by default', async () => {
    const a = await node();
    expect(a.node.node.metrics).toBeNull();
  });

  it('count what the engine, a pipe and a receiver did; promtool finds the exposition clean', async () => {
    const a = await node(METRICS_ON);
    const b = await node(METRICS_ON);
    // History: 2 points in one sealed file.
    await a.session.executeStatement('insert into root.db.d(time, s) values (1, 1), (2, 2)');
    await a.session.executeStatement(
      // One request per tablet, so the receiver's count is exact.
      `create pipe p with connector ('connector'='iotdb-thrift-connector', 'connector.batch.enable'='false', 'connector.node-urls'='127.0.0.1:${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe p');
    // Realtime: 3 writes, 5 points.
    await a.session.executeStatement('insert into root.db.d(time, s) values (3, 3), (4, 4)');
    await a.session.executeStatement('insert into root.db.d(time, s) values (5, 5)');
    await a.session.executeStatement('insert into root.db.e(time, s, t) values (6, 6, 6)');
    await eventually(async () => (await rows(a.session, 'show pipe p'))[0]![8] === '0', 'A to deliver everything');
    expect(await rows(b.session, 'select count(s) from root.db.d')).toEqual([['0', '5']]);

    const onA = (await scrape(a.node.node.metrics!.port)).body;
    expect(sample(onA, 'quantity_total{name="pointsIn",source="rpc"}')).toBe(7);
    expect(sample(onA, 'quantity_total{name="pointsIn",source="pipe_receiver"}')).toBe(0);
    expect(sample(onA, 'write_requests_total{source="rpc"}')).toBe(4);
    expect(sample(onA, 'pipe_state{pipe="p"}')).toBe(1);
    expect(sample(onA, 'pipe_connector_tsfile_transfer_total{pipe="p"}')).toBe(1);
    expect(sample(onA, 'pipe_connector_tablet_transfer_total{pipe="p"}')).toBe(3);
    expect(sample(onA, 'pipe_points_sent_total{pipe="p"}')).toBe(5);
    expect(sample(onA, 'pipe_realtime_lag_seconds_count{pipe="p"}')).toBe(3);
    expect(sample(onA, 'pipe_history_files{pipe="p",state="all"}')).toBe(1);
    expect(sample(onA, 'pipe_history_files{pipe="p",state="done"}')).toBe(1);
    expect(sample(onA, 'pipe_datanode_remaining_event_num{pipe="p"}')).toBe(0);
    expect(sample(onA, 'pipe_failures_total{pipe="p"}')).toBe(0);
    expect(sample(onA, 'sealed_files_total')).toBe(1);
    expect(sample(onA, 'flush_cost_seconds_count')).toBe(1);
    expect(sample(onA, 'file_num{name="seq"}')).toBe(1);
    // The handshake, the file's piece and seal, three tablets: all bytes counted.
    expect(sample(onA, 'pipe_sent_bytes_total{pipe="p"}')).toBeGreaterThan(0);
    expect(sample(onA, 'wal_written_bytes_total')).toBeGreaterThan(0);
    // SYNC WAL mode: every group commit syncs.
    expect(sample(onA, 'wal_syncs_total')).toBeGreaterThan(0);
    // `select count` above ran on B; the `show pipe` polls are pipe statements, not queries.
    expect(sample(onA, 'query_latency_seconds_count')).toBe(0);

    const onB = (await scrape(b.node.node.metrics!.port)).body;
    expect(sample(onB, 'pipe_receiver_points_total{receiver="iotdb-thrift"}')).toBe(5);
    expect(sample(onB, 'pipe_receiver_requests_total{receiver="iotdb-thrift"}')).toBe(3);
    expect(sample(onB, 'pipe_receiver_files_loaded_total{receiver="iotdb-thrift"}')).toBe(1);
    expect(sample(onB, 'quantity_total{name="pointsIn",source="pipe_receiver"}')).toBe(5);
    expect(sample(onB, 'quantity_total{name="pointsIn",source="rpc"}')).toBe(0);
    expect(sample(onB, 'query_latency_seconds_count')).toBe(1);

    for (const body of [onA, onB]) expect(promtool(['check', 'metrics'], body)).toEqual({ status: 0, output: '' });
  });

  it('answers 404 off /metrics, and a port in use stops the node from starting with the setting named', async () => {
    const a = await node(METRICS_ON);
    const port = a.node.node.metrics!.port;
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    await expect(
      node({ metric_reporter_list: 'prometheus', metric_prometheus_reporter_port: String(port) }),
    ).rejects.toThrow(`metrics: cannot serve on 127.0.0.1:${port} (metric_prometheus_reporter_port)`);
    await expect(node({ metric_reporter_list: 'GRAPHITE' })).rejects.toThrow(
      "metric_reporter_list: unknown reporter 'GRAPHITE' (known: PROMETHEUS, IOTDB, JMX)",
    );
  });

  it('is scraped by a real Prometheus server', async () => {
    const a = await node(METRICS_ON);
    await a.session.executeStatement('insert into root.db.d(time, s) values (1, 1), (2, 2), (3, 3)');
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
    const webPort = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: iotdb-lite\n    static_configs:\n      - targets: ['127.0.0.1:${a.node.node.metrics!.port}']\n`,
    );
    expect(promtool(['check', 'config', join(dir, 'prometheus.yml')], '').status).toBe(0);
    const server: ChildProcess = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${webPort}`,
      ],
      { stdio: 'ignore' },
    );
    onTestFinished(() => {
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    });
    let value: unknown;
    await eventually(
      async () => {
        try {
          const query = encodeURIComponent('quantity_total{name="pointsIn",source="rpc"}');
          const res = await fetch(`http://127.0.0.1:${webPort}/api/v1/query?query=${query}`);
          const json = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
          value = json.data?.result?.[0]?.value[1];
          return value !== undefined;
        } catch {
          return false;
        }
      },
      'Prometheus to scrape the node',
      30_000,
    );
    expect(value).toBe('3');
  });
});
