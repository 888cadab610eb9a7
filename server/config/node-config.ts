import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig, type TimestampPrecision } from '../../engine/engine-config.js';
import type { WalMode } from '../../engine/wal/wal-writer.js';
import { parseCompression } from '../../tsfile/compression-type.js';
import { parseProperties } from './properties.js';

/** A node's settings, after defaults, the properties file, the environment and flags. */
export interface NodeConfig {
  readonly rpcAddress: string;
  readonly rpcPort: number;
  /** IoTDB's `thrift_max_frame_size`. */
  readonly rpcFrameBytesMax: number;
  readonly engine: EngineConfig;
  readonly pipeLibDir: string;
  readonly pipeSubtaskExecutorMaxThreadNum: number;
  readonly pipeConnectorTimeoutMs: number;
  /** Accepted for IoTDB compatibility: one event loop serves every connection here. */
  readonly pipeAsyncConnectorSelectorNumber: number;
  readonly pipeAsyncConnectorCoreClientNumber: number;
  readonly pipeAsyncConnectorMaxClientNumber: number;
  /** Bytes per second all pipe sinks of the node send at most; 0 or less: no limit. */
  readonly pipeAllSinksRateLimitBytesPerSecond: number;
  /**
   * Whether pipe senders that send no credentials (IoTDB 1.2, the pre-1.2 sync protocol)
   * are served, as root. By default only on a node that listens on loopback.
   */
  readonly pipeReceiverAllowAnonymous: boolean;
  /** A file where the pipe receiver stamps each applied tablet, for lag measurements; null: off. */
  readonly pipeReceiverApplyProbeFile: string | null;
  /** IoTDB's `metric_reporter_list`: PROMETHEUS serves /metrics; IOTDB and JMX are accepted and do nothing. */
  readonly metricReporters: readonly string[];
  /** IoTDB's `metric_prometheus_reporter_port` (9091); served on `rpc_address`. */
  readonly metricPrometheusReporterPort: number;
  /** `enable_thrift_ssl` with `key_store_path` / `key_store_pwd`: the client RPC port speaks TLS. */
  readonly thriftSsl: { readonly keyStorePath: string; readonly keyStorePassword: string } | null;
  /** Where each setting came from, for the start-up log. */
  readonly source: string;
}

/** Keys, with IoTDB 1.x's `dn_` names accepted as aliases. */
const KEYS: Record<string, string> = {
  dn_rpc_address: 'rpc_address',
  dn_rpc_port: 'rpc_port',
  dn_data_dirs: 'data_dirs',
  dn_wal_dirs: 'wal_dirs',
  dn_system_dir: 'system_dir',
  dn_thrift_max_frame_size: 'thrift_max_frame_size',
  dn_metric_reporter_list: 'metric_reporter_list',
  dn_metric_prometheus_reporter_port: 'metric_prometheus_reporter_port',
  dn_enable_thrift_ssl: 'enable_thrift_ssl',
  dn_key_store_path: 'key_store_path',
  dn_key_store_pwd: 'key_store_pwd',
};

export const KNOWN_SETTINGS = [
  'rpc_address',
  'rpc_port',
  'data_dirs',
  'wal_dirs',
  'system_dir',
  'thrift_max_frame_size',
  'wal_mode',
  'wal_async_mode_fsync_delay_in_ms',
  'wal_file_size_threshold_in_byte',
  'memtable_size_threshold',
  'memtable_budget_in_byte',
  'enable_auto_create_schema',
  'default_storage_group_level',
  'default_compressor',
  'timestamp_precision',
  'pipe_lib_dir',
  'pipe_subtask_executor_max_thread_num',
  'pipe_connector_timeout_ms',
  'pipe_async_connector_selector_number',
  'pipe_async_connector_core_client_number',
  'pipe_async_connector_max_client_number',
  'pipe_all_sinks_rate_limit_bytes_per_second',
  'pipe_receiver_allow_anonymous',
  'pipe_max_allowed_pinned_wal_size_in_byte',
  'pipe_receiver_apply_probe_file',
  'metric_reporter_list',
  'metric_prometheus_reporter_port',
  'enable_thrift_ssl',
  'key_store_path',
  'key_store_pwd',
  'disk_space_warning_threshold',
] as const;

const METRIC_REPORTERS = ['PROMETHEUS', 'IOTDB', 'JMX'];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Builds the configuration: defaults, then `iotdb-lite.properties` (or the file given),
 * then `IOTDB_LITE_<KEY>` environment variables, then explicit overrides (command-line).
 */
export function loadNodeConfig(options: {
  configFile?: string;
  baseDir: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Record<string, string | undefined>;
}): NodeConfig {
  const settings = new Map<string, string>();
  const sources: string[] = ['defaults'];
  const file = options.configFile ?? join(options.baseDir, 'iotdb-lite.properties');
  if (existsSync(file)) {
    for (const [k, v] of parseProperties(readFileSync(file, 'utf8'))) settings.set(KEYS[k] ?? k, v);
    sources.push(file);
  } else if (options.configFile !== undefined) {
    throw new ConfigError(`configuration file ${options.configFile} does not exist`);
  }
  const env = options.env ?? process.env;
  for (const key of KNOWN_SETTINGS) {
    const v = env[`IOTDB_LITE_${key.toUpperCase()}`];
    if (v !== undefined) {
      settings.set(key, v);
      if (!sources.includes('environment')) sources.push('environment');
    }
  }
  for (const [k, v] of Object.entries(options.overrides ?? {})) {
    if (v === undefined) continue;
    settings.set(k, v);
    if (!sources.includes('command line')) sources.push('command line');
  }
  for (const key of settings.keys()) {
    if (!(KNOWN_SETTINGS as readonly string[]).includes(key)) throw new ConfigError(`unknown setting '${key}'`);
  }
  const get = (k: string) => settings.get(k);
  const dataDir = absolute(options.baseDir, get('data_dirs')?.split(',')[0]?.trim() ?? 'data');
  const port = integer(get('rpc_port') ?? '6667', 'rpc_port', 1, 65535);
  const walMode = (get('wal_mode') ?? DEFAULT_ENGINE_CONFIG.walMode).toUpperCase();
  if (walMode !== 'SYNC' && walMode !== 'ASYNC' && walMode !== 'DISABLE') {
    throw new ConfigError(`wal_mode must be SYNC, ASYNC or DISABLE, not '${walMode}'`);
  }
  const precision = get('timestamp_precision') ?? 'ms';
  if (precision !== 'ms' && precision !== 'us' && precision !== 'ns') {
    throw new ConfigError(`timestamp_precision must be ms, us or ns, not '${precision}'`);
  }
  let compression = DEFAULT_ENGINE_CONFIG.defaultCompression;
  if (get('default_compressor') !== undefined) {
    try {
      compression = parseCompression(get('default_compressor')!);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  }
  const walDir = get('wal_dirs');
  const engine: EngineConfig = {
    ...DEFAULT_ENGINE_CONFIG,
    dir: dataDir,
    ...(walDir === undefined ? {} : { walDir: absolute(options.baseDir, walDir.split(',')[0]!.trim()) }),
    walMode: walMode as WalMode,
    walAsyncSyncMs: integer(
      get('wal_async_mode_fsync_delay_in_ms') ?? String(DEFAULT_ENGINE_CONFIG.walAsyncSyncMs),
      'wal_async_mode_fsync_delay_in_ms',
      1,
      60_000,
    ),
    walSegmentBytesMax: integer(
      get('wal_file_size_threshold_in_byte') ?? String(DEFAULT_ENGINE_CONFIG.walSegmentBytesMax),
      'wal_file_size_threshold_in_byte',
      4096,
      2 ** 40,
    ),
    memtableBytesMax: integer(
      get('memtable_size_threshold') ?? String(DEFAULT_ENGINE_CONFIG.memtableBytesMax),
      'memtable_size_threshold',
      1024,
      2 ** 40,
    ),
    memtableBudgetBytes: integer(
      get('memtable_budget_in_byte') ?? String(DEFAULT_ENGINE_CONFIG.memtableBudgetBytes),
      'memtable_budget_in_byte',
      1024,
      2 ** 42,
    ),
    autoCreateSchema: boolean(get('enable_auto_create_schema') ?? 'true', 'enable_auto_create_schema'),
    defaultDatabaseLevel: integer(get('default_storage_group_level') ?? '1', 'default_storage_group_level', 1, 32),
    defaultCompression: compression,
    timestampPrecision: precision as TimestampPrecision,
    diskSpaceWarningThreshold: ratio(
      get('disk_space_warning_threshold') ?? String(DEFAULT_ENGINE_CONFIG.diskSpaceWarningThreshold),
      'disk_space_warning_threshold',
    ),
    pinnedWalBytesMax: integer(
      get('pipe_max_allowed_pinned_wal_size_in_byte') ?? String(DEFAULT_ENGINE_CONFIG.pinnedWalBytesMax),
      'pipe_max_allowed_pinned_wal_size_in_byte',
      0,
      2 ** 50,
    ),
  };
  if (engine.memtableBudgetBytes < engine.memtableBytesMax) {
    throw new ConfigError('memtable_budget_in_byte must be at least memtable_size_threshold');
  }
  const rpcAddress = get('rpc_address') ?? '127.0.0.1';
  const metricReporters = (get('metric_reporter_list') ?? '')
    .split(',')
    .map((r) => r.trim().toUpperCase())
    .filter((r) => r !== '');
  for (const r of metricReporters) {
    if (!METRIC_REPORTERS.includes(r)) {
      throw new ConfigError(`metric_reporter_list: unknown reporter '${r}' (known: ${METRIC_REPORTERS.join(', ')})`);
    }
  }
  const keyStorePath = get('key_store_path');
  const ssl = boolean(get('enable_thrift_ssl') ?? 'false', 'enable_thrift_ssl');
  if (ssl && (keyStorePath === undefined || keyStorePath.trim() === '')) {
    throw new ConfigError(
      'enable_thrift_ssl=true needs key_store_path (a PKCS12 key store, or a PEM key and certificate)',
    );
  }
  return {
    rpcAddress,
    rpcPort: port,
    rpcFrameBytesMax: integer(
      get('thrift_max_frame_size') ?? String(512 * 1024 * 1024),
      'thrift_max_frame_size',
      1024,
      2 ** 31 - 1,
    ),
    engine,
    pipeLibDir: absolute(options.baseDir, get('pipe_lib_dir') ?? join('ext', 'pipe')),
    pipeSubtaskExecutorMaxThreadNum: integer(
      get('pipe_subtask_executor_max_thread_num') ?? '5',
      'pipe_subtask_executor_max_thread_num',
      1,
      1024,
    ),
    pipeConnectorTimeoutMs: integer(
      get('pipe_connector_timeout_ms') ?? String(15 * 60 * 1000),
      'pipe_connector_timeout_ms',
      1,
      2 ** 31 - 1,
    ),
    pipeAsyncConnectorSelectorNumber: integer(
      get('pipe_async_connector_selector_number') ?? '4',
      'pipe_async_connector_selector_number',
      1,
      1024,
    ),
    pipeAsyncConnectorCoreClientNumber: integer(
      get('pipe_async_connector_core_client_number') ?? '8',
      'pipe_async_connector_core_client_number',
      1,
      1024,
    ),
    pipeAsyncConnectorMaxClientNumber: integer(
      get('pipe_async_connector_max_client_number') ?? '16',
      'pipe_async_connector_max_client_number',
      1,
      1024,
    ),
    pipeAllSinksRateLimitBytesPerSecond: finite(
      get('pipe_all_sinks_rate_limit_bytes_per_second') ?? '-1',
      'pipe_all_sinks_rate_limit_bytes_per_second',
    ),
    pipeReceiverAllowAnonymous: boolean(
      get('pipe_receiver_allow_anonymous') ?? String(isLoopback(rpcAddress)),
      'pipe_receiver_allow_anonymous',
    ),
    pipeReceiverApplyProbeFile: nonEmpty(get('pipe_receiver_apply_probe_file'), options.baseDir),
    metricReporters,
    metricPrometheusReporterPort: integer(
      get('metric_prometheus_reporter_port') ?? '9091',
      'metric_prometheus_reporter_port',
      0,
      65535,
    ),
    thriftSsl: ssl
      ? { keyStorePath: absolute(options.baseDir, keyStorePath!.trim()), keyStorePassword: get('key_store_pwd') ?? '' }
      : null,
    source: sources.join(' < '),
  };
}

/** An address only this machine reaches. */
export function isLoopback(address: string): boolean {
  const a = address.trim().toLowerCase();
  return a === 'localhost' || a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a) || a === '::ffff:127.0.0.1';
}

function absolute(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

function integer(text: string, key: string, min: number, max: number): number {
  const v = Number(text.trim());
  if (!Number.isInteger(v) || v < min || v > max)
    throw new ConfigError(`${key} must be an integer in [${min}, ${max}], not '${text}'`);
  return v;
}

function nonEmpty(path: string | undefined, base: string): string | null {
  return path === undefined || path.trim() === '' ? null : absolute(base, path.trim());
}

function finite(text: string, key: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v)) throw new ConfigError(`${key} must be a number, not '${text}'`);
  return v;
}

function ratio(text: string, key: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !(v >= 0 && v < 1))
    throw new ConfigError(`${key} must be a number in [0, 1), not '${text}'`);
  return v;
}

function boolean(text: string, key: string): boolean {
  const t = text.trim().toLowerCase();
  if (t !== 'true' && t !== 'false') throw new ConfigError(`${key} must be true or false, not '${text}'`);
  return t === 'true';
}
