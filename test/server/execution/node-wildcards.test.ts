import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStatement } from '../../../server/sql/index.js';
import { openSqlSession, type SqlSession } from './sql-harness.js';

// Names from IoTDB's documentation of wildcards inside node names: `root.sg.d*` takes
// every device of root.sg whose name starts with d, `*_temp` every node ending so, and a
// node pattern always stands for exactly one level.
let s: SqlSession;
beforeEach(async () => {
  s = openSqlSession();
  for (const sql of [
    'insert into root.sg.d1(time, s1, s2, in_temp) values (1, 1, 10, 0.5)',
    'insert into root.sg.d2(time, s1, out_temp) values (2, 2, 1.5)',
    'insert into root.sg.dev(time, speed) values (3, 3)',
    'insert into root.sg.x1(time, s1) values (4, 4)',
    'insert into root.sg.d1.sub(time, s9) values (5, 5)',
  ]) {
    await s.sql(sql);
  }
});
afterEach(async () => s.close());

const column = (rows: unknown[][], j = 0) => rows.map((r) => r[j]);

describe('wildcards inside node names', () => {
  it('parse as one pattern node when the pieces touch, and print bare', () => {
    const show = (sql: string) => parseStatement(sql) as unknown as { pattern: { nodes: string[]; text: string } };
    expect(show('SHOW DEVICES root.pyc.ad*').pattern.nodes).toEqual(['root', 'pyc', 'ad*']);
    expect(show('show timeseries root.sg.*_temp').pattern.nodes).toEqual(['root', 'sg', '*_temp']);
    expect(show('show timeseries root.**.s*').pattern.nodes).toEqual(['root', '**', 's*']);
    expect(show('show timeseries root.sg.d*x.s').pattern.nodes).toEqual(['root', 'sg', 'd*x', 's']);
    expect(() => parseStatement('show timeseries root.sg.d *')).toThrow(/mismatched input '\*'/);
    // In a select list, touching pieces make one node; spaced, `*` multiplies.
    const items = (sql: string) => (parseStatement(sql) as unknown as { items: { kind: string }[] }).items;
    expect(items('select s1*s2 from root.sg.d')).toMatchObject([{ kind: 'series', path: { nodes: ['s1*s2'] } }]);
    expect(items('select s1 * s2, s1*2 from root.sg.d').map((i) => i.kind)).toEqual(['expression', 'expression']);
  });

  it('SHOW DEVICES and COUNT DEVICES take one level per node pattern', async () => {
    expect(column(await s.rows('show devices root.sg.d*'))).toEqual(['root.sg.d1', 'root.sg.d2', 'root.sg.dev']);
    expect(column(await s.rows('show devices root.sg.*1'))).toEqual(['root.sg.d1', 'root.sg.x1']);
    expect(column(await s.rows('show devices root.**.s*'))).toEqual(['root.sg.d1.sub']);
    expect(await s.rows('count devices root.sg.d*')).toEqual([[3n]]);
  });

  it('SHOW and COUNT TIMESERIES, prefix, suffix and middle wildcards', async () => {
    expect(column(await s.rows('show timeseries root.sg.*.*_temp'))).toEqual([
      'root.sg.d1.in_temp',
      'root.sg.d2.out_temp',
    ]);
    expect(column(await s.rows('show timeseries root.**.s*'))).toEqual([
      'root.sg.d1.s1',
      'root.sg.d1.s2',
      'root.sg.d1.sub.s9',
      'root.sg.d2.s1',
      'root.sg.dev.speed',
      'root.sg.x1.s1',
    ]);
    expect(column(await s.rows('show timeseries root.sg.d*.s*1'))).toEqual(['root.sg.d1.s1', 'root.sg.d2.s1']);
    expect(await s.rows('count timeseries root.sg.d*.**')).toEqual([[7n]]);
  });

  it('SELECT expands them in the select list and in FROM', async () => {
    const t = await s.sql('select s* from root.sg.d*');
    expect(t!.columns).toEqual(['root.sg.d1.s1', 'root.sg.d1.s2', 'root.sg.d2.s1', 'root.sg.dev.speed']);
    expect(t!.rows).toEqual([
      [1n, 1, 10, null, null],
      [2n, null, null, 2, null],
      [3n, null, null, null, 3],
    ]);
    expect((await s.sql('select count(*_temp) from root.sg.*'))!.columns).toEqual([
      'count(root.sg.d1.in_temp)',
      'count(root.sg.d2.out_temp)',
    ]);
  });

  it('DELETE FROM and DELETE TIMESERIES reach the matching series only', async () => {
    await s.sql('delete from root.sg.d*.s1');
    expect(await s.rows('select s1 from root.sg.*')).toEqual([[4n, null, null, 4]]);
    await s.sql('delete timeseries root.sg.*.*_temp');
    expect(column(await s.rows('show timeseries root.sg.*.*_temp'))).toEqual([]);
    expect(column(await s.rows('show timeseries root.sg.d1.s*'))).toEqual(['root.sg.d1.s1', 'root.sg.d1.s2']);
  });
});
