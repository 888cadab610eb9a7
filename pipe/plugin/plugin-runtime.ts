import type { PipeRuntimeContext } from './plugin-api.js';
import type { RetryPolicy } from './plugin-call.js';
import type { PipeParameters } from './plugin-parameters.js';

/** What the node keeps for one plugin instance running in one pipe. */
export interface PluginRuntime {
  /** The plugin's registered name, for messages. */
  readonly name: string;
  readonly parameters: PipeParameters;
  readonly context: PipeRuntimeContext;
  readonly retry: RetryPolicy;
  readonly log: (message: string) => void;
}
