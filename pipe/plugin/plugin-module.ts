import { pathToFileURL } from 'node:url';
import { EngineError, StatusCode } from '../../engine/errors.js';
import type { PluginRole } from './builtin-plugins.js';
import type { ParameterSpec, ParameterType } from './parameter-spec.js';
import type { PluginInstanceOf } from './plugin-api.js';

/** A plugin class found in a module and checked: its role, its declared parameters, and a way to make instances. */
export interface LoadedPlugin {
  readonly role: PluginRole;
  readonly parameters: readonly ParameterSpec[];
  readonly description: string;
  create(): PluginInstanceOf[PluginRole];
}

/** The method each role must have. */
const ROLE_METHODS: Record<PluginRole, string> = { extractor: 'supply', processor: 'process', connector: 'transfer' };

/** Exhaustive on purpose: a new parameter type must be added here too. */
const PARAMETER_TYPES: Record<ParameterType, true> = {
  string: true,
  boolean: true,
  integer: true,
  number: true,
  time: true,
  host: true,
  port: true,
  'node-urls': true,
};

export function loadError(message: string): EngineError {
  return new EngineError(StatusCode.PIPE_PLUGIN_LOAD_CLASS_ERROR, message);
}

function declaredParameters(raw: unknown, where: string): ParameterSpec[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw loadError(`${where}: static 'parameters' must be an array`);
  const seen = new Set<string>();
  return raw.map((p: unknown, i) => {
    const bad = (why: string) => loadError(`${where}: parameter ${i + 1} ${why}`);
    if (typeof p !== 'object' || p === null) throw bad('must be an object { name, type, default?, doc? }');
    const { name, type, default: fallback, doc } = p as Record<string, unknown>;
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(name))
      throw bad('needs a name of letters, digits, . _ -');
    const key = name.toLowerCase();
    if (seen.has(key)) throw bad(`'${name}' is declared twice`);
    seen.add(key);
    if (typeof type !== 'string' || !Object.hasOwn(PARAMETER_TYPES, type)) {
      throw bad(`'${name}' has type ${String(type)}; known: ${Object.keys(PARAMETER_TYPES).join(', ')}`);
    }
    if (fallback !== undefined && fallback !== null && typeof fallback !== 'string') {
      throw bad(`'${name}' must have a string default (or none)`);
    }
    if (doc !== undefined && typeof doc !== 'string') throw bad(`'${name}' must have a string doc`);
    return { name: key, type: type as ParameterType, default: fallback ?? null, doc: doc ?? '' };
  });
}

/**
 * Imports the ES module at `file` and checks that `exportName` is a plugin class: a class
 * with a static `role` (extractor, processor or connector), the role's method (`supply`,
 * `process`, `transfer`), and parameters declared as data. Errors name what is missing.
 */
export async function loadPluginModule(file: string, exportName: string): Promise<LoadedPlugin> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw loadError(`cannot load ${file} as an ES module: ${error instanceof Error ? error.message : String(error)}`);
  }
  const where = `'${exportName}' of ${file}`;
  if (!Object.hasOwn(module, exportName)) {
    const names = Object.keys(module).sort();
    throw loadError(`${file} has no export '${exportName}'; it exports: ${names.join(', ') || 'nothing'}`);
  }
  const exported = module[exportName];
  if (typeof exported !== 'function' || typeof exported.prototype !== 'object') {
    throw loadError(`${where} is not a pipe plugin: it must be a class`);
  }
  const statics = exported as unknown as { role?: unknown; parameters?: unknown; description?: unknown };
  const role = statics.role;
  if (role !== 'extractor' && role !== 'processor' && role !== 'connector') {
    throw loadError(`${where} is not a pipe plugin: it needs a static role of 'extractor', 'processor' or 'connector'`);
  }
  const method = ROLE_METHODS[role];
  if (typeof (exported.prototype as Record<string, unknown>)[method] !== 'function') {
    throw loadError(`${where} is not a pipe ${role}: it has no ${method}() method`);
  }
  const parameters = declaredParameters(statics.parameters, where);
  const Constructor = exported as new () => PluginInstanceOf[PluginRole];
  return {
    role,
    parameters,
    description: typeof statics.description === 'string' ? statics.description : '',
    create: () => new Constructor(),
  };
}
