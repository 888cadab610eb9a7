import { ZSTD_LEVEL_DEFAULT, ZSTD_LEVEL_MAX, ZSTD_LEVEL_MIN } from '../../native/index.js';
import { PIPE_COMPRESSOR_NAMES } from '../../protocol/pipe/pipe-compression.js';
import type { ParameterSpec } from './parameter-spec.js';

/** The largest batch: one request must fit the receiver's RPC frame (IoTDB's 512 MiB). */
export const BATCH_SIZE_BYTES_MAX = 512 * 1024 * 1024;

/**
 * IoTDB 1.3's transport options of the thrift sinks (PipeConnectorConstant), with its
 * names and defaults; they configure the layers between a sink and its connection
 * (pipe/connector/transport/).
 */
export const SINK_TRANSPORT_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: 'batch.enable',
    type: 'boolean',
    default: 'true',
    doc: 'send realtime tablets in batch requests: what gathers while a request is in flight goes as the next batch',
  },
  {
    name: 'batch.max-delay-seconds',
    type: 'integer',
    default: '1',
    min: 0,
    max: 3600,
    doc: 'longest a tablet waits for a batch (an upper bound: an idle link sends at once)',
  },
  {
    name: 'batch.max-delay-ms',
    type: 'integer',
    default: null,
    min: 0,
    max: 3_600_000,
    doc: 'batch.max-delay-seconds in milliseconds; takes precedence when given',
  },
  {
    name: 'batch.size-bytes',
    type: 'integer',
    default: String(16 * 1024 * 1024),
    min: 1,
    max: BATCH_SIZE_BYTES_MAX,
    doc: 'largest batch request body',
  },
  {
    name: 'compressor',
    type: 'string',
    default: '',
    choices: PIPE_COMPRESSOR_NAMES,
    list: true,
    doc: 'compressors applied in order to every request (snappy, gzip, lz4, zstd, lzma2; empty: none)',
  },
  {
    name: 'compressor.zstd.level',
    type: 'integer',
    default: String(ZSTD_LEVEL_DEFAULT),
    min: ZSTD_LEVEL_MIN,
    max: ZSTD_LEVEL_MAX,
    doc: 'zstd compression level',
  },
  {
    name: 'rate-limit-bytes-per-second',
    type: 'number',
    default: '-1',
    doc: 'bytes per second on the wire (after compression) at most; 0 or less: no limit',
  },
  {
    name: 'format',
    type: 'string',
    default: 'hybrid',
    choices: ['hybrid', 'tsfile', 'tablet'],
    doc: 'hybrid: files whole, realtime as tablets; tsfile: realtime batches written into TsFiles and shipped as files; tablet: files read and sent as tablets',
  },
  {
    name: 'load-balance-strategy',
    type: 'string',
    default: 'round-robin',
    choices: ['round-robin', 'random', 'priority'],
    doc: 'which of node-urls a connection tries first: spread in turn, at random, or in the order given',
  },
];
