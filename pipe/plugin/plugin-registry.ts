import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError, StatusCode } from '../../engine/errors.js';
import { BUILTIN_PLUGINS, findPlugin, type PluginRole, type PluginSpec } from './builtin-plugins.js';
import type { ParameterSpec } from './parameter-spec.js';
import type { PluginInstanceOf } from './plugin-api.js';
import { type LoadedPlugin, loadError, loadPluginModule } from './plugin-module.js';
import { type PluginRegistration, PluginStore } from './plugin-store.js';

/** A plugin registered with CREATE PIPEPLUGIN; `loaded` is null when its module failed to load at start. */
export interface UserPluginSpec extends PluginSpec {
  readonly registration: PluginRegistration;
  readonly loaded: LoadedPlugin | null;
  readonly loadFailure: string | null;
}

export function isUserPlugin(spec: PluginSpec): spec is UserPluginSpec {
  return 'registration' in spec;
}

/** One row of SHOW PIPEPLUGINS. */
export interface PluginRow {
  readonly name: string;
  readonly type: 'Builtin' | 'External';
  readonly role: PluginRole;
  readonly className: string;
  readonly jar: string;
  readonly parameters: readonly ParameterSpec[];
}

export interface PipePluginRegistryOptions {
  /** `pipe_lib_dir`: plugin files are copied under it. */
  readonly libDir: string;
  readonly systemDir: string;
  readonly log: (message: string) => void;
}

function createError(message: string): EngineError {
  return new EngineError(StatusCode.CREATE_PIPE_PLUGIN_ERROR, message);
}

function dropError(message: string): EngineError {
  return new EngineError(StatusCode.DROP_PIPE_PLUGIN_ERROR, message);
}

function isBuiltinName(name: string): boolean {
  const n = name.trim().toLowerCase();
  return BUILTIN_PLUGINS.some((p) => p.name === n || p.aliases.includes(n));
}

/** The local file a USING URI names: a path (relative to the working folder) or a file:// URI. */
function sourceFile(uri: string, name: string): string {
  const text = uri.trim();
  if (/^file:/i.test(text)) {
    try {
      return fileURLToPath(text);
    } catch (error) {
      throw createError(
        `Failed to create PipePlugin [${name}], '${uri}' is not a file URI: ${(error as Error).message}`,
      );
    }
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(text)) {
    throw createError(
      `Failed to create PipePlugin [${name}], only local files (a path or a file:// URI) can be loaded`,
    );
  }
  return resolve(text);
}

function specOf(
  registration: PluginRegistration,
  loaded: LoadedPlugin | null,
  loadFailure: string | null,
): UserPluginSpec {
  return {
    name: registration.name.toLowerCase(),
    aliases: [],
    role: registration.role,
    className: registration.className,
    parameters: loaded?.parameters ?? registration.parameters,
    registration,
    loaded,
    loadFailure,
  };
}

/**
 * The pipe plugins of a node: the built-ins, and user plugins registered with CREATE
 * PIPEPLUGIN. A user plugin is one ES module file, copied into `pipe_lib_dir` (under a
 * folder named by its content hash, so a changed file is a new module) and imported from
 * there, at creation and at every start. Names are kept in upper case and matched without
 * regard to case, as IoTDB does; built-in names can be neither created nor dropped.
 */
export class PipePluginRegistry {
  private readonly store: PluginStore;
  private readonly users = new Map<string, UserPluginSpec>();
  private readonly creating = new Set<string>();

  constructor(private readonly options: PipePluginRegistryOptions) {
    this.store = new PluginStore(join(options.systemDir, 'pipe-plugins.db'));
  }

  /** Imports every registered plugin. One that fails stays registered and is reported; its pipes cannot run. */
  async load(): Promise<void> {
    for (const registration of this.store.all()) {
      try {
        const loaded = await loadPluginModule(this.installed(registration), registration.className);
        this.users.set(registration.name, specOf(registration, loaded, null));
      } catch (error) {
        const message = (error as Error).message;
        this.options.log(`pipe plugin ${registration.name} failed to load: ${message}`);
        this.users.set(registration.name, specOf(registration, null, message));
      }
    }
  }

  /** A built-in or user plugin of that role; the lookup CREATE PIPE and pipe tasks resolve clauses with. */
  readonly find = (role: PluginRole, name: string): PluginSpec | undefined => {
    const builtin = findPlugin(role, name);
    if (builtin !== undefined) return builtin;
    const user = this.users.get(name.trim().toUpperCase());
    return user?.role === role ? user : undefined;
  };

  /** A new instance of a user plugin, for one pipe. */
  instantiate<R extends PluginRole>(spec: UserPluginSpec & { readonly role: R }): PluginInstanceOf[R] {
    if (spec.loaded === null) {
      throw loadError(`pipe plugin ${spec.registration.name} could not be loaded: ${spec.loadFailure}`);
    }
    return spec.loaded.create() as PluginInstanceOf[R];
  }

  async create(name: string, ifNotExists: boolean, className: string, uri: string): Promise<void> {
    const key = name.trim().toUpperCase();
    if (isBuiltinName(key) || this.users.has(key) || this.creating.has(key)) {
      if (ifNotExists) return;
      throw createError(`Failed to create PipePlugin [${key}], the same name PipePlugin has been created`);
    }
    const source = sourceFile(uri, key);
    if (!existsSync(source) || !statSync(source).isFile()) {
      throw createError(`Failed to create PipePlugin [${key}], the file ${source} does not exist`);
    }
    this.creating.add(key);
    try {
      const bytes = readFileSync(source);
      const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
      const installedPath = join('install', encodeURIComponent(key.toLowerCase()), digest, basename(source));
      const file = join(this.options.libDir, installedPath);
      const dir = dirname(file);
      mkdirSync(dir, { recursive: true });
      // A `.js` plugin is an ES module wherever it was written; its copy keeps that meaning.
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      writeFileSync(file, bytes);
      let loaded: LoadedPlugin;
      try {
        loaded = await loadPluginModule(file, className);
      } catch (error) {
        rmSync(dirname(dir), { recursive: true, force: true });
        throw error;
      }
      const registration: PluginRegistration = {
        name: key,
        role: loaded.role,
        className,
        jar: basename(source),
        installedPath,
        parameters: loaded.parameters,
        createdAt: Date.now(),
      };
      this.store.insert(registration);
      this.users.set(key, specOf(registration, loaded, null));
      this.options.log(`pipe plugin ${key} (${loaded.role}) created from ${source}`);
    } finally {
      this.creating.delete(key);
    }
  }

  /** Drops a user plugin; `usedBy` says why it cannot go (a pipe uses it), or null. */
  drop(name: string, ifExists: boolean, usedBy: (key: string) => string | null): void {
    const key = name.trim().toUpperCase();
    if (isBuiltinName(key)) {
      throw dropError(`Failed to drop PipePlugin [${key}], the PipePlugin is a built-in PipePlugin`);
    }
    const user = this.users.get(key);
    if (user === undefined) {
      if (ifExists) return;
      throw dropError(`Failed to drop PipePlugin [${key}], this PipePlugin has not been created`);
    }
    const use = usedBy(key);
    if (use !== null) throw dropError(use);
    this.store.delete(key);
    this.users.delete(key);
    // install/<name>/ holds this plugin's copies only.
    rmSync(dirname(dirname(this.installed(user.registration))), { recursive: true, force: true });
    this.options.log(`pipe plugin ${key} dropped`);
  }

  /** SHOW PIPEPLUGINS: the built-ins, then user plugins by name. */
  rows(): PluginRow[] {
    return [
      ...BUILTIN_PLUGINS.map((p) => ({
        name: p.name.toUpperCase(),
        type: 'Builtin' as const,
        role: p.role,
        className: p.className,
        jar: '',
        parameters: p.parameters,
      })),
      ...[...this.users.values()].map((p) => ({
        name: p.registration.name,
        type: 'External' as const,
        role: p.role,
        className: p.className,
        jar: p.registration.jar,
        parameters: p.parameters,
      })),
    ];
  }

  close(): void {
    this.store.close();
  }

  private installed(registration: PluginRegistration): string {
    return join(this.options.libDir, registration.installedPath);
  }
}
