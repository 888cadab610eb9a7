import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveClause } from '../../../pipe/pipe-definition.js';
import { PipePluginRegistry, type UserPluginSpec } from '../../../pipe/plugin/plugin-registry.js';
import { pluginUsage } from '../../../pipe/plugin/plugin-usage.js';

const dirs: string[] = [];
const registries: PipePluginRegistry[] = [];
afterEach(() => {
  for (const r of registries.splice(0)) r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-plugins-'));
  dirs.push(dir);
  return dir;
}

function open(root: string, logs: string[] = [], libDir = join(root, 'ext', 'pipe')): PipePluginRegistry {
  mkdirSync(join(root, 'system'), { recursive: true });
  const registry = new PipePluginRegistry({
    libDir,
    systemDir: join(root, 'system'),
    log: (m) => logs.push(m),
  });
  registries.push(registry);
  return registry;
}

const SCALE = `
export class Scale {
  static role = 'processor';
  static parameters = [{ name: 'factor', type: 'integer', default: '2', doc: 'multiplier' }, { name: 'Label', type: 'string' }];
  process(event, collector) { return collector.collect(event); }
}
export const notAClass = 42;
export class NoRole { process() {} }
export class NoMethod { static role = 'connector'; process() {} }
export class BadParameter { static role = 'processor'; static parameters = [{ name: 'x', type: 'colour' }]; process() {} }
`;

function pluginFile(dir: string, name = 'scale.mjs', text = SCALE): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('CREATE PIPEPLUGIN: loading a plugin module', () => {
  it('installs the file under pipe_lib_dir, registers the class and resolves pipe clauses with it', async () => {
    const root = tempDir();
    const registry = open(root);
    const file = pluginFile(root);
    await registry.create('scale', false, 'Scale', file);
    const row = registry.rows().at(-1)!;
    expect(row).toMatchObject({
      name: 'SCALE',
      type: 'External',
      role: 'processor',
      className: 'Scale',
      jar: 'scale.mjs',
    });
    expect(row.parameters).toEqual([
      { name: 'factor', type: 'integer', default: '2', doc: 'multiplier' },
      { name: 'label', type: 'string', default: null, doc: '' },
    ]);
    expect(
      registry
        .rows()
        .filter((r) => r.type === 'Builtin')
        .map((r) => r.name),
    ).toContain('DO-NOTHING-PROCESSOR');
    const resolved = resolveClause(
      'processor',
      [
        ['processor', 'Scale'],
        ['processor.factor', '3'],
      ],
      registry.find,
    );
    expect(resolved.plugin.name).toBe('scale');
    expect(resolved.parameters.get('factor')).toBe('3');
    expect(() =>
      resolveClause(
        'processor',
        [
          ['processor', 'scale'],
          ['processor.factor', 'x'],
        ],
        registry.find,
      ),
    ).toThrow("invalid value 'x' of 'processor.factor': expected an integer");
    // Other roles do not see it.
    expect(registry.find('connector', 'scale')).toBeUndefined();
    expect(existsSync(join(root, 'ext', 'pipe', 'install', 'scale'))).toBe(true);
  });

  it('accepts file:// URIs and .js files (loaded as ES modules)', async () => {
    const root = tempDir();
    const registry = open(root);
    await registry.create('by_uri', false, 'Scale', pathToFileURL(pluginFile(root, 'plugin.js')).href);
    expect(registry.find('processor', 'BY_URI')).toBeDefined();
  });

  it('names what is wrong with a file or an export, and registers nothing', async () => {
    const root = tempDir();
    const registry = open(root);
    const file = pluginFile(root);
    const create = (exportName: string, uri = file) => registry.create('p', false, exportName, uri);
    await expect(create('Scale', join(root, 'missing.mjs'))).rejects.toMatchObject({
      code: 1600,
      message: `Failed to create PipePlugin [P], the file ${join(root, 'missing.mjs')} does not exist`,
    });
    await expect(create('Scale', 'https://example.com/p.mjs')).rejects.toMatchObject({ code: 1600 });
    await expect(create('Missing')).rejects.toMatchObject({
      code: 1602,
      message: expect.stringContaining(
        "has no export 'Missing'; it exports: BadParameter, NoMethod, NoRole, Scale, notAClass",
      ),
    });
    await expect(create('notAClass')).rejects.toThrow('is not a pipe plugin: it must be a class');
    await expect(create('NoRole')).rejects.toThrow("needs a static role of 'extractor', 'processor' or 'connector'");
    await expect(create('NoMethod')).rejects.toThrow('is not a pipe connector: it has no transfer() method');
    await expect(create('BadParameter')).rejects.toThrow("parameter 1 'x' has type colour");
    await expect(create('X', pluginFile(root, 'broken.mjs', 'export class {'))).rejects.toThrow('cannot load');
    expect(registry.rows().filter((r) => r.type === 'External')).toEqual([]);
    // Failed attempts leave nothing installed.
    expect(existsSync(join(root, 'ext', 'pipe', 'install', 'p'))).toBe(false);
  });

  it('refuses a second plugin of the same name, and any built-in name', async () => {
    const root = tempDir();
    const registry = open(root);
    const file = pluginFile(root);
    await registry.create('scale', false, 'Scale', file);
    await expect(registry.create('SCALE', false, 'Scale', file)).rejects.toMatchObject({
      code: 1600,
      message: 'Failed to create PipePlugin [SCALE], the same name PipePlugin has been created',
    });
    await registry.create('scale', true, 'Scale', file);
    await expect(registry.create('do-nothing-processor', false, 'Scale', file)).rejects.toThrow(
      'Failed to create PipePlugin [DO-NOTHING-PROCESSOR], the same name PipePlugin has been created',
    );
    await expect(registry.create('iotdb-thrift-sink', false, 'Scale', file)).rejects.toThrow(
      'the same name PipePlugin',
    );
    expect(
      registry
        .rows()
        .filter((r) => r.type === 'External')
        .map((r) => r.name),
    ).toEqual(['SCALE']);
  });
});

describe('DROP PIPEPLUGIN', () => {
  it('drops a user plugin and its installed copy, and refuses built-ins and unknown names', async () => {
    const root = tempDir();
    const registry = open(root);
    await registry.create('scale', false, 'Scale', pluginFile(root));
    expect(() => registry.drop('iotdb-extractor', false, () => null)).toThrow(
      expect.objectContaining({
        code: 1601,
        message: 'Failed to drop PipePlugin [IOTDB-EXTRACTOR], the PipePlugin is a built-in PipePlugin',
      }),
    );
    expect(() => registry.drop('iotdb-extractor', true, () => null)).toThrow('is a built-in PipePlugin');
    expect(() => registry.drop('nope', false, () => null)).toThrow(
      'Failed to drop PipePlugin [NOPE], this PipePlugin has not been created',
    );
    registry.drop('nope', true, () => null);
    registry.drop('Scale', false, () => null);
    expect(registry.find('processor', 'scale')).toBeUndefined();
    expect(existsSync(join(root, 'ext', 'pipe', 'install', 'scale'))).toBe(false);
  });

  it('is refused while a pipe names the plugin, with IoTDB message', async () => {
    const root = tempDir();
    const registry = open(root);
    await registry.create('scale', false, 'Scale', pluginFile(root));
    const pipes = [
      { name: 'other', clauses: { extractor: [], processor: [], connector: [['sink', 'do-nothing-sink']] as const } },
      {
        name: 'p1',
        clauses: {
          extractor: [],
          processor: [['processor', 'Scale']] as const,
          connector: [['connector', 'x']] as const,
        },
      },
    ];
    expect(pluginUsage('SCALE', pipes)).toBe("PipePlugin 'SCALE' is already used by Pipe 'p1' as a processor.");
    expect(pluginUsage('X', pipes)).toBe("PipePlugin 'X' is already used by Pipe 'p1' as a sink.");
    expect(() => registry.drop('scale', false, (key) => pluginUsage(key, pipes))).toThrow(
      expect.objectContaining({
        code: 1601,
        message: "PipePlugin 'SCALE' is already used by Pipe 'p1' as a processor.",
      }),
    );
    expect(registry.find('processor', 'scale')).toBeDefined();
  });
});

describe('registered plugins across restarts', () => {
  it('loads them again at start, and keeps one whose file went missing, unable to run', async () => {
    const root = tempDir();
    const first = open(root);
    await first.create('scale', false, 'Scale', pluginFile(root));
    const installed = first.rows().at(-1)!;
    first.close();
    registries.splice(0);

    const again = open(root);
    await again.load();
    const spec = again.find('processor', 'scale');
    expect(spec).toMatchObject({ className: 'Scale', loadFailure: null });
    expect(again.rows().at(-1)).toEqual(installed);
    again.close();
    registries.splice(0);

    // The same registrations over a pipe_lib_dir without the files.
    const logs: string[] = [];
    const broken = open(root, logs, join(root, 'elsewhere'));
    await broken.load();
    const missing = broken.find('processor', 'scale')!;
    // Its clauses still resolve (the declarations were kept), but it cannot be instantiated.
    expect(
      resolveClause(
        'processor',
        [
          ['processor', 'scale'],
          ['processor.factor', '5'],
        ],
        broken.find,
      ).parameters.get('factor'),
    ).toBe('5');
    expect(() => broken.instantiate(missing as UserPluginSpec & { readonly role: 'processor' })).toThrow(
      'could not be loaded',
    );
    expect(logs.join('\n')).toContain('pipe plugin SCALE failed to load');
  });
});
