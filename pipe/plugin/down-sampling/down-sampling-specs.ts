import type { ParameterSpec } from '../parameter-spec.js';

const LONG_MAX = '9223372036854775807';
const CLASS_PREFIX = 'org.apache.iotdb.commons.pipe.plugin.builtin.processor.downsampling.';

const COMMON_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: 'down-sampling.split-file',
    type: 'boolean',
    default: 'false',
    doc: 'also read history files into tablets and sample them (otherwise they go whole)',
  },
  {
    name: 'down-sampling.memory-limit-in-bytes',
    type: 'integer',
    default: String(16 * 1024 * 1024),
    doc: 'memory for per-series state; past it the least recently used series start afresh',
  },
];

function deviationParameters(prefix: string, what: string): ParameterSpec[] {
  return [
    {
      name: `${prefix}.compression-deviation`,
      type: 'number',
      default: '0',
      doc: `how far a value may stray ${what} and still be dropped`,
    },
    {
      name: `${prefix}.min-time-interval`,
      type: 'integer',
      default: '0',
      doc: 'a point this close (time units) after the last kept one is dropped',
    },
    {
      name: `${prefix}.max-time-interval`,
      type: 'integer',
      default: LONG_MAX,
      doc: 'a point this far (time units) from the last kept one is kept',
    },
    ...COMMON_PARAMETERS,
  ];
}

/** IoTDB 1.3's built-in down-sampling processors, with its keys and defaults. */
/** The fields of a built-in plugin spec (builtin-plugins.ts lists these among the built-ins). */
interface ProcessorSpec {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly role: 'processor';
  readonly className: string;
  readonly parameters: readonly ParameterSpec[];
}

export const DOWN_SAMPLING_PROCESSORS: readonly ProcessorSpec[] = [
  {
    name: 'tumbling-time-sampling-processor',
    aliases: [],
    role: 'processor',
    className: `${CLASS_PREFIX}TumblingTimeSamplingProcessor`,
    parameters: [
      {
        name: 'tumbling-time.interval-seconds',
        type: 'integer',
        default: '60',
        doc: 'keep a point of a series only this many seconds from its last kept point',
      },
      ...COMMON_PARAMETERS,
    ],
  },
  {
    name: 'sdt-sampling-processor',
    aliases: [],
    role: 'processor',
    className: `${CLASS_PREFIX}SwingingDoorTrendingSamplingProcessor`,
    parameters: deviationParameters('sdt', 'from the trend line'),
  },
  {
    name: 'changing-value-sampling-processor',
    aliases: [],
    role: 'processor',
    className: `${CLASS_PREFIX}ChangingValueSamplingProcessor`,
    parameters: deviationParameters('changing-value', 'from the last kept value'),
  },
];
