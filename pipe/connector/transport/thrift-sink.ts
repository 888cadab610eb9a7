import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPipeCompressorName, pipeCompressor } from '../../../protocol/pipe/pipe-compression.js';
import { listItems, type ParameterValues } from '../../plugin/parameter-spec.js';
import { refusalOptionsOf } from '../../plugin/sink-exception-parameters.js';
import { type PipeConnector, transferConfigPlanThrough, transferSchemaVia } from '../pipe-connector.js';
import { ThriftAsyncConnector, type ThriftAsyncConnectorOptions } from '../thrift-async-connector.js';
import { ThriftSyncConnector, type ThriftSyncConnectorOptions } from '../thrift-sync-connector.js';
import { BatchingConnector } from './batching-connector.js';
import { type ByteRateLimiter, rateLimiterOf } from './byte-rate-limiter.js';
import type { LoadBalanceStrategy } from './load-balance.js';
import { compressing, type OutboundLayer, rateLimited, stacked } from './outbound-layers.js';

/** What a thrift sink needs besides its parameters. */
export type ThriftSinkBase = Omit<
  ThriftSyncConnectorOptions,
  'outbound' | 'loadBalance' | 'pieceBytes' | 'refusals'
> & {
  /** The node-wide limiter (`pipe_all_sinks_rate_limit_bytes_per_second`), shared by every sink. */
  readonly allSinksLimiter?: ByteRateLimiter | null;
};

const PIECE_BYTES_MIN = 64 * 1024;
const PIECE_BYTES_MAX = 8 * 1024 * 1024;

/**
 * A thrift sink (sync, or async with `pool`) as its declared transport parameters say:
 * the stack batcher -> sink -> compressor -> rate limiter -> connection.
 */
export function thriftSink(
  parameters: ParameterValues,
  base: ThriftSinkBase,
  pool?: Pick<ThriftAsyncConnectorOptions, 'coreClients' | 'maxClients'>,
): PipeConnector {
  const get = (name: string) => parameters.get(name) ?? null;
  const layers: OutboundLayer[] = [];
  const chain = listItems(get('compressor') ?? '').filter(isPipeCompressorName);
  const zstdLevel = Number(get('compressor.zstd.level') ?? '3');
  if (chain.length > 0) layers.push(compressing(chain.map((name) => pipeCompressor(name, zstdLevel))));
  const rate = Number(get('rate-limit-bytes-per-second') ?? '-1');
  const limiters = [rateLimiterOf(rate), base.allSinksLimiter ?? null].filter((l) => l !== null);
  if (limiters.length > 0) layers.push(rateLimited(limiters));
  const slowest = Math.min(...limiters.map((l) => l.bytesPerSecond));
  const options: ThriftSyncConnectorOptions = {
    ...base,
    refusals: refusalOptionsOf(parameters),
    outbound: stacked(layers),
    loadBalance: (get('load-balance-strategy') ?? 'round-robin').trim().toLowerCase() as LoadBalanceStrategy,
    // Under a rate limit a file goes in pieces of about an eighth of a second, so it is paced evenly.
    pieceBytes: limiters.length === 0 ? undefined : clamp(Math.floor(slowest / 8), PIECE_BYTES_MIN, PIECE_BYTES_MAX),
  };
  const sink =
    pool === undefined ? new ThriftSyncConnector(options) : new ThriftAsyncConnector({ ...options, ...pool });
  const delayMs = get('batch.max-delay-ms');
  const format = (get('format') ?? 'hybrid').trim().toLowerCase();
  // Realtime tablets go into TsFiles through the batcher, whatever batch.enable says.
  const batched =
    !/^true$/i.test(get('batch.enable') ?? 'true') && format !== 'tsfile'
      ? sink
      : new BatchingConnector(sink, {
          maxDelayMs: delayMs !== null ? Number(delayMs) : Number(get('batch.max-delay-seconds') ?? '1') * 1000,
          sizeBytes: Number(get('batch.size-bytes') ?? String(16 * 1024 * 1024)),
          ...(format === 'tsfile' ? { tsFileDir: mkdtempSync(join(tmpdir(), 'iotdb-lite-sink-tsfile-')) } : {}),
        });
  return format === 'tablet' ? tabletsOnly(batched) : batched;
}

/** `sink.format` = tablet: the pipe reads sealed files and sends their tablets, for receivers that cannot load files. */
function tabletsOnly(inner: PipeConnector): PipeConnector {
  return {
    inFlightMax: inner.inFlightMax ?? 1,
    filesInFlightMax: inner.filesInFlightMax ?? inner.inFlightMax ?? 1,
    takesFiles: false,
    get receiverId() {
      return inner.receiverId;
    },
    handshake: () => inner.handshake(),
    transferTablet: (tablet, origin) => inner.transferTablet(tablet, origin),
    transferFile: (path, origin) => inner.transferFile(path, origin),
    transferDeletion: (deletion, origin) => inner.transferDeletion(deletion, origin),
    transferConfigPlan: (req, what) => transferConfigPlanThrough(inner, req, what),
    transferSchema: (plan, origin) => transferSchemaVia(inner, plan, origin),
    close: () => inner.close(),
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
