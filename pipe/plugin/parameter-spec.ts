import { EngineError, StatusCode } from '../../engine/errors.js';

/** How a parameter's text is read. */
export type ParameterType = 'string' | 'boolean' | 'integer' | 'number' | 'time' | 'host' | 'port' | 'node-urls';

/**
 * One parameter of a plugin, declared as data: validation, SHOW PIPEPLUGINS and the docs
 * come from these declarations, so no parameter exists in one place only.
 */
export interface ParameterSpec {
  /** The key without its clause prefix (`pattern` for `extractor.pattern` / `source.pattern`). */
  readonly name: string;
  /** Other names IoTDB accepts for it (`username` for `user`), under the same prefixes. */
  readonly aliases?: readonly string[];
  readonly type: ParameterType;
  readonly default: string | null;
  readonly doc: string;
  /** The values it takes (case-insensitive); with `list`, of each item of a comma-separated list. */
  readonly choices?: readonly string[];
  readonly list?: boolean;
  /** Bounds of an integer or number, inclusive. */
  readonly min?: number;
  readonly max?: number;
}

/** A validated parameter value: text as given (or the default) and its parsed form. */
export type ParameterValues = ReadonlyMap<string, string | null>;

export class PipeParameterError extends EngineError {
  constructor(message: string) {
    super(StatusCode.PIPE_ERROR, message);
  }
}

function check(spec: ParameterSpec, key: string, value: string): void {
  const bad = (why: string) => new PipeParameterError(`invalid value '${value}' of '${key}': ${why}`);
  switch (spec.type) {
    case 'boolean':
      if (!/^(true|false)$/i.test(value)) throw bad('expected true or false');
      return;
    case 'integer':
      if (!/^-?[0-9]+$/.test(value.trim())) throw bad('expected an integer');
      checkRange(spec, Number(value), bad);
      return;
    case 'number':
      if (value.trim() === '' || !Number.isFinite(Number(value))) throw bad('expected a number');
      checkRange(spec, Number(value), bad);
      return;
    case 'port': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw bad('expected a port in [1, 65535]');
      return;
    }
    case 'host':
      if (value.trim() === '' || /\s/.test(value)) throw bad('expected a host name or address');
      return;
    case 'node-urls':
      for (const url of value.split(',')) {
        if (!/^[^:\s]+:[0-9]{1,5}$/.test(url.trim())) throw bad('expected host:port[,host:port...]');
      }
      return;
    default:
      checkChoices(spec, value, bad);
      return;
  }
}

function checkRange(spec: ParameterSpec, n: number, bad: (why: string) => Error): void {
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    throw bad(`expected a value in [${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}]`);
  }
}

function checkChoices(spec: ParameterSpec, value: string, bad: (why: string) => Error): void {
  const { choices } = spec;
  if (choices === undefined) return;
  const items = spec.list === true ? listItems(value) : [value.trim().toLowerCase()];
  for (const item of items) {
    if (!choices.includes(item)) {
      throw bad(`expected ${spec.list === true ? 'a comma-separated list of ' : ''}${choices.join(', ')}`);
    }
  }
}

/** The items of a comma-separated list value, trimmed and lower-cased; none for an empty value. */
export function listItems(value: string): string[] {
  return value.trim() === '' ? [] : value.split(',').map((item) => item.trim().toLowerCase());
}

/**
 * Reads one WITH clause: keys are matched case-insensitively with or without the clause's
 * prefixes (`extractor.`/`source.`), the plugin-name key (`extractor`, `source`) is skipped,
 * unknown keys and malformed values are errors naming the key.
 */
export function readParameters(
  specs: readonly ParameterSpec[],
  attributes: readonly (readonly [string, string])[],
  prefixes: readonly string[],
  pluginKeys: readonly string[],
): Map<string, string | null> {
  const values = new Map<string, string | null>(specs.map((s) => [s.name, s.default]));
  const seen = new Set<string>();
  for (const [rawKey, value] of attributes) {
    const key = rawKey.trim().toLowerCase();
    if (pluginKeys.includes(key)) continue;
    const prefix = prefixes.find((p) => key.startsWith(`${p}.`));
    const name = prefix === undefined ? key : key.slice(prefix.length + 1);
    const spec = specs.find((s) => s.name === name || s.aliases?.includes(name) === true);
    if (spec === undefined) {
      throw new PipeParameterError(
        `unknown parameter '${rawKey}'; known: ${specs.map((s) => s.name).join(', ') || 'none'}`,
      );
    }
    if (seen.has(spec.name)) throw new PipeParameterError(`parameter '${rawKey}' is given twice`);
    seen.add(spec.name);
    check(spec, rawKey, value);
    values.set(spec.name, value);
  }
  return values;
}
