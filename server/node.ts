import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageEngine } from '../engine/storage-engine.js';
import { PipeManager } from '../pipe/pipe-manager.js';
import { ApplyProbe } from '../pipe/receiver/apply-probe.js';
import { LegacyPipeReceiver } from '../pipe/receiver/legacy-pipe-receiver.js';
import { PipeReceiver } from '../pipe/receiver/pipe-receiver.js';
import { authApplierOf, authFeedOf } from './auth/auth-sync-users.js';
import { receiverUsers } from './auth/receiver-users.js';
import { UserStore } from './auth/user-store.js';
import type { NodeConfig } from './config/node-config.js';
import { runPipeStatement } from './execution/pipe-statements.js';
import { FolderInUseError, FolderLock } from './folder-lock.js';
import { MetricsServer } from './metrics/metrics-server.js';
import { NodeMetrics } from './metrics/node-metrics.js';
import type { NodeServices } from './rpc/node-services.js';
import { checkPortFree, RpcServer } from './rpc/rpc-server.js';
import { systemTimeZone } from './sql/time-literals.js';
import { readKeyStore } from './tls/key-store.js';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The version a node reports (SHOW VERSION, getProperties). */
export const NODE_VERSION = `${PACKAGE_VERSION}`;
export const BUILD_INFO = `iotdb-lite ${PACKAGE_VERSION} (IoTDB 1.3 client protocol)`;

export class NodeStartError extends Error {
  override readonly name = 'NodeStartError';
}

export interface NodeOptions {
  readonly config: NodeConfig;
  readonly log?: (message: string) => void;
}

/**
 * A running node: the storage engine on its data folder, the users, and the RPC service.
 * `stop` flushes memtables into TsFiles and closes everything, as a clean shutdown of
 * IoTDB does.
 */
export class IoTDBNode {
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly config: NodeConfig,
    readonly engine: StorageEngine,
    readonly users: UserStore,
    readonly pipes: PipeManager,
    private readonly rpc: RpcServer,
    readonly host: string,
    readonly port: number,
    private readonly log: (message: string) => void,
    private readonly locks: readonly FolderLock[],
    /** Serves /metrics when `metric_reporter_list` has PROMETHEUS. */
    readonly metrics: MetricsServer | null = null,
  ) {}

  static async start(options: NodeOptions): Promise<IoTDBNode> {
    const { config } = options;
    const log = options.log ?? (() => {});
    let secure: ReturnType<typeof readKeyStore> | undefined;
    if (config.thriftSsl !== null) {
      try {
        secure = readKeyStore(config.thriftSsl.keyStorePath, config.thriftSsl.keyStorePassword);
      } catch (error) {
        throw new NodeStartError((error as Error).message);
      }
    }
    const dirs = [...new Set([config.engine.dir, config.engine.walDir].filter((d) => d !== undefined))];
    for (const dir of dirs) checkWritable(dir);
    // Nothing in the folders is read before they are ours, nor before the port is known
    // to be free: a second start on a folder in use leaves it as it was.
    const locks = lockFolders(dirs);
    let engine: StorageEngine;
    try {
      if (config.rpcPort !== 0) {
        await checkPortFree(config.rpcAddress, config.rpcPort).catch((error: Error) => {
          throw new NodeStartError(error.message);
        });
      }
      engine = StorageEngine.open(config.engine);
    } catch (error) {
      for (const lock of locks) lock.release();
      throw error;
    }
    for (const report of engine.recoveryReports) log(`recovery: ${report}`);
    let users: UserStore | null = null;
    let pipes: PipeManager | null = null;
    let metricsServer: MetricsServer | null = null;
    try {
      users = await UserStore.open(join(config.engine.dir, 'system', 'users.db'));
      let sessions = 0n;
      let queries = 0n;
      let port = config.rpcPort;
      const systemDir = join(config.engine.dir, 'system');
      pipes = new PipeManager({
        engine,
        systemDir,
        self: {
          host: config.rpcAddress,
          get port() {
            return port;
          },
        },
        connectorTimeoutMs: config.pipeConnectorTimeoutMs,
        subtaskExecutorMaxThreadNum: config.pipeSubtaskExecutorMaxThreadNum,
        allSinksRateLimitBytesPerSecond: config.pipeAllSinksRateLimitBytesPerSecond,
        asyncConnectorClients: {
          core: config.pipeAsyncConnectorCoreClientNumber,
          max: Math.max(config.pipeAsyncConnectorCoreClientNumber, config.pipeAsyncConnectorMaxClientNumber),
        },
        pipeLibDir: config.pipeLibDir,
        users: authFeedOf(users),
        log,
      });
      log(`pipe subtasks: ${pipes.slots.size} at once`);
      const manager = pipes;
      // Before the node serves: a statement must find every registered plugin.
      await manager.loadPlugins();
      const receiverAuth = receiverUsers(users, config.pipeReceiverAllowAnonymous);
      const probeFile = config.pipeReceiverApplyProbeFile;
      const probe = probeFile === null ? null : new ApplyProbe(probeFile);
      const receiver = new PipeReceiver(
        engine,
        join(systemDir, 'pipe-receiver'),
        receiverAuth,
        probe,
        authApplierOf(users),
      );
      const legacyReceiver = new LegacyPipeReceiver(engine, join(systemDir, 'legacy-sync-receiver'), log, receiverAuth);
      const metrics = config.metricReporters.includes('PROMETHEUS')
        ? new NodeMetrics({
            engine,
            pipes: manager,
            receivers: { 'iotdb-thrift': receiver.counters, legacy: legacyReceiver.counters },
          })
        : null;
      const services: NodeServices = {
        engine,
        users,
        version: NODE_VERSION,
        buildInfo: BUILD_INFO,
        frameBytesMax: config.rpcFrameBytesMax,
        defaultTimeZone: systemTimeZone(),
        pipeStatements: (statement, context) => runPipeStatement(statement, manager, context),
        pipeTransfer: (req, client) => receiver.receive(req, client),
        legacySync: legacyReceiver,
        disconnected: (client) => {
          receiver.disconnected(client);
          legacyReceiver.disconnected(client);
        },
        log,
        nextSessionId: () => ++sessions,
        nextQueryId: () => ++queries,
        ...(metrics === null ? {} : { queryObserved: (seconds: number) => metrics.queryLatency.observe(seconds) }),
      };
      if (metrics !== null) {
        metricsServer = await MetricsServer.listen(
          metrics,
          config.rpcAddress,
          config.metricPrometheusReporterPort,
        ).catch((error: Error) => {
          throw new NodeStartError(
            `metrics: cannot serve on ${config.rpcAddress}:${config.metricPrometheusReporterPort} (metric_prometheus_reporter_port): ${error.message}`,
          );
        });
        log(`metrics at http://${config.rpcAddress}:${metricsServer.port}/metrics`);
      }
      const rpc = new RpcServer(services, secure);
      const address = await rpc.listen(config.rpcAddress, config.rpcPort).catch((error: Error) => {
        throw new NodeStartError(error.message);
      });
      port = address.port;
      manager.resume();
      log(
        `iotdb-lite ${NODE_VERSION} listening on ${address.host}:${address.port}${secure === undefined ? '' : ' (TLS)'}`,
      );
      log(
        `data folder ${config.engine.dir} (WAL ${config.engine.walMode}, timestamp precision ${config.engine.timestampPrecision})`,
      );
      log(`configuration from ${config.source}`);
      return new IoTDBNode(config, engine, users, manager, rpc, address.host, address.port, log, locks, metricsServer);
    } catch (error) {
      await metricsServer?.close();
      await pipes?.close();
      users?.close();
      await engine.close();
      for (const lock of locks) lock.release();
      throw error;
    }
  }

  /** Open client connections. */
  get connections(): number {
    return this.rpc.connections;
  }

  /** Closes connections, flushes memtables, closes the engine. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.rpc.close();
      await this.metrics?.close();
      await this.pipes.close();
      await this.engine.flush();
      await this.engine.close();
      this.users.close();
      for (const lock of this.locks) lock.release();
      this.log('iotdb-lite stopped');
    })();
    return this.stopping;
  }
}

/** Locks every folder, or none: a folder held by another node is one line naming its pid. */
function lockFolders(dirs: readonly string[]): FolderLock[] {
  const locks: FolderLock[] = [];
  try {
    for (const dir of dirs) locks.push(FolderLock.acquire(dir));
    return locks;
  } catch (error) {
    for (const lock of locks) lock.release();
    if (error instanceof FolderInUseError) throw new NodeStartError(error.message);
    throw error;
  }
}

function checkWritable(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NodeStartError(`data folder ${dir} is not writable${code === undefined ? '' : ` (${code})`}`);
  }
}
