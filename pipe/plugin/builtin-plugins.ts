import { DOWN_SAMPLING_PROCESSORS } from './down-sampling/down-sampling-specs.js';
import type { ParameterSpec } from './parameter-spec.js';
import { SINK_EXCEPTION_PARAMETERS } from './sink-exception-parameters.js';
import { SINK_TRANSPORT_PARAMETERS } from './sink-transport-parameters.js';

export type PluginRole = 'extractor' | 'processor' | 'connector';

/** A built-in plugin: its names (IoTDB 1.2 and 1.3 spellings) and its declared parameters. */
export interface PluginSpec {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly role: PluginRole;
  readonly className: string;
  readonly parameters: readonly ParameterSpec[];
}

const EXTRACTOR_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: 'pattern',
    type: 'string',
    default: 'root',
    doc: 'path prefix of the data to sync, compared as a string (backquotes included)',
  },
  {
    name: 'path',
    type: 'string',
    default: null,
    doc: 'IoTDB path patterns (* one node, ** any nodes, * inside a name), comma-separated; used instead of pattern',
  },
  {
    name: 'path.exclusion',
    type: 'string',
    default: null,
    doc: 'IoTDB path patterns, comma-separated: series they match are not synced',
  },
  {
    name: 'inclusion',
    type: 'string',
    default: 'data.insert',
    doc: 'what the pipe carries, comma-separated: all, data, data.insert, data.delete, schema, schema.database, schema.timeseries, auth (or a finer IoTDB option)',
  },
  {
    name: 'inclusion.exclusion',
    type: 'string',
    default: '',
    doc: 'options taken away from the inclusion, same vocabulary',
  },
  {
    name: 'start-time',
    type: 'time',
    default: null,
    doc: 'earliest event time of history and realtime data (ISO-8601, epoch number or now; inclusive)',
  },
  {
    name: 'end-time',
    type: 'time',
    default: null,
    doc: 'latest event time of history and realtime data (ISO-8601, epoch number or now; inclusive)',
  },
  {
    name: 'history.enable',
    type: 'boolean',
    default: 'true',
    doc: 'sync data that arrived before the pipe was created',
  },
  {
    name: 'history.start-time',
    type: 'time',
    default: null,
    doc: 'earliest event time of history data (ISO-8601 or epoch number, inclusive)',
  },
  {
    name: 'history.end-time',
    type: 'time',
    default: null,
    doc: 'latest event time of history data (ISO-8601 or epoch number, inclusive)',
  },
  {
    name: 'realtime.enable',
    type: 'boolean',
    default: 'true',
    doc: 'sync data that arrives after the pipe was created',
  },
  {
    name: 'realtime.mode',
    type: 'string',
    default: 'hybrid',
    doc: 'hybrid, log, file or stream (accepted; hybrid behaviour)',
  },
  {
    name: 'forwarding-pipe-requests',
    type: 'boolean',
    default: null,
    doc: 'sync data that came to this node through a pipe (true when not given; never back to the node it came from)',
  },
  {
    name: 'mode.double-living',
    type: 'boolean',
    default: 'false',
    doc: 'two-way sync preset: forwarding-pipe-requests is false and may not be set true',
  },
];

const THRIFT_CONNECTOR_PARAMETERS: readonly ParameterSpec[] = [
  { name: 'ip', type: 'host', default: null, doc: 'receiver address (with port)' },
  { name: 'port', type: 'port', default: null, doc: 'receiver RPC port (with ip)' },
  { name: 'node-urls', type: 'node-urls', default: null, doc: 'receiver host:port list, instead of ip and port' },
  ...SINK_TRANSPORT_PARAMETERS,
  {
    name: 'exception.data.convert-on-type-mismatch',
    type: 'boolean',
    default: 'true',
    doc: 'the receiver converts values to the type a series has there (IoTDB rules); false: such data is refused as a conflict',
  },
  ...SINK_EXCEPTION_PARAMETERS,
  {
    name: 'user',
    aliases: ['username'],
    type: 'string',
    default: 'root',
    doc: 'receiver user the pipe logs in as at the handshake; its writes need that user’s privileges',
  },
  { name: 'password', type: 'string', default: 'root', doc: 'password of that user' },
  ...sslParameters('false'),
];

/** TLS to a receiver with enable_thrift_ssl; on by default for iotdb-thrift-ssl-sink. */
function sslParameters(enabled: 'true' | 'false'): ParameterSpec[] {
  return [
    { name: 'ssl.enable', type: 'boolean', default: enabled, doc: 'connect with TLS' },
    {
      name: 'ssl.trust-store-path',
      type: 'string',
      default: null,
      doc: 'trust store (PKCS12 or PEM) with the CA of the receiver’s certificate; the system’s CAs when absent',
    },
    { name: 'ssl.trust-store-pwd', type: 'string', default: null, doc: 'password of the trust store' },
  ];
}

const SSL_CONNECTOR_PARAMETERS: readonly ParameterSpec[] = [
  ...THRIFT_CONNECTOR_PARAMETERS.filter((p) => !p.name.startsWith('ssl.')),
  ...sslParameters('true'),
];

const LEGACY_CONNECTOR_PARAMETERS: readonly ParameterSpec[] = [
  { name: 'ip', type: 'host', default: null, doc: 'receiver address' },
  { name: 'port', type: 'port', default: null, doc: 'receiver RPC port' },
  {
    name: 'user',
    aliases: ['username'],
    type: 'string',
    default: 'root',
    doc: 'receiver user the pipe logs in as (a session on the sync connection); its writes need that user’s privileges',
  },
  { name: 'password', type: 'string', default: 'root', doc: 'password of that user' },
  {
    name: 'version',
    type: 'string',
    default: '1.1',
    doc: 'sync protocol version named in the handshake; the receiver checks its major version',
  },
];

export const BUILTIN_PLUGINS: readonly PluginSpec[] = [
  {
    name: 'iotdb-extractor',
    aliases: ['iotdb-source'],
    role: 'extractor',
    className: 'org.apache.iotdb.commons.pipe.plugin.builtin.extractor.iotdb.IoTDBExtractor',
    parameters: EXTRACTOR_PARAMETERS,
  },
  {
    name: 'do-nothing-processor',
    aliases: [],
    role: 'processor',
    className: 'org.apache.iotdb.commons.pipe.plugin.builtin.processor.donothing.DoNothingProcessor',
    parameters: [],
  },
  ...DOWN_SAMPLING_PROCESSORS,
  {
    name: 'iotdb-thrift-connector',
    aliases: ['iotdb-thrift-sink', 'iotdb-thrift-sync-connector', 'iotdb-thrift-sync-sink'],
    role: 'connector',
    className: 'org.apache.iotdb.commons.pipe.plugin.builtin.connector.iotdb.thrift.IoTDBThriftConnector',
    parameters: THRIFT_CONNECTOR_PARAMETERS,
  },
  {
    name: 'iotdb-thrift-async-connector',
    aliases: ['iotdb-thrift-async-sink'],
    role: 'connector',
    className: 'org.apache.iotdb.commons.pipe.plugin.builtin.connector.iotdb.thrift.IoTDBThriftAsyncConnector',
    parameters: THRIFT_CONNECTOR_PARAMETERS,
  },
  {
    name: 'iotdb-thrift-ssl-connector',
    aliases: ['iotdb-thrift-ssl-sink'],
    role: 'connector',
    className: 'org.apache.iotdb.commons.pipe.plugin.builtin.connector.iotdb.thrift.IoTDBThriftSslConnector',
    parameters: SSL_CONNECTOR_PARAMETERS,
  },
  {
    name: 'iotdb-legacy-pipe-connector',
    aliases: ['iotdb-legacy-pipe-sink'],
    role: 'connector',
    className: 'org.apache.iotdb.commons.pipe.plugin.builtin.connector.iotdb.thrift.IoTDBLegacyPipeConnector',
    parameters: LEGACY_CONNECTOR_PARAMETERS,
  },
  {
    name: 'do-nothing-connector',
    aliases: ['do-nothing-sink'],
    role: 'connector',
    className: 'org.apache.iotdb.commons.pipe.plugin.builtin.connector.donothing.DoNothingConnector',
    parameters: [],
  },
];

export function findPlugin(role: PluginRole, name: string): PluginSpec | undefined {
  const n = name.trim().toLowerCase();
  return BUILTIN_PLUGINS.find((p) => p.role === role && (p.name === n || p.aliases.includes(n)));
}
