import type { TimestampPrecision } from '../../../engine/engine-config.js';
import type { PipeConnector } from '../../connector/pipe-connector.js';
import type { ResolvedPlugin } from '../../pipe-definition.js';
import { PipeParameterError } from '../parameter-spec.js';
import { changingValueSampler, type DeviationSettings } from './changing-value-sampler.js';
import { DownSamplingStage } from './down-sampling-stage.js';
import { sdtSampler } from './sdt-sampler.js';
import type { SeriesSampler } from './series-sampler.js';
import { tumblingTimeSampler } from './tumbling-time-sampler.js';

const UNITS_PER_SECOND: Record<TimestampPrecision, bigint> = { ms: 1_000n, us: 1_000_000n, ns: 1_000_000_000n };

function text(processor: ResolvedPlugin, name: string): string {
  // Every key here is declared with a default, so present.
  return processor.parameters.get(name)!;
}

function deviationSettings(processor: ResolvedPlugin, prefix: string): DeviationSettings {
  const settings = {
    deviation: Number(text(processor, `${prefix}.compression-deviation`)),
    minInterval: BigInt(text(processor, `${prefix}.min-time-interval`)),
    maxInterval: BigInt(text(processor, `${prefix}.max-time-interval`)),
  };
  const key = (name: string) => `processor.${prefix}.${name}`;
  if (settings.deviation < 0) throw new PipeParameterError(`${key('compression-deviation')} must be >= 0`);
  if (settings.minInterval < 0n) throw new PipeParameterError(`${key('min-time-interval')} must be >= 0`);
  if (settings.maxInterval < 0n) throw new PipeParameterError(`${key('max-time-interval')} must be >= 0`);
  if (settings.minInterval > settings.maxInterval) {
    throw new PipeParameterError(
      `${key('min-time-interval')} must be <= ${key('max-time-interval')}, but got ${settings.minInterval} and ${settings.maxInterval}`,
    );
  }
  return settings;
}

function samplerOf(processor: ResolvedPlugin, precision: TimestampPrecision): SeriesSampler<unknown> | null {
  switch (processor.plugin.name) {
    case 'tumbling-time-sampling-processor':
      return tumblingTimeSampler(
        BigInt(text(processor, 'tumbling-time.interval-seconds')) * UNITS_PER_SECOND[precision],
      ) as SeriesSampler<unknown>;
    case 'sdt-sampling-processor':
      return sdtSampler(deviationSettings(processor, 'sdt')) as SeriesSampler<unknown>;
    case 'changing-value-sampling-processor':
      return changingValueSampler(deviationSettings(processor, 'changing-value')) as SeriesSampler<unknown>;
    default:
      return null;
  }
}

/** CREATE PIPE's checks across a down-sampling processor's parameters (IoTDB's rules); nothing for other processors. */
export function checkDownSampling(processor: ResolvedPlugin): void {
  if (samplerOf(processor, 'ms') === null) return;
  if (BigInt(text(processor, 'down-sampling.memory-limit-in-bytes')) <= 0n) {
    throw new PipeParameterError('processor.down-sampling.memory-limit-in-bytes must be > 0');
  }
}

/** The stage a built-in down-sampling processor puts in front of `downstream`; null for other processors. */
export function downSamplingStage(
  processor: ResolvedPlugin,
  downstream: PipeConnector,
  precision: TimestampPrecision,
): PipeConnector | null {
  const sampler = samplerOf(processor, precision);
  if (sampler === null) return null;
  return new DownSamplingStage(downstream, {
    sampler,
    splitFile: text(processor, 'down-sampling.split-file').toLowerCase() === 'true',
    memoryBytesMax: Number(text(processor, 'down-sampling.memory-limit-in-bytes')),
  });
}
