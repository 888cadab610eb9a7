import * as arrow from 'apache-arrow';
import type { TimestampPrecision } from '../../engine/engine-config.js';
import { PermanentTransferError, type PipeConnector } from '../connector/pipe-connector.js';
import type { ResolvedPlugin } from '../pipe-definition.js';
import type { SubtaskSlots } from '../subtask-slots.js';
import { downSamplingStage } from './down-sampling/down-sampling-processors.js';
import { PipeParameterError } from './parameter-spec.js';
import type { ExtractorPlugin } from './plugin-api.js';
import { PLUGIN_RETRY } from './plugin-call.js';
import { PipeParameters } from './plugin-parameters.js';
import { isUserPlugin, type PipePluginRegistry, type UserPluginSpec } from './plugin-registry.js';
import type { PluginRuntime } from './plugin-runtime.js';
import { ProcessorStage } from './processor-stage.js';
import { UserConnector } from './user-connector.js';
import { UserExtractorTask } from './user-extractor-task.js';

export interface PipePlugins {
  readonly extractor: ResolvedPlugin;
  readonly processor: ResolvedPlugin;
  readonly connector: ResolvedPlugin;
}

export interface PluginChainOptions {
  readonly pipeName: string;
  readonly creationTime: number;
  readonly timestampPrecision: TimestampPrecision;
  readonly registry: PipePluginRegistry;
  readonly log: (message: string) => void;
}

function runtimeOf(resolved: ResolvedPlugin & { plugin: UserPluginSpec }, options: PluginChainOptions): PluginRuntime {
  const log = (message: string) => options.log(`pipe ${options.pipeName}: ${message}`);
  return {
    name: resolved.plugin.registration.name,
    parameters: new PipeParameters(resolved.parameters),
    context: {
      pipeName: options.pipeName,
      creationTime: options.creationTime,
      timestampPrecision: options.timestampPrecision,
      arrow,
      log,
    },
    retry: PLUGIN_RETRY,
    log,
  };
}

function isUser(resolved: ResolvedPlugin): resolved is ResolvedPlugin & { plugin: UserPluginSpec } {
  return isUserPlugin(resolved.plugin);
}

/** A user plugin that cannot run (its module failed to load): the pipe stops with why at its first step. */
class UnavailablePlugin implements PipeConnector {
  constructor(
    private readonly why: string,
    private readonly downstream: PipeConnector | null,
  ) {}

  handshake(): Promise<void> {
    return Promise.reject(new PermanentTransferError(this.why));
  }

  transferTablet(): Promise<void> {
    return this.handshake();
  }

  transferFile(): Promise<void> {
    return this.handshake();
  }

  transferDeletion(): Promise<void> {
    return this.handshake();
  }

  close(): void {
    this.downstream?.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The connector of a pipe that names a user connector plugin. */
export function userConnector(connector: ResolvedPlugin, options: PluginChainOptions): PipeConnector {
  if (!isUser(connector)) throw new TypeError(`${connector.plugin.name} is not a user plugin`);
  try {
    const instance = options.registry.instantiate({ ...connector.plugin, role: 'connector' });
    return new UserConnector(instance, runtimeOf(connector, options));
  } catch (error) {
    return new UnavailablePlugin(messageOf(error), null);
  }
}

/**
 * What a pipe task delivers to: `downstream` itself with the do-nothing processor (it costs
 * nothing), a built-in down-sampling stage, or the user processor, in front of it.
 */
export function withProcessor(
  processor: ResolvedPlugin,
  downstream: PipeConnector,
  options: PluginChainOptions,
): PipeConnector {
  if (!isUser(processor)) return downSamplingStage(processor, downstream, options.timestampPrecision) ?? downstream;
  try {
    const instance = options.registry.instantiate({ ...processor.plugin, role: 'processor' });
    return new ProcessorStage(instance, downstream, runtimeOf(processor, options));
  } catch (error) {
    return new UnavailablePlugin(messageOf(error), downstream);
  }
}

/**
 * CREATE PIPE's checks of its user plugins, after their parameters passed their
 * declarations: each plugin's own `validate`.
 */
export async function validateUserPlugins(plugins: PipePlugins, registry: PipePluginRegistry): Promise<void> {
  for (const role of ['extractor', 'processor', 'connector'] as const) {
    const resolved = plugins[role];
    if (!isUser(resolved)) continue;
    const name = resolved.plugin.registration.name;
    const instance = registry.instantiate({ ...resolved.plugin, role });
    try {
      await instance.validate?.(new PipeParameters(resolved.parameters));
    } catch (error) {
      throw new PipeParameterError(
        `${role} plugin '${name}' refused its parameters: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Whether a pipe's extractor is a user plugin (it then runs as a UserExtractorTask). */
export function isUserExtractor(extractor: ResolvedPlugin): boolean {
  return isUser(extractor);
}

/** The task of a pipe whose extractor is a user plugin; one that cannot load stops its pipe at once. */
export function userExtractorTask(
  extractor: ResolvedPlugin,
  connector: PipeConnector,
  options: PluginChainOptions & { readonly slots: SubtaskSlots; readonly fail: (message: string) => void },
): UserExtractorTask {
  if (!isUser(extractor)) throw new TypeError(`${extractor.plugin.name} is not a user plugin`);
  let instance: ExtractorPlugin;
  try {
    instance = options.registry.instantiate({ ...extractor.plugin, role: 'extractor' });
  } catch (error) {
    const why = messageOf(error);
    instance = {
      supply: () => {
        throw new Error(why);
      },
    };
  }
  return new UserExtractorTask({
    name: options.pipeName,
    extractor: instance,
    runtime: runtimeOf(extractor, options),
    connector,
    slots: options.slots,
    fail: options.fail,
    log: options.log,
  });
}
