import { describe, expect, it } from 'vitest';
import { pipeInclusion } from '../../pipe/extractor/inclusion.js';
import { resolveClause } from '../../pipe/pipe-definition.js';

/** The selected leaves, sorted, for comparison with IoTDB's option tree by hand. */
function leaves(inclusion: string | null, exclusion: string | null = null): string[] {
  return [...pipeInclusion(inclusion, exclusion).leaves].sort();
}

describe('source.inclusion', () => {
  it('defaults to inserted data only, as IoTDB 1.3', () => {
    const d = pipeInclusion(null, null);
    expect(d).toMatchObject({
      dataInsert: true,
      dataDelete: false,
      schemaDatabase: false,
      schemaTimeseries: false,
      auth: false,
    });
    expect(leaves(null)).toEqual(['data.insert']);
  });

  it('a prefix selects every option below it', () => {
    expect(leaves('data')).toEqual(['data.delete', 'data.insert']);
    expect(leaves('schema.database')).toEqual([
      'schema.database.alter',
      'schema.database.create',
      'schema.database.drop',
    ]);
    expect(pipeInclusion('schema', null)).toMatchObject({
      dataInsert: false,
      dataDelete: false,
      schemaDatabase: true,
      schemaDatabaseDrop: true,
      schemaTimeseries: true,
      schemaTimeseriesDrop: true,
      auth: false,
    });
    expect(pipeInclusion('auth', null).auth).toBe(true);
    expect(pipeInclusion('auth.user.create', null).auth).toBe(true);
  });

  it('all is data, schema and auth; the list is case- and space-insensitive', () => {
    const all = leaves('all');
    expect(all).toHaveLength(28);
    expect(leaves(' Data.Insert , SCHEMA.timeseries ')).toEqual([
      'data.insert',
      'schema.timeseries.ordinary.alter',
      'schema.timeseries.ordinary.create',
      'schema.timeseries.ordinary.drop',
      'schema.timeseries.template.activate',
      'schema.timeseries.template.alter',
      'schema.timeseries.template.create',
      'schema.timeseries.template.deactivate',
      'schema.timeseries.template.drop',
      'schema.timeseries.template.set',
      'schema.timeseries.template.unset',
      'schema.timeseries.view.alter',
      'schema.timeseries.view.create',
      'schema.timeseries.view.drop',
    ]);
  });

  it('wildcards match one node (*) or several (**)', () => {
    expect(leaves('schema.*.create')).toEqual(['schema.database.create']);
    expect(leaves('schema.**.create')).toEqual([
      'schema.database.create',
      'schema.timeseries.ordinary.create',
      'schema.timeseries.template.create',
      'schema.timeseries.view.create',
    ]);
  });

  it('the exclusion takes its options away', () => {
    expect(pipeInclusion('all', 'auth, schema.database.drop, schema.timeseries.ordinary.drop')).toMatchObject({
      dataInsert: true,
      dataDelete: true,
      schemaDatabase: true,
      schemaDatabaseDrop: false,
      schemaTimeseries: true,
      schemaTimeseriesDrop: false,
      auth: false,
    });
    expect(pipeInclusion('data', 'data.delete')).toMatchObject({ dataInsert: true, dataDelete: false });
    // IoTDB's alias `delete`: every drop, revoke and data deletion.
    expect(pipeInclusion('all', 'delete')).toMatchObject({
      dataInsert: true,
      dataDelete: false,
      schemaTimeseries: true,
      schemaTimeseriesDrop: false,
      schemaDatabaseDrop: false,
    });
    expect(leaves('all', 'delete')).not.toContain('auth.user.drop');
    expect(leaves('all', 'delete')).toContain('auth.user.create');
  });

  it('refuses an unknown option naming the key, and a selection of nothing', () => {
    expect(() => pipeInclusion('data.update', null)).toThrow(
      /invalid value 'data.update' of 'source.inclusion': 'data.update' is not an inclusion option/,
    );
    expect(() => pipeInclusion('data', 'users')).toThrow(/of 'source.inclusion.exclusion': 'users'/);
    expect(() => pipeInclusion('data.', null)).toThrow(/'data.' is not an inclusion option/);
    expect(() => pipeInclusion('data.insert', 'data')).toThrow(/selects nothing/);
    expect(() => pipeInclusion('', null)).toThrow(/selects nothing/);
  });

  it('is declared by the built-in extractor under source. and extractor. spellings', () => {
    const clause = resolveClause('extractor', [
      ['extractor.inclusion', 'all'],
      ['source.inclusion.exclusion', 'auth'],
    ]);
    expect(clause.parameters.get('inclusion')).toBe('all');
    expect(clause.parameters.get('inclusion.exclusion')).toBe('auth');
    expect(resolveClause('extractor', []).parameters.get('inclusion')).toBe('data.insert');
  });
});
