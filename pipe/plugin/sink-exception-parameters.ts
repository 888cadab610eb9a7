import { IOTDB_REFUSAL_OPTIONS, type RefusalOptions } from '../connector/receiver-status-handler.js';
import type { ParameterSpec, ParameterValues } from './parameter-spec.js';

const DEFAULTS = IOTDB_REFUSAL_OPTIONS;

/**
 * IoTDB's options of what a thrift sink does with a request its receiver refuses
 * (PipeSinkConstant `connector.exception.*` / `sink.exception.*`), with its defaults; the
 * classes of refusal are in pipe/connector/receiver-status-handler.ts.
 */
export const SINK_EXCEPTION_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: 'exception.conflict.resolve-strategy',
    type: 'string',
    default: DEFAULTS.conflictStrategy,
    choices: ['retry', 'ignore'],
    doc: 'a request the receiver refuses as a conflict (1810, e.g. a type it does not convert): retry it, or go past it (logged)',
  },
  {
    name: 'exception.conflict.retry-max-time-seconds',
    type: 'integer',
    default: String(DEFAULTS.conflictRetryMaxSeconds),
    doc: 'with retry: how long a conflicting request is retried before the pipe goes past it (logged); negative: for ever',
  },
  {
    name: 'exception.conflict.record-ignored-data',
    type: 'boolean',
    default: String(DEFAULTS.conflictRecordIgnoredData),
    doc: 'log the series and points of a conflicting request the pipe goes past (false: only that it did)',
  },
  {
    name: 'exception.others.retry-max-time-seconds',
    type: 'integer',
    default: String(DEFAULTS.othersRetryMaxSeconds),
    doc: 'how long a request refused for another reason (e.g. 803) is retried before the pipe goes past it (logged); negative: for ever',
  },
  {
    name: 'exception.others.record-ignored-data',
    type: 'boolean',
    default: String(DEFAULTS.othersRecordIgnoredData),
    doc: 'log the series and points of such a request the pipe goes past (false: only that it did)',
  },
];

/** The refusal options of a sink's validated parameters. */
export function refusalOptionsOf(parameters: ParameterValues): RefusalOptions {
  const get = (name: string) => parameters.get(`exception.${name}`) ?? null;
  const flag = (name: string, fallback: boolean) => {
    const v = get(name);
    return v === null ? fallback : v.trim().toLowerCase() === 'true';
  };
  const seconds = (name: string, fallback: number) => {
    const v = get(name);
    return v === null ? fallback : Number(v.trim());
  };
  return {
    conflictStrategy: get('conflict.resolve-strategy')?.trim().toLowerCase() === 'ignore' ? 'ignore' : 'retry',
    conflictRetryMaxSeconds: seconds('conflict.retry-max-time-seconds', DEFAULTS.conflictRetryMaxSeconds),
    conflictRecordIgnoredData: flag('conflict.record-ignored-data', DEFAULTS.conflictRecordIgnoredData),
    othersRetryMaxSeconds: seconds('others.retry-max-time-seconds', DEFAULTS.othersRetryMaxSeconds),
    othersRecordIgnoredData: flag('others.record-ignored-data', DEFAULTS.othersRecordIgnoredData),
  };
}
